/**
 * Reproducible TensorFlow.js runs. tfjs has no global seed: every op called without an explicit
 * seed (tf.randomNormal, tf.randomUniform, tf.truncatedNormal, tf.dropout, so every layer
 * initializer and Dropout layer) draws its seed from `Math.random()`, and `model.fit` shuffles
 * with `tf.util.shuffle`, which calls `Math.random()` too. So {@link seed} replaces the global
 * `Math.random` with a seeded generator (sfc32, state mixed from the seed by splitmix32) and
 * resets it; {@link unseed} puts the native one back.
 *
 * Side effect, on purpose: any other code in the process that calls Math.random (not only tfjs)
 * becomes deterministic too while seeded.
 * @see notebooks/q06-fully-connected-vs-convolutional.ipynb
 */
import { argError } from '../errors';

const nativeRandom = Math.random;
let seededWith: number | undefined;

/** splitmix32: spreads the bits of a (possibly small) seed over a full 32-bit word. */
function splitmix32(state: { s: number }): number {
  state.s = (state.s + 0x9e3779b9) | 0;
  let z = state.s;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/**
 * sfc32 (Chris Doty-Humphrey's Small Fast Counting generator): 128-bit state, passes PractRand;
 * returns doubles in [0, 1) with 32 random bits, like V8's Math.random contract.
 */
function sfc32(seedValue: number): () => number {
  const st = { s: seedValue | 0 };
  const hi = Math.floor(seedValue / 4294967296) | 0; // the upper bits of a safe integer seed count too
  let a = splitmix32(st);
  let b = splitmix32(st) ^ hi;
  let c = splitmix32(st);
  let d = 1;
  const next = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 12; i++) next(); // discard the first outputs, as the reference does
  return next;
}

/**
 * Make TensorFlow.js reproducible from here on: replaces the global `Math.random` with a seeded
 * sfc32 generator and resets it to the start of the stream for `n`. After `seed(n)`, building a
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
  Math.random = sfc32(n);
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
