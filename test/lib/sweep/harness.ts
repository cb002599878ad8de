// The generated bad-input sweep: every public entry point of cnnlib is described by a table of
// argument specs (what each parameter is), from which bad calls are generated: wrong types, NaN,
// Infinity, zero, negative, non-integer, empty, mismatched and huge values. Each call must end in the
// project's one-line error (ArgError, DataError, BackendError) whose message starts with the name of the
// function the user called, with no tensor left behind, or return a result the spec declares correct.
import * as tf from '@tensorflow/tfjs';
import { ArgError, BackendError, DataError } from '../../../lib/errors';

/** What one parameter is; bad values are generated from it. */
export type Kind =
  | { t: 'int'; min: number; max?: number; safe?: boolean }
  | { t: 'num'; min?: number; max?: number; above?: number }
  | { t: 'bool' }
  | { t: 'str'; choices?: readonly string[] }
  | { t: 'fn' }
  | { t: 'opts'; keys: Param[]; open?: boolean }
  | { t: 'nd'; rank?: number }
  | { t: 'tensor'; rank?: number; finite?: boolean; nonEmpty?: boolean }
  | { t: 'labels'; classes: number }
  | { t: 'model' }
  | { t: 'sym'; rank: number }
  | { t: 'array'; of?: Param; min?: number; max?: number }
  | { t: 'pair'; max?: number }
  | { t: 'shape'; max?: boolean }
  | { t: 'custom'; bad: () => [string, unknown][]; types?: boolean }
  | { t: 'none' };

export interface Param {
  name: string;
  /** A good value (called afresh for every case, so tensors can be disposed after it). */
  valid: () => unknown;
  kind: Kind;
  /** undefined is a valid value (an omitted optional argument or option). */
  optional?: boolean;
}

/** One generated or hand-written call. */
export interface Case {
  label: string;
  args: () => unknown[];
  /** For a value that may be accepted: true when the result is the correct one. */
  ok?: (result: unknown) => boolean;
  /** The message of an error thrown by the user's own callback, which must come through unchanged. */
  userError?: string;
}

export interface Entry {
  /** Names a message may start with: the function (or Class.method) the user called. */
  names: string[];
  call: (...args: any[]) => unknown;
  params: Param[];
  /** Hand-written cases: mismatched shapes, kernels that do not fit, labels out of range ... */
  extra?: Case[];
  /** Labels of generated cases that are valid after all (with the reason in a comment at the entry). */
  skip?: string[];
  /** The exports of cnnlib this entry exercises (default: names[0]). */
  covers?: string[];
}

export type Outcome = 'ok' | 'accepted' | 'raw error' | 'wrong name' | 'multi-line' | 'leak' | 'valid call rejected';

export interface Result {
  fn: string;
  label: string;
  outcome: Outcome;
  detail: string;
}

/** Tensors and models made once for many cases: never disposed by the runner. */
export const shared = new WeakSet<object>();
export function keep<T extends object>(x: T): T {
  shared.add(x);
  return x;
}

const WRONG_TYPES: [string, () => unknown][] = [
  ['a string', () => 'x'],
  ['null', () => null],
  ['an object', () => ({})],
  ['an array', () => []],
  ['a boolean', () => true],
];

function numberCases(k: { min?: number; max?: number; above?: number; integer?: boolean; safe?: boolean }): [string, () => unknown][] {
  const out: [string, () => unknown][] = [
    ['NaN', () => NaN],
    ['Infinity', () => Infinity],
    ['-Infinity', () => -Infinity],
  ];
  if (k.integer) out.push(['2.5', () => 2.5]);
  if (k.safe) out.push(['2^53', () => 2 ** 53]);
  const lo = k.min ?? k.above;
  if (lo !== undefined) {
    out.push([`${lo - 1} (below ${lo})`, () => lo - 1]);
    if (lo - 1 !== -1 && lo > 0) out.push(['-1', () => -1]);
    if (k.above !== undefined) out.push([`${k.above} (not above it)`, () => k.above]);
  }
  if (k.max !== undefined) {
    out.push([`${k.max + 1} (above ${k.max})`, () => k.max! + 1]);
    if (k.max < 1e9) out.push(['1e9', () => 1e9]);
  }
  return out;
}

