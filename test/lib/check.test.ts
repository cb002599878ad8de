import { describe, expect, it } from 'vitest';
import { checkOptionKeys } from '../../lib/check';

describe('checkOptionKeys', () => {
  it('accepts undefined, an empty object and any subset of the allowed keys', () => {
    expect(() => checkOptionKeys('f', 'opts', undefined, ['a'])).not.toThrow();
    expect(() => checkOptionKeys('f', 'opts', {}, ['a', 'b'])).not.toThrow();
    expect(() => checkOptionKeys('f', 'opts', { b: 1 }, ['a', 'b'])).not.toThrow();
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
});
