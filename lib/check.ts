/**
 * Argument and shape checks used at the public entry points of cnnlib. Each throws an
 * {@link ArgError} whose one-line message names the function, the argument, the rule and the
 * value received; nothing here returns a sentinel.
 */
import { argError } from './errors';

/** A shape, outermost axis first (NHWC for images). */
export type Shape = readonly number[];

/**
 * The most elements one array or tensor that cnnlib allocates may hold: 2^28 (268,435,456, i.e. 1 GiB of
 * float32). A size, shape or count asking for more is rejected before anything is allocated, instead of
 * exhausting the heap of the kernel.
 */
export const MAX_ELEMENTS = 2 ** 28;

/**
 * The most iterations one argument may ask of a loop: attack steps, SmoothGrad samples, integrated-gradient
 * steps, epochs, routing iterations, timing repeats, episodes, trials. 100,000: more would keep a notebook
 * cell busy for hours (or forever, for 1e9).
 */
export const MAX_STEPS = 100_000;

/**
 * `value` must be an integer >= 1 (and at most `max` when given).
 * @example checkPositiveInt('conv2d', 'filters', 32)  // 32; 2.5 throws
 * @example checkPositiveInt('pgd', 'opts.steps', 1e9, MAX_STEPS)  // throws 'pgd: opts.steps must be at most 100000, got 1000000000'
 * @see notebooks/q03-convolution-operation.ipynb
 */
export function checkPositiveInt(fn: string, arg: string, value: unknown, max?: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    argError(fn, arg, 'must be a positive integer', value);
  }
  if (max !== undefined && value > max) argError(fn, arg, `must be at most ${max}`, value);
  return value;
}

/**
 * `value` must be an integer >= 0 (and at most `max` when given).
 * @example checkNonNegativeInt('loadMnist', 'offset', 0)  // 0
 * @see notebooks/q03-convolution-operation.ipynb
 */
export function checkNonNegativeInt(fn: string, arg: string, value: unknown, max?: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    argError(fn, arg, 'must be a non-negative integer', value);
  }
  if (max !== undefined && value > max) argError(fn, arg, `must be at most ${max}`, value);
  return value;
}

/**
 * `count` elements must fit one array: at most {@link MAX_ELEMENTS}. `what` says what is counted.
 * @example checkElementCount('ndZeros', 'shape', 1e18, '[1e9, 1e9]')  // throws 'ndZeros: shape must hold at most 268435456 elements (2^28), got [1e9, 1e9] = 1e+18'
 * @see notebooks/q22-computational-challenges.ipynb
 */
export function checkElementCount(fn: string, arg: string, count: number, what?: string): number {
  if (!(count <= MAX_ELEMENTS)) argError(fn, arg, `must hold at most ${MAX_ELEMENTS} elements (2^28)`, what ? `${what} = ${count}` : count);
  return count;
}

/**
 * `value` must be true or false: a string such as 'no' or a number is not taken as truthy.
 * @example checkBoolean('SpatialAttention', 'useBias', 'no')  // throws "SpatialAttention: useBias must be true or false, got \"no\""
 * @see notebooks/q21-attention.ipynb
 */
export function checkBoolean(fn: string, arg: string, value: unknown): boolean {
  if (value !== true && value !== false) argError(fn, arg, 'must be true or false', value);
  return value;
}

/**
 * `value` must be a string.
 * @example checkString('filtersSpec', 'opts.title', 42)  // throws 'filtersSpec: opts.title must be a string, got 42'
 * @see notebooks/q07-feature-maps.ipynb
 */
export function checkString(fn: string, arg: string, value: unknown): string {
  if (typeof value !== 'string') argError(fn, arg, 'must be a string', value);
  return value;
}

/**
 * `value` must be a function.
 * @example checkFunction('playEpisodes', 'policy', 42)  // throws 'playEpisodes: policy must be a function, got 42'
 * @see notebooks/q25-cnns-in-rl.ipynb
 */
export function checkFunction<T extends (...args: never[]) => unknown>(fn: string, arg: string, value: unknown, rule = 'must be a function'): T {
  if (typeof value !== 'function') argError(fn, arg, rule, value);
  return value as T;
}

/**
 * `value` must be an array (or typed array) of finite numbers, at least `minLength` long.
 * @example checkNumbers('movingAverage', 'values', [1, NaN])  // throws 'movingAverage: values must contain only finite numbers (index 1), got NaN'
 * @see notebooks/q25-cnns-in-rl.ipynb
 */
export function checkNumbers(fn: string, arg: string, value: unknown, minLength = 0): ArrayLike<number> {
  const isList = Array.isArray(value) || (ArrayBuffer.isView(value) && !(value instanceof DataView));
  if (!isList) argError(fn, arg, 'must be an array of numbers', value);
  const list = value as ArrayLike<unknown>;
  if (list.length < minLength) argError(fn, arg, `must have at least ${minLength} entr${minLength === 1 ? 'y' : 'ies'}`, value);
  for (let i = 0; i < list.length; i++) {
    if (typeof list[i] !== 'number' || !Number.isFinite(list[i])) argError(fn, arg, `must contain only finite numbers (index ${i})`, list[i]);
  }
  return list as ArrayLike<number>;
}