function isTensor(x: unknown): x is tf.Tensor {
  return x instanceof tf.Tensor;
}

/** Bad values for a parameter of kind `k` whose good value is `valid()`. */
export function badValues(p: Param): [string, () => unknown][] {
  const k = p.kind;
  const missing: [string, () => unknown][] = p.optional ? [] : [['undefined', () => undefined]];
  const types = (except: string[] = []) => [...missing, ...WRONG_TYPES.filter(([l]) => !except.includes(l))];
  switch (k.t) {
    case 'none':
      return [];
    case 'int':
      return [...types(), ...numberCases({ min: k.min, max: k.max, integer: true, safe: k.safe })];
    case 'num':
      return [...types(), ...numberCases({ min: k.min, max: k.max, above: k.above })];
    case 'bool':
      return [...missing, ['the string "no"', () => 'no'], ['1', () => 1], ['0', () => 0], ['null', () => null], ['an object', () => ({})]];
    case 'str':
      return [...types(['a string']), ['42', () => 42], ...(k.choices ? ([['an unknown name', () => 'bogus']] as [string, () => unknown][]) : [])];
    case 'fn':
      return [...types(), ['42', () => 42]];
    case 'opts': {
      const out: [string, () => unknown][] = [
        ['a string', () => 'x'],
        ['42', () => 42],
        ['null', () => null],
        ['an array', () => []],
      ];
      if (!k.open) out.push(['an unknown key', () => ({ ...(p.valid() as object), bogusKey: 1 })]);
      for (const key of k.keys) {
        for (const [label, make] of badValues(key)) {
          out.push([`.${key.name} ${label}`, () => ({ ...(p.valid() as object), [key.name]: make() })]);
        }
      }
      return out;
    }
    case 'nd': {
      const shape = () => (p.valid() as { shape: number[] }).shape;
      const out: [string, () => unknown][] = [
        ...types(),
        ['42', () => 42],
        ['data of the wrong length', () => ({ shape: shape(), data: new Float32Array(shape().reduce((a, b) => a * b, 1) + 1) })],
        ['plain-array data', () => ({ shape: shape(), data: new Array(shape().reduce((a, b) => a * b, 1)).fill(0) })],
        ['a NaN entry', () => {
          const v = p.valid() as { shape: number[]; data: Float32Array };
          const data = Float32Array.from(v.data);
          data[0] = NaN;
          return { shape: [...v.shape], data };
        }],
        ['an empty shape axis', () => ({ shape: [...shape().slice(0, -1), 0], data: new Float32Array(0) })],
      ];
      if (k.rank !== undefined) out.push([`rank ${k.rank + 1}`, () => ({ shape: [1, ...shape()], data: new Float32Array(shape().reduce((a, b) => a * b, 1)) })]);
      return out;
    }
    case 'tensor': {
      const like = () => p.valid() as tf.Tensor;
      const out: [string, () => unknown][] = [
        ...types(),
        ['42', () => 42],
        ['a disposed tensor', () => {
          const t = tf.zeros(like().shape);
          t.dispose();
          return t;
        }],
      ];
      if (k.rank !== undefined) out.push([`rank ${k.rank + 1}`, () => tf.zeros([1, ...like().shape])]);
      if (k.finite) {
        out.push(['a NaN entry', () => tf.tidy(() => {
          const v = like();
          const flat = Float32Array.from(v.dataSync());
          flat[0] = NaN;
          return tf.tensor(flat, v.shape);
        })]);
        out.push(['an Infinity entry', () => tf.tidy(() => {
          const v = like();
          const flat = Float32Array.from(v.dataSync());
          flat[flat.length - 1] = Infinity;
          return tf.tensor(flat, v.shape);
        })]);
      }
      if (k.nonEmpty) out.push(['an empty batch', () => tf.zeros([0, ...like().shape.slice(1)])]);
      return out;
    }
    case 'labels': {
      const n = () => (p.valid() as tf.Tensor).shape[0];
      const ids = (last: number) => () => tf.tensor1d([...new Array(n() - 1).fill(0), last], 'float32');
      return [
        ...types(),
        ['42', () => 42],
        ['a disposed tensor', () => {
          const t = tf.zeros([n()]);
          t.dispose();
          return t;
        }],
        ['one label too many', () => tf.zeros([n() + 1], 'int32')],
        [`class 42 of ${k.classes}`, ids(42)],
        [`class ${k.classes} of ${k.classes}`, ids(k.classes)],
        ['class -1', ids(-1)],
        ['class 0.5', ids(0.5)],
        ['class NaN', ids(NaN)],
        [`one-hot of ${k.classes + 1} classes`, () => tf.oneHot(tf.zeros([n()], 'int32'), k.classes + 1)],
        ['one-hot with a NaN', () => tf.tidy(() => {
          const m = tf.oneHot(tf.zeros([n()], 'int32'), k.classes).toFloat();
          return tf.where(tf.equal(m, 1), tf.fill(m.shape, NaN), m);
        })],
        ['labels of rank 3', () => tf.zeros([n(), k.classes, 1])],
      ];
    }
    case 'model':
      return [...types(), ['a layer', () => tf.layers.dense({ units: 1 })], ['a model-like object', () => ({ predict: () => tf.zeros([1]), inputs: [], layers: [] })]];
    case 'sym':
      return [...types(), ['a concrete tensor', () => tf.zeros([1, 4, 4, 2])], [`a rank-${k.rank - 1} input`, () => tf.input({ shape: [4, 4].slice(0, k.rank - 3).concat([2]) })]];
    case 'array': {
      const out: [string, () => unknown][] = [...missing, ['a string', () => 'x'], ['null', () => null], ['an object', () => ({})], ['42', () => 42]];
      if ((k.min ?? 1) >= 1) out.push(['an empty array', () => []]);
      const base = () => (p.valid() as unknown[] | undefined) ?? [k.of?.valid()];
      if (k.max !== undefined) out.push([`${k.max + 1} entries`, () => new Array(k.max! + 1).fill(base()[0])]);
      if (k.of) {
        for (const [label, make] of badValues({ ...k.of, optional: false }).filter(([l]) => l !== 'undefined')) {
          out.push([`[${label}]`, () => {
            const v = [...base()];
            v[0] = make();
            return v;
          }]);
        }
      }
      return out;
    }
    case 'pair':
      return [
        ...types(),
        ['NaN', () => NaN],
        ['0', () => 0],
        ['-1', () => -1],
        ['2.5', () => 2.5],
        ['[1]', () => [1]],
        ['[1, 1, 1]', () => [1, 1, 1]],
        ['[0, 1]', () => [0, 1]],
        ['[1, NaN]', () => [1, NaN]],
        ...(k.max !== undefined ? ([['1e9', () => 1e9]] as [string, () => unknown][]) : []),
      ];
    case 'shape':
      return [
        ...types(['an array']),
        ['42', () => 42],
        ['[NaN]', () => [NaN]],
        ['[0]', () => [0]],
        ['[-1]', () => [-1]],
        ['[2.5]', () => [2.5]],
        ["['2']", () => ['2']],
        ...(k.max ? ([['[1e9, 1e9] (too many elements)', () => [1e9, 1e9]], ['[2^15, 2^15] (too many elements)', () => [2 ** 15, 2 ** 15]]] as [string, () => unknown][]) : []),
      ];
    case 'custom':
      return [...(k.types === false ? [] : types()), ...k.bad().map(([l, v]) => [l, () => v] as [string, () => unknown])];
  }
}

