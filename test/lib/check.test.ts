import { describe, expect, it } from 'vitest';
import {
  checkBoolean,
  checkElementCount,
  checkFunction,
  checkNumbers,
  checkOptionKeys,
  checkPositiveInt,
  checkString,
  MAX_ELEMENTS,
  MAX_STEPS,
} from '../../lib/check';

describe('checkOptionKeys', () => {
  it('accepts undefined, an empty object and any subset of the allowed keys', () => {
    expect(() => checkOptionKeys('f', 'opts', undefined, ['a'])).not.toThrow();
    expect(() => checkOptionKeys('f', 'opts', {}, ['a', 'b'])).not.toThrow();
    expect(() => checkOptionKeys('f', 'opts', { b: 1 }, ['a', 'b'])).not.toThrow();
    expect(() => checkOptionKeys('f', 'opts', { b: undefined }, ['a', 'b'])).not.toThrow();
  });
  it('names the first unknown key, the allowed ones and its value', () => {
    expect(() => checkOptionKeys('f', 'opts', { a: 1, stride: 2 }, ['a', 'strides'])).toThrow(
      'f: opts.stride is not an option (allowed: a, strides), got 2',
    );
  });
  it('rejects a value that is not a plain object', () => {
    expect(() => checkOptionKeys('f', 'opts', 3, ['a'])).toThrow('f: opts must be an object, got 3');
    expect(() => checkOptionKeys('f', 'opts', null, ['a'])).toThrow('f: opts must be an object');
    expect(() => checkOptionKeys('f', 'opts', [1], ['a'])).toThrow('f: opts must be an object');
  });
  it('rejects an option set to null (so that `?? default` cannot turn it into the default)', () => {
    expect(() => checkOptionKeys('f', 'opts', { a: null }, ['a'])).toThrow('f: opts.a must not be null (leave it out for the default), got null');
  });
  it('with allowed null (a layer), accepts any key and rejects null only for the checked ones', () => {
    expect(() => checkOptionKeys('f', 'args', { name: 'x', inputShape: [2] }, null, ['useBias'])).not.toThrow();
    expect(() => checkOptionKeys('f', 'args', { name: null }, null, ['useBias'])).not.toThrow();
    expect(() => checkOptionKeys('f', 'args', { useBias: null }, null, ['useBias'])).toThrow('f: args.useBias must not be null');
  });
});

describe('bounds', () => {
  it('checkPositiveInt takes an upper bound, and says so', () => {
    expect(checkPositiveInt('pgd', 'opts.steps', MAX_STEPS, MAX_STEPS)).toBe(100_000);
    expect(() => checkPositiveInt('pgd', 'opts.steps', 1e9, MAX_STEPS)).toThrow('pgd: opts.steps must be at most 100000, got 1000000000');
    expect(() => checkPositiveInt('pgd', 'opts.steps', 2.5, MAX_STEPS)).toThrow('pgd: opts.steps must be a positive integer, got 2.5');
  });
  it('checkElementCount allows exactly 2^28 elements', () => {
    expect(MAX_ELEMENTS).toBe(268435456);
    expect(checkElementCount('f', 'shape', 2 ** 28)).toBe(2 ** 28);
    expect(() => checkElementCount('f', 'shape', 16385 * 16384, '[16385, 16384]')).toThrow(
      'f: shape must hold at most 268435456 elements (2^28), got "[16385, 16384] = 268451840"',
    );
    expect(() => checkElementCount('f', 'shape', NaN)).toThrow('f: shape must hold at most 268435456 elements (2^28), got NaN');
  });
});

describe('type checks', () => {
  it('checkBoolean takes true and false only', () => {
    expect(checkBoolean('f', 'useBias', false)).toBe(false);
    for (const [v, shown] of [['no', '"no"'], [0, '0'], [1, '1'], [null, 'null']] as const) {
      expect(() => checkBoolean('f', 'useBias', v)).toThrow(`f: useBias must be true or false, got ${shown}`);
    }
  });
  it('checkString, checkFunction', () => {
    expect(checkString('f', 'title', '')).toBe('');
    expect(() => checkString('f', 'title', 42)).toThrow('f: title must be a string, got 42');
    const g = () => 1;
    expect(checkFunction('f', 'policy', g)).toBe(g);
    expect(() => checkFunction('f', 'policy', 'g')).toThrow('f: policy must be a function, got "g"');
  });
  it('checkNumbers: an array or typed array of finite numbers, of a least length', () => {
    expect(Array.from(checkNumbers('f', 'values', Float32Array.from([1, 2])))).toEqual([1, 2]);
    expect(() => checkNumbers('f', 'values', { length: 1 })).toThrow('f: values must be an array of numbers, got {"length":1}');
    expect(() => checkNumbers('f', 'values', [1, '2'])).toThrow('f: values must contain only finite numbers (index 1), got "2"');
    expect(() => checkNumbers('f', 'values', [], 1)).toThrow('f: values must have at least 1 entry, got []');
  });
});
