/**
 * Seeded random arrays for the hand-written ops, their tests and the notebooks: the same seed gives
 * the same array on every machine (drawn from {@link seededRandom}).
 * @see notebooks/q03-convolution-operation.ipynb
 */
import { checkFinite, checkOptionKeys, type Shape } from '../check';
import { argError } from '../errors';
import { seededRandom } from '../random/generator';
import { zerosAs, type NDArray } from './ndarray';

/**
 * An array of uniform random values in [low, high), reproducible from `seed`.
 * @param shape positive integers
 * @param opts.seed default 0; opts.low default -1; opts.high default 1
 * @throws ArgError on a bad shape or seed, when low >= high, or when the shape holds more than MAX_ELEMENTS
 *   (2^28) elements
 * @example ndRandom([1, 5, 5, 3], { seed: 7 })
 * @see notebooks/q03-convolution-operation.ipynb
 */
export function ndRandom(shape: Shape, opts: { seed?: number; low?: number; high?: number } = {}): NDArray {
  const fn = 'ndRandom';
  checkOptionKeys(fn, 'opts', opts, ['seed', 'low', 'high']);
  const out = zerosAs(fn, shape);
  const low = checkFinite(fn, 'opts.low', opts.low ?? -1);
  const high = checkFinite(fn, 'opts.high', opts.high ?? 1);
  if (!(low < high)) argError(fn, 'opts.high', `must be greater than opts.low (${low})`, high);
  const seed = opts.seed ?? 0;
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed)) argError(fn, 'opts.seed', 'must be a safe integer', seed);
  const rand = seededRandom(seed);
  for (let i = 0; i < out.data.length; i++) out.data[i] = low + (high - low) * rand();
  return out;
}