/** The call with every argument good: it must succeed (a check of the table itself). */
export const VALID = 'every argument valid';

/** Every generated case of an entry, then its hand-written ones; first, the call with good arguments. */
export function casesOf(e: Entry): Case[] {
  const out: Case[] = [{ label: VALID, args: () => e.params.map((q) => q.valid()), ok: () => true }];
  e.params.forEach((p, i) => {
    for (const [label, make] of badValues(p)) {
      const full = `${p.name} ${label}`;
      if (e.skip?.includes(full)) continue;
      out.push({ label: full, args: () => e.params.map((q, j) => (j === i ? make() : q.valid())) });
    }
  });
  return [...out, ...(e.extra ?? [])];
}

function disposeDeep(x: unknown, seen = new Set<unknown>()): void {
  if (x === null || typeof x !== 'object' || seen.has(x) || shared.has(x)) return;
  seen.add(x);
  if (isTensor(x)) {
    if (!x.isDisposed) x.dispose();
    return;
  }
  if (x instanceof tf.LayersModel) {
    x.dispose();
    return;
  }
  if (x instanceof tf.layers.Layer) {
    if (x.built) x.dispose();
    return;
  }
  if (Array.isArray(x)) for (const v of x) disposeDeep(v, seen);
  else if (Object.getPrototypeOf(x) === Object.prototype) for (const v of Object.values(x)) disposeDeep(v, seen);
}

