/**
 * Reproducible TensorFlow.js runs. tfjs has no global seed: every op called without an explicit
 * seed (tf.randomNormal, tf.randomUniform, tf.truncatedNormal, tf.dropout, so every layer
 * initializer and Dropout layer) draws its seed from `Math.random()`, and `model.fit` shuffles
 * with `tf.util.shuffle`, which calls `Math.random()` too. So {@link seed} replaces the global
 * `Math.random` with the project's seeded generator ({@link seededRandom}) and resets it; {@link unseed} puts the native one back.
 *
 * Side effect, on purpose: any other code in the process that calls Math.random (not only tfjs)
 * becomes deterministic too while seeded.
 * @see notebooks/q06-fully-connected-vs-convolutional.ipynb
 */
import { argError } from '../errors';
import { seededRandom } from './generator';

const nativeRandom = Math.random;
let seededWith: number | undefined;

/**
 * Make TensorFlow.js reproducible from here on: replaces the global `Math.random` with
 * {@link seededRandom}'s generator and resets it to the start of the stream for `n`. After `seed(n)`, building a
 * model, training it with `model.fit` (shuffle and dropout included) and calling random ops without
 * an explicit seed give the same numbers every time in the same process and across processes, on
 * a deterministic backend (wasm and cpu are; multi-threaded native kernels may not be).
 * Call it again with the same `n` to replay; call {@link unseed} to restore the native Math.random.
 * @param n the seed, a safe integer (negative allowed)
 * @throws ArgError when n is not a safe integer
 * @example
 *   seed(42);
 *   const a = tf.randomNormal([3]).arraySync();
 *   seed(42);
 *   const b = tf.randomNormal([3]).arraySync();   // same numbers as a
 * @see notebooks/q06-fully-connected-vs-convolutional.ipynb
 */
export function seed(n: number): void {
  if (typeof n !== 'number' || !Number.isSafeInteger(n)) argError('seed', 'n', 'must be a safe integer', n);
  Math.random = seededRandom(n);
  seededWith = n;
}

/**
 * Undo {@link seed}: restore the native (unseeded) `Math.random`. Safe to call when not seeded.
 * @example unseed();
 * @see notebooks/q06-fully-connected-vs-convolutional.ipynb
 */
export function unseed(): void {
  Math.random = nativeRandom;
  seededWith = undefined;
}

/**
 * The seed last given to {@link seed}, or undefined when Math.random is the native one.
 * @example seed(7); currentSeed();  // 7
 * @see notebooks/q06-fully-connected-vs-convolutional.ipynb
 */
export function currentSeed(): number | undefined {
  return seededWith;
}
