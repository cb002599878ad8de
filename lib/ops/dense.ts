/**
 * A fully connected (dense) layer, forward and backward: y = x W + b.
 *
 *   forward   y[n, o]  = b[o] + sum_i x[n, i] W[i, o]
 *   backward  dx = dy W^T      dW = x^T dy      db = sum over the batch of dy
 *
 * Every output sees every input through its own weight: (nIn + 1) * nOut parameters, which is what
 * convolution's parameter sharing avoids.
 * @see notebooks/q08-parameter-sharing.ipynb
 */
import { argError } from '../errors';
import { checkAllFinite, checkElementCount, checkShape } from '../check';
import { checkNd, type NDArray } from './ndarray';

function denseGeometry(fn: string, x: NDArray, w: NDArray): [number, number, number] {
  checkNd(fn, 'x', x, 2, '[N, nIn]');
  checkNd(fn, 'w', w, 2, '[nIn, nOut]');
  const [n, nin] = x.shape;
  if (w.shape[0] !== nin) argError(fn, 'w.shape[0]', `must equal the input features ${nin} (x is [${x.shape.join(', ')}])`, w.shape[0]);
  checkElementCount(fn, 'output', n * w.shape[1], `[${n}, ${w.shape[1]}]`);
  return [n, nin, w.shape[1]];
}

/**
 * Dense layer without activation.
 * @param x inputs [N, nIn] (flatten images first)
 * @param w weights [nIn, nOut]
 * @param b bias [nOut], default none
 * @returns [N, nOut]
 * @throws ArgError on a wrong rank, w.shape[0] != nIn, a bias of the wrong length, an output of more than
 *   MAX_ELEMENTS (2^28) values, or NaN in the data
 * @example dense(ndarray([[1, 2]]), ndarray([[1, 0, 1], [0, 1, 1]]), [0, 0, 1])  // [[1, 2, 4]]
 * @see notebooks/q08-parameter-sharing.ipynb
 */
export function dense(x: NDArray, w: NDArray, b?: ArrayLike<number>): NDArray {
  const fn = 'dense';
  const [n, nin, nout] = denseGeometry(fn, x, w);
  if (b !== undefined) {
    checkAllFinite(fn, 'b', b);
    if (b.length !== nout) argError(fn, 'b', `must have ${nout} entries (one per output)`, b.length);
  }
  const y = new Float32Array(n * nout);
  const acc = new Float64Array(nout);
  for (let r = 0; r < n; r++) {
    for (let o = 0; o < nout; o++) acc[o] = b ? b[o] : 0;
    for (let i = 0; i < nin; i++) {
      const xv = x.data[r * nin + i];
      for (let o = 0; o < nout; o++) acc[o] += xv * w.data[i * nout + o];
    }
    y.set(acc, r * nout);
  }
  return { shape: [n, nout], data: y };
}

/**
 * Backward pass of {@link dense}.
 * @param x the forward input [N, nIn]
 * @param w the forward weights [nIn, nOut]
 * @param dy upstream gradient [N, nOut]
 * @returns { dx [N, nIn], dw [nIn, nOut], db [nOut] }
 * @throws ArgError as {@link dense}, and when dy is not [N, nOut]
 * @example const { dw } = denseBackward(x, w, dy);
 * @see notebooks/q12-backpropagation.ipynb
 */
export function denseBackward(x: NDArray, w: NDArray, dy: NDArray): { dx: NDArray; dw: NDArray; db: NDArray } {
  const fn = 'denseBackward';
  const [n, nin, nout] = denseGeometry(fn, x, w);
  checkNd(fn, 'dy', dy, 2, '[N, nOut]');
  checkShape(fn, 'dy', dy.shape, [n, nout]);
  const dx = new Float64Array(n * nin);
  const dw = new Float64Array(nin * nout);
  const db = new Float64Array(nout);
  for (let r = 0; r < n; r++) {
    for (let o = 0; o < nout; o++) {
      const g = dy.data[r * nout + o];
      db[o] += g;
      for (let i = 0; i < nin; i++) {
        dx[r * nin + i] += g * w.data[i * nout + o];
        dw[i * nout + o] += g * x.data[r * nin + i];
      }
    }
  }
  return {
    dx: { shape: [n, nin], data: Float32Array.from(dx) },
    dw: { shape: [nin, nout], data: Float32Array.from(dw) },
    db: { shape: [nout], data: Float32Array.from(db) },
  };
}
