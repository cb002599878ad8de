/**
 * Argument and shape checks used at the public entry points of cnnlib. Each throws an
 * {@link ArgError} whose one-line message names the function, the argument, the rule and the
 * value received; nothing here returns a sentinel.
 */
import { argError } from './errors';

/** A shape, outermost axis first (NHWC for images). */
export type Shape = readonly number[];

/**
 * `value` must be an integer >= 1.
 * @example checkPositiveInt('conv2d', 'filters', 32)  // 32; 2.5 throws
 * @see notebooks/q03-convolution-operation.ipynb
 */
export function checkPositiveInt(fn: string, arg: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    argError(fn, arg, 'must be a positive integer', value);
  }
  return value;
}

/**
 * `value` must be an integer >= 0.
 * @example checkNonNegativeInt('loadMnist', 'offset', 0)  // 0
 * @see notebooks/q03-convolution-operation.ipynb
 */
export function checkNonNegativeInt(fn: string, arg: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    argError(fn, arg, 'must be a non-negative integer', value);
  }
  return value;
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
 * for `strides`) is an error, not a silent default.
 * @throws ArgError `fn: arg.key is not an option (allowed: a, b), got value`, or `fn: arg must be an object`
 * @example checkOptionKeys('convOutputSize', 'opts', { strides: 2 }, ['strides', 'padding', 'dilations'])
 * @see notebooks/q11-stride.ipynb
 */
export function checkOptionKeys(fn: string, arg: string, opts: unknown, allowed: readonly string[]): void {
  if (opts === undefined) return;
  if (opts === null || typeof opts !== 'object' || Array.isArray(opts)) argError(fn, arg, 'must be an object', opts);
  for (const [key, value] of Object.entries(opts)) {
    if (!allowed.includes(key)) argError(fn, `${arg}.${key}`, `is not an option (allowed: ${allowed.join(', ')})`, value);
  }
}

/**
 * `shape` must have exactly `rank` axes; `layout` (e.g. '[N, H, W, C]') is named in the message.
 * @example checkRank('conv2d', 'x', [28, 28], 4, '[N, H, W, C]')  // throws 'conv2d: x must have rank 4 [N, H, W, C], got [28, 28]'
 * @see notebooks/q03-convolution-operation.ipynb
 */
export function checkRank(fn: string, arg: string, shape: Shape, rank: number, layout?: string): Shape {
  if (shape.length !== rank) {
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
  const same = actual.length === expected.length && actual.every((d, i) => d === expected[i]);
  if (!same) argError(fn, arg, `must have shape [${expected.join(', ')}]`, actual);
  return actual;
}
