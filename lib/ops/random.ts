/**
 * Seeded pseudo-random numbers for the hand-written ops, their tests and the notebooks: the same seed
 * gives the same arrays on every machine (Math.random cannot be seeded).
 * @see notebooks/q03-convolution-operation.ipynb
 */
import { checkFinite, checkNonNegativeInt, type Shape } from '../check';
import { argError } from '../errors';
import { ndZeros, type NDArray } from './ndarray';

/**
 * A generator of uniform numbers in [0, 1): mulberry32, a 32-bit generator that is small, fast and
 * good enough for test data and weight initialisation (not for cryptography).
 * @param seed a non-negative integer
 * @throws ArgError when the seed is not a non-negative integer
 * @example const rand = mulberry32(42); rand();  // same value on every run
 * @see notebooks/q03-convolution-operation.ipynb
 */
export function mulberry32(seed: number): () => number {
  checkNonNegativeInt('mulberry32', 'seed', seed);
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * An array of uniform random values in [low, high), reproducible from `seed`.
 * @param shape positive integers
 * @param opts.seed default 0; opts.low default -1; opts.high default 1
 * @throws ArgError on a bad shape or seed, or when low >= high
 * @example ndRandom([1, 5, 5, 3], { seed: 7 })
 * @see notebooks/q03-convolution-operation.ipynb
 */
export function ndRandom(shape: Shape, opts: { seed?: number; low?: number; high?: number } = {}): NDArray {
  const fn = 'ndRandom';
  const low = checkFinite(fn, 'opts.low', opts.low ?? -1);
  const high = checkFinite(fn, 'opts.high', opts.high ?? 1);
  if (!(low < high)) argError(fn, 'opts.high', `must be greater than opts.low (${low})`, high);
  const rand = mulberry32(opts.seed ?? 0);
  const out = ndZeros(shape);
  for (let i = 0; i < out.data.length; i++) out.data[i] = low + (high - low) * rand();
  return out;
}
