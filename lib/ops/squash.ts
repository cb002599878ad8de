/**
 * The squash nonlinearity of capsule networks (Sabour, Frosst and Hinton, 2017): it keeps a vector's
 * direction and maps its length into [0, 1), so the length can act as a probability.
 *
 *   v = (|s|^2 / (1 + |s|^2)) * s / sqrt(|s|^2 + eps)
 *
 * Short vectors shrink to almost zero (|v| ~ |s|^2), long ones approach unit length. eps keeps the zero
 * vector at zero instead of 0/0.
 * @see notebooks/q19-capsule-networks.ipynb
 */
import { argError } from '../errors';
import { checkFinite, checkOptionKeys } from '../check';
import { checkNd, type NDArray } from './ndarray';

/**
 * Squash each vector along the last axis.
 * @param s capsule vectors, any rank >= 1, e.g. [N, capsules, dim]
 * @param opts.epsilon added under the square root, default 1e-7 (Keras' epsilon)
 * @returns same shape; every vector has length |s|^2 / (1 + |s|^2) (up to eps)
 * @throws ArgError when s holds NaN or epsilon is not positive
 * @example squash(ndarray([[3, 4]]))  // length 25/26: [[0.5769, 0.7692]]
 * @see notebooks/q19-capsule-networks.ipynb
 */
export function squash(s: NDArray, opts: { epsilon?: number } = {}): NDArray {
  const fn = 'squash';
  checkNd(fn, 's', s);
  checkOptionKeys(fn, 'opts', opts, ['epsilon']);
  const eps = checkFinite(fn, 'opts.epsilon', opts.epsilon ?? 1e-7);
  if (eps <= 0) argError(fn, 'opts.epsilon', 'must be > 0', eps);
  const d = s.shape[s.shape.length - 1] ?? 1;
  const out = new Float32Array(s.data.length);
  for (let r = 0; r < s.data.length; r += d) {
    let n2 = 0;
    for (let i = 0; i < d; i++) n2 += s.data[r + i] ** 2;
    const f = n2 / (1 + n2) / Math.sqrt(n2 + eps);
    for (let i = 0; i < d; i++) out[r + i] = s.data[r + i] * f;
  }
  return { shape: [...s.shape], data: out };
}