/**
 * `value` must be a finite number (not NaN or +-Infinity).
 * @example checkFinite('fgsm', 'epsilon', 0.1)  // 0.1; NaN throws
 * @see notebooks/q03-convolution-operation.ipynb
 */
export function checkFinite(fn: string, arg: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    argError(fn, arg, 'must be a finite number', value);
  }
  return value;
}

/**
 * `value` must be a finite number in [lo, hi].
 * @example checkInRange('dropout', 'rate', 0.5, 0, 1)  // 0.5
 * @see notebooks/q03-convolution-operation.ipynb
 */
export function checkInRange(fn: string, arg: string, value: unknown, lo: number, hi: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < lo || value > hi) {
    argError(fn, arg, `must be a number in [${lo}, ${hi}]`, value);
  }
  return value;
}

/**
 * `value` must be one of `choices`.
 * @example checkOneOf('conv2d', 'padding', 'same', ['valid', 'same'])  // 'same'
 * @see notebooks/q03-convolution-operation.ipynb
 */
export function checkOneOf<T extends string>(fn: string, arg: string, value: unknown, choices: readonly T[]): T {
  if (!choices.includes(value as T)) {
    argError(fn, arg, `must be one of ${choices.map((c) => `'${c}'`).join(', ')}`, value);
  }
  return value as T;
}

/**
 * `opts` must be an object (or undefined) whose keys are all in `allowed`: a misspelt option (`stride`
 * for `strides`) is an error, not a silent default. An option set to null is an error too (leave it out
 * for its default), so that `?? default` after this check never turns a null into the default.
 * @param allowed the option names; `null` accepts any name (a layer's arguments, which tfjs extends)
 *   and still rejects a null value for the names in `checked`
 * @throws ArgError `fn: arg.key is not an option (allowed: a, b), got value`, `fn: arg.key must not be null
 *   (leave it out for the default)`, or `fn: arg must be an object`
 * @example checkOptionKeys('convOutputSize', 'opts', { strides: 2 }, ['strides', 'padding', 'dilations'])
 * @see notebooks/q11-stride.ipynb
 */
export function checkOptionKeys(fn: string, arg: string, opts: unknown, allowed: readonly string[] | null, checked: readonly string[] = []): void {
  if (opts === undefined) return;
  if (opts === null || typeof opts !== 'object' || Array.isArray(opts)) argError(fn, arg, 'must be an object', opts);
  for (const [key, value] of Object.entries(opts)) {
    if (allowed && !allowed.includes(key)) argError(fn, `${arg}.${key}`, `is not an option (allowed: ${allowed.join(', ')})`, value);
    if (value === null && (allowed || checked.includes(key))) argError(fn, `${arg}.${key}`, 'must not be null (leave it out for the default)', value);
  }
}

/**
 * `shape` must have exactly `rank` axes; `layout` (e.g. '[N, H, W, C]') is named in the message.
 * @example checkRank('conv2d', 'x', [28, 28], 4, '[N, H, W, C]')  // throws 'conv2d: x must have rank 4 [N, H, W, C], got [28, 28]'
 * @see notebooks/q03-convolution-operation.ipynb
 */
export function checkRank(fn: string, arg: string, shape: Shape, rank: number, layout?: string): Shape {
  if (!Array.isArray(shape) || shape.length !== rank) {
    argError(fn, arg, `must have rank ${rank}${layout ? ` ${layout}` : ''}`, shape);
  }
  return shape;
}

/**
 * Every entry of `values` must be finite; reports the first offending index.
 * @example checkAllFinite('conv2d', 'x', [1, NaN])  // throws '... (index 1), got NaN'
 * @see notebooks/q03-convolution-operation.ipynb
 */
export function checkAllFinite(fn: string, arg: string, values: ArrayLike<number>): void {
  const isList = Array.isArray(values) || (ArrayBuffer.isView(values) && !(values instanceof DataView));
  if (!isList) argError(fn, arg, 'must be an array of numbers', values);
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) argError(fn, arg, `must contain only finite numbers (index ${i})`, values[i]);
  }
}

/**
 * Two shapes must be equal. A lesson can call this to state what it expects.
 * @example checkShape('q03', 'output', [1, 2, 2, 1], [1, 2, 2, 1])
 * @see notebooks/q03-convolution-operation.ipynb
 */
export function checkShape(fn: string, arg: string, actual: Shape, expected: Shape): Shape {
  const same = Array.isArray(actual) && actual.length === expected.length && actual.every((d, i) => d === expected[i]);
  if (!same) argError(fn, arg, `must have shape [${expected.join(', ')}]`, actual);
  return actual;
}