const PROJECT_ERRORS = [ArgError, DataError, BackendError];

/** Run one case and say how it ended. */
export async function runCase(e: Entry, c: Case): Promise<Result> {
  const fn = e.names[0];
  const args = c.args();
  const before = tf.memory().numTensors;
  let result: unknown;
  let error: unknown;
  let threw = false;
  try {
    result = e.call(...args);
    if (result instanceof Promise) result = await result;
  } catch (err) {
    threw = true;
    error = err;
  }
  const after = tf.memory().numTensors;
  const r = (outcome: Outcome, detail: string): Result => ({ fn, label: c.label, outcome, detail });
  let res: Result;
  if (!threw) {
    res = c.ok?.(result) ? r('ok', 'correct result') : r('accepted', `returned ${summarize(result)}`);
  } else if (c.label === VALID) {
    res = r('valid call rejected', `${(error as Error)?.name}: ${String((error as Error)?.message ?? error).split('\n')[0]}`);
  } else {
    const msg = error instanceof Error ? error.message : String(error);
    const first = msg.split('\n')[0].slice(0, 160);
    if (c.userError !== undefined && msg === c.userError) res = after !== before ? r('leak', `${after - before} tensors left: ${first}`) : r('ok', `the callback's own error: ${first}`);
    else if (!PROJECT_ERRORS.some((cls) => error instanceof cls)) res = r('raw error', `${(error as Error)?.name ?? typeof error}: ${first}`);
    else if (msg.includes('\n')) res = r('multi-line', first);
    else if (!e.names.some((n) => msg.startsWith(`${n}: `))) res = r('wrong name', first);
    else if (after !== before) res = r('leak', `${after - before} tensors left: ${first}`);
    else res = r('ok', first);
  }
  disposeDeep(result);
  disposeDeep(args);
  return res;
}

function summarize(v: unknown): string {
  if (isTensor(v)) return `a tensor [${v.isDisposed ? 'disposed' : v.shape.join(', ')}]`;
  if (v instanceof tf.LayersModel) return `a model '${v.name}'`;
  if (v instanceof tf.layers.Layer) return `a layer '${v.name}'`;
  if (typeof v === 'number') return String(v);
  if (v === undefined) return 'undefined';
  try {
    const s = JSON.stringify(v, (_k, x) => (isTensor(x) ? `<tensor ${x.shape}>` : ArrayBuffer.isView(x) ? `<${x.constructor.name}>` : x));
    return (s ?? String(v)).slice(0, 100);
  } catch {
    return String(v).slice(0, 100);
  }
}

// ------------------------------------------------------------------------------------------------
// Short constructors for the tables.

