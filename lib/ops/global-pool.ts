/**
 * Global pooling: one number per channel, the mean (Keras GlobalAveragePooling2D) or the maximum
 * (GlobalMaxPooling2D) over all H x W positions. It replaces Flatten + a large Dense layer at the end
 * of modern CNNs and has no parameters.
 * @see notebooks/q04-pooling.ipynb
 */
import { checkNd, type NDArray } from './ndarray';

function globalPool(fn: string, x: NDArray, reduce: 'mean' | 'max'): NDArray {
  checkNd(fn, 'x', x, 4, '[N, H, W, C]');
  const [n, h, w, c] = x.shape;
  const out = new Float32Array(n * c);
  for (let b = 0; b < n; b++) {
    for (let ch = 0; ch < c; ch++) {
      let acc = reduce === 'mean' ? 0 : -Infinity;
      for (let k = 0; k < h * w; k++) {
        const v = x.data[(b * h * w + k) * c + ch];
        acc = reduce === 'mean' ? acc + v : Math.max(acc, v);
      }
      out[b * c + ch] = reduce === 'mean' ? acc / (h * w) : acc;
    }
  }
  return { shape: [n, c], data: out };
}

/**
 * Global average pooling: the mean of each channel over all positions.
 * @param x input [N, H, W, C]
 * @returns [N, C]
 * @throws ArgError on a wrong rank or NaN in x
 * @example globalAvgPool2d(ndarray(featureMap, [1, 6, 6, 1]))  // [[mean of the 36 values]]
 * @see notebooks/q04-pooling.ipynb
 */
export function globalAvgPool2d(x: NDArray): NDArray {
  return globalPool('globalAvgPool2d', x, 'mean');
}

/**
 * Global max pooling: the maximum of each channel over all positions.
 * @param x input [N, H, W, C]
 * @returns [N, C]
 * @throws ArgError on a wrong rank or NaN in x
 * @example globalMaxPool2d(ndarray(featureMap, [1, 6, 6, 1]))  // [[6]]
 * @see notebooks/q04-pooling.ipynb
 */
export function globalMaxPool2d(x: NDArray): NDArray {
  return globalPool('globalMaxPool2d', x, 'max');
}
