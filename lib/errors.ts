/**
 * Error classes and message builders of cnnlib. Every user-facing message is built here so that
 * they read alike: `fn: arg must <rule>, got <value>`.
 * @see notebooks/q01-what-is-a-cnn.ipynb (the first notebook shows one)
 */

/**
 * Bad argument to a public function: wrong type, range, rank or shape. Its message is one line,
 * `fn: arg must <rule>, got <value>` (see {@link argMessage}).
 * @example try { convOutputSize(28, 0) } catch (e) { e instanceof ArgError }  // true
 * @see notebooks/q03-convolution-operation.ipynb
 */
export class ArgError extends Error {
  override name = 'ArgError';
}

/**
 * A data file is missing, truncated or not what it claims to be.
 * @example loadMnistArrays('test', { dir: '/empty' })  // throws DataError: readIdx: cannot read ...
 * @see notebooks/q01-what-is-a-cnn.ipynb
 */
export class DataError extends Error {
  override name = 'DataError';
}

/**
 * The compute backend cannot do what was asked (missing kernel, failed initialisation).
 * @example CNN_BACKEND=tensorflow without tfjs-node: await ready()  // throws BackendError
 * @see notebooks/q01-what-is-a-cnn.ipynb
 */
export class BackendError extends Error {
  override name = 'BackendError';
}

/**
 * Shorten a value for a one-line message: number arrays as `[1, 28, 28]`, other values as JSON,
 * typed arrays by type and length, anything longer than 80 characters cut.
 * @example describe([1, 28, 28])  // '[1, 28, 28]'
 * @see notebooks/q03-convolution-operation.ipynb
 */
export function describe(value: unknown): string {
  let s: string;
  if (typeof value === 'string') s = JSON.stringify(value);
  else if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') s = String(value);
  else if (value === undefined) s = 'undefined';
  else if (value === null) s = 'null';
  else if (Array.isArray(value) && value.every((v) => typeof v === 'number')) s = `[${value.join(', ')}]`;
  else if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    const a = value as unknown as ArrayLike<number>;
    s = `${value.constructor.name}(${a.length})`;
  } else {
    try {
      s = JSON.stringify(value) ?? String(value);
    } catch {
      s = String(value);
    }
  }
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

/**
 * The one-line message of a rejected argument.
 * @example argMessage('convOutputSize', 'kernelSize', 'must be a positive integer', 2.5)
 *   // 'convOutputSize: kernelSize must be a positive integer, got 2.5'
 * @see notebooks/q03-convolution-operation.ipynb
 */
export function argMessage(fn: string, arg: string, rule: string, value: unknown): string {
  return `${fn}: ${arg} ${rule}, got ${describe(value)}`;
}

/**
 * Throw an {@link ArgError} with {@link argMessage}.
 * @example if (!(k >= 1)) argError('convOutputSize', 'kernelSize', 'must be >= 1', k);
 * @see notebooks/q03-convolution-operation.ipynb
 */
export function argError(fn: string, arg: string, rule: string, value: unknown): never {
  throw new ArgError(argMessage(fn, arg, rule, value));
}
