/**
 * Error classes and message builders of cnnlib. Every user-facing message is built here so that
 * they read alike: `fn: arg must <rule>, got <value>`.
 * @see notebooks/q01-what-is-a-cnn.ipynb (the first notebook shows one)
 */

/** Bad argument to a public function: wrong type, range, rank or shape. */
export class ArgError extends Error {
  override name = 'ArgError';
}

/** A data file is missing, truncated or not what it claims to be. */
export class DataError extends Error {
  override name = 'DataError';
}

/** The compute backend cannot do what was asked (missing kernel, failed initialisation). */
export class BackendError extends Error {
  override name = 'BackendError';
}

/** Shorten a value for a one-line message: arrays and objects as JSON, long text cut. */
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
 */
export function argMessage(fn: string, arg: string, rule: string, value: unknown): string {
  return `${fn}: ${arg} ${rule}, got ${describe(value)}`;
}

/** Throw an {@link ArgError} with {@link argMessage}. */
export function argError(fn: string, arg: string, rule: string, value: unknown): never {
  throw new ArgError(argMessage(fn, arg, rule, value));
}