export const int = (name: string, valid: unknown, o: { min?: number; max?: number; optional?: boolean; safe?: boolean } = {}): Param => ({
  name,
  valid: () => valid,
  kind: { t: 'int', min: o.min ?? 1, max: o.max, safe: o.safe },
  optional: o.optional,
});
export const num = (name: string, valid: unknown, o: { min?: number; max?: number; above?: number; optional?: boolean } = {}): Param => ({
  name,
  valid: () => valid,
  kind: { t: 'num', min: o.min, max: o.max, above: o.above },
  optional: o.optional,
});
export const bool = (name: string, valid?: boolean): Param => ({ name, valid: () => valid, kind: { t: 'bool' }, optional: true });
export const str = (name: string, valid?: string, choices?: readonly string[], optional = true): Param => ({
  name,
  valid: () => valid,
  kind: { t: 'str', choices },
  optional,
});
/** A function parameter whose good value is `valid` (itself a function, or undefined when optional). */
export const fnP = (name: string, valid: ((...a: any[]) => unknown) | undefined, optional = false): Param => ({ name, valid: () => valid, kind: { t: 'fn' }, optional });
export const opts = (name: string, keys: Param[], o: { valid?: () => object; open?: boolean; optional?: boolean } = {}): Param => ({
  name,
  valid: o.valid ?? (() => ({})),
  kind: { t: 'opts', keys, open: o.open },
  optional: o.optional ?? true,
});
export const nd = (name: string, valid: () => unknown, rank?: number): Param => ({ name, valid, kind: { t: 'nd', rank } });
export const tensor = (name: string, valid: () => unknown, o: { rank?: number; finite?: boolean; nonEmpty?: boolean; optional?: boolean } = {}): Param => ({
  name,
  valid,
  kind: { t: 'tensor', rank: o.rank, finite: o.finite, nonEmpty: o.nonEmpty },
  optional: o.optional,
});
export const labels = (name: string, valid: () => unknown, classes: number): Param => ({ name, valid, kind: { t: 'labels', classes } });
export const model = (name: string, valid: () => unknown): Param => ({ name, valid, kind: { t: 'model' } });
export const sym = (name: string, valid: () => unknown, rank = 4): Param => ({ name, valid, kind: { t: 'sym', rank } });
export const array = (name: string, valid: () => unknown, o: { of?: Param; min?: number; max?: number; optional?: boolean } = {}): Param => ({
  name,
  valid,
  kind: { t: 'array', of: o.of, min: o.min, max: o.max },
  optional: o.optional,
});
export const pair = (name: string, valid: unknown, optional = false, max?: number): Param => ({ name, valid: () => valid, kind: { t: 'pair', max }, optional });
export const shape = (name: string, valid: () => unknown, o: { max?: boolean; optional?: boolean } = {}): Param => ({
  name,
  valid,
  kind: { t: 'shape', max: o.max },
  optional: o.optional,
});
export const custom = (name: string, valid: () => unknown, bad: () => [string, unknown][], o: { optional?: boolean; types?: boolean } = {}): Param => ({
  name,
  valid,
  kind: { t: 'custom', bad, types: o.types },
  optional: o.optional,
});
export const fixed = (name: string, valid: () => unknown): Param => ({ name, valid, kind: { t: 'none' } });

/** A hand-written case. */
export const bad = (label: string, args: () => unknown[], ok?: (r: unknown) => boolean): Case => ({ label, args, ok });

/** A hand-written case whose callback throws `message`: the error must come through unchanged, leaving no tensor. */
export const throwing = (label: string, args: () => unknown[], message: string): Case => ({ label, args, userError: message });

export const entry = (names: string | string[], call: (...args: any[]) => unknown, params: Param[], extra: Case[] = [], skip: string[] = []): Entry => ({
  names: typeof names === 'string' ? [names] : names,
  call,
  params,
  extra,
  skip,
});

/** `e`, recorded as exercising the export `name` (for entries whose message names another function). */
export const covering = (name: string, e: Entry): Entry => ({ ...e, covers: [name] });

/** Cases that ask for a huge size or count: they hang or exhaust memory where no bound rejects them. */
export const HUGE = /1e9|1e5|1e6|too many|too large|2\^15|2\^28|\(above \d+\)|\d+ entries/;
