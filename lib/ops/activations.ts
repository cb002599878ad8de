/**
 * Activation functions, elementwise (ReLU, sigmoid) or along the last axis (softmax), with the
 * derivatives a hand-written backward pass needs.
 *
 *   relu(x) = max(0, x)                   relu'(x) = 1 if x > 0 else 0
 *   sigmoid(x) = 1 / (1 + e^-x)           sigmoid'(x) = s (1 - s)
 *   softmax(x)_i = e^(x_i - m) / sum_j e^(x_j - m),  m = max_j x_j  (subtracting m changes nothing but
 *   keeps e^x from overflowing)
 * @see notebooks/q10-local-response-normalization.ipynb
 */
import { checkShape } from '../check';
import { checkNd, type NDArray } from './ndarray';

function map(fn: string, x: NDArray, f: (v: number) => number): NDArray {
  checkNd(fn, 'x', x);
  return { shape: [...x.shape], data: x.data.map(f) };
}

/**
 * Rectified linear unit, elementwise.
 * @param x any shape
 * @returns max(0, x), same shape
 * @throws ArgError when x is not an NDArray or holds NaN
 * @example relu(ndarray([-1, 2]))  // [0, 2]
 * @see notebooks/q10-local-response-normalization.ipynb
 */
export function relu(x: NDArray): NDArray {
  return map('relu', x, (v) => (v > 0 ? v : 0));
}

/**
 * Backward pass of {@link relu}: dy where x > 0, else 0 (the subgradient at 0 is taken as 0, like TensorFlow).
 * @throws ArgError when dy does not have the shape of x
 * @example reluBackward(ndarray([-1, 2]), ndarray([5, 5]))  // [0, 5]
 * @see notebooks/q12-backpropagation.ipynb
 */
export function reluBackward(x: NDArray, dy: NDArray): NDArray {
  const fn = 'reluBackward';
  checkNd(fn, 'x', x);
  checkNd(fn, 'dy', dy);
  checkShape(fn, 'dy', dy.shape, x.shape);
  return { shape: [...x.shape], data: dy.data.map((g, i) => (x.data[i] > 0 ? g : 0)) };
}

/**
 * Logistic sigmoid, elementwise.
 * @param x any shape
 * @returns 1 / (1 + exp(-x)), same shape, in (0, 1)
 * @throws ArgError when x is not an NDArray or holds NaN
 * @example sigmoid(ndarray([0]))  // [0.5]
 * @see notebooks/q12-backpropagation.ipynb
 */
export function sigmoid(x: NDArray): NDArray {
  return map('sigmoid', x, (v) => 1 / (1 + Math.exp(-v)));
}

/**
 * Softmax along the last axis: each row becomes a probability distribution.
 * @param x any rank >= 1; the last axis holds the logits
 * @returns same shape; every row is positive and sums to 1
 * @throws ArgError when x is not an NDArray or holds NaN
 * @example softmax(ndarray([[1, 2, 3]]))  // [[0.090, 0.245, 0.665]]
 * @see notebooks/q12-backpropagation.ipynb
 */
export function softmax(x: NDArray): NDArray {
  checkNd('softmax', 'x', x);
  const k = x.shape[x.shape.length - 1] ?? 1;
  const out = new Float32Array(x.data.length);
  for (let r = 0; r < x.data.length; r += k) {
    let m = -Infinity;
    for (let i = 0; i < k; i++) m = Math.max(m, x.data[r + i]);
    let s = 0;
    for (let i = 0; i < k; i++) s += Math.exp(x.data[r + i] - m);
    for (let i = 0; i < k; i++) out[r + i] = Math.exp(x.data[r + i] - m) / s;
  }
  return { shape: [...x.shape], data: out };
}
