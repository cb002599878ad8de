/**
 * MaxPoolGrad for the wasm backend. Each window's gradient goes to the first maximum of the window
 * in row-major order, as tfjs's cpu kernel and TensorFlow do. The kernel tfjs-backend-wasm 4.22
 * ships is wrong whenever a window's maximum is negative or a 'same' window hangs over the border
 * (it drops those gradients), and slower; this one replaces it.
 *
 *   dx[n, r, c, ch] = sum over windows (i, j) whose first maximum is (r, c): dy[n, i, j, ch]
 *
 * It is a scatter, one read of x and one write of dx per window pixel, so it runs as a plain loop
 * over the wasm heap (x, dy and dx are views of the backend's own memory; nothing is copied out).
 * Measured in a training step of the Q1 CNN (2x2 pools, stride 2, batch 32): 3.7 ms for 26x26x32 and
 * 1.2 ms for 11x11x64, where the best composition of XNNPACK kernels (window transposes, step,
 * exclusive cumprod) took 9.3 ms and 3.6 ms: ten passes over a tensor cost more than one pass that
 * does a little arithmetic.
 * The pooled output `y` is not needed: the loop finds each window's maximum itself.
 * @see notebooks/q12-backpropagation.ipynb
 */
import * as tf from '@tensorflow/tfjs';
import { heapArray, makeOutput, type KernelBackend, type TensorInfo } from './compose';

export function maxPoolGradWasm(args: {
  inputs: { dy: TensorInfo; input: TensorInfo; output: TensorInfo };
  backend: KernelBackend;
  attrs: tf.MaxPoolGradAttrs;
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { dy, input: x } = inputs;
  const { filterSize, strides, pad, dimRoundingMode } = attrs;
  const info = tf.backend_util.computePool2DInfo(
    x.shape as [number, number, number, number],
    filterSize,
    strides,
    1,
    pad,
    dimRoundingMode,
  );
  const [n, h, w, c] = x.shape;
  const [kh, kw, sh, sw] = [info.filterHeight, info.filterWidth, info.strideHeight, info.strideWidth];
  const [oh, ow] = [info.outHeight, info.outWidth];
  const { top, left } = info.padInfo;
  // Allocate first: a heap that grows detaches views taken before.
  const dx = makeOutput(backend, x.shape, 'float32');
  const xv = heapArray(backend, x) as Float32Array;
  const gv = heapArray(backend, dy) as Float32Array;
  const dv = heapArray(backend, dx) as Float32Array;
  dv.fill(0);
  const rowStride = w * c;
  const imageStride = h * rowStride;
  if (kh === 2 && kw === 2 && sh === 2 && sw === 2 && top === 0 && left === 0 && 2 * oh <= h && 2 * ow <= w) {
    pool2x2Grad(xv, gv, dv, [n, oh, ow, c], rowStride, imageStride);
    return dx;
  }
  // Per window, the running maximum of every channel and where it is: the channels of a pixel are
  // contiguous (NHWC), so the inner loop reads memory in order.
  const best = new Float32Array(c);
  const at = new Int32Array(c);
  let g = 0; // offset of the window's channels in dy, [N, oh, ow, C] in order
  for (let b = 0; b < n; b++) {
    const base = b * imageStride;
    for (let i = 0; i < oh; i++) {
      const r0 = i * sh - top;
      const rMin = Math.max(0, r0);
      const rMax = Math.min(h, r0 + kh);
      for (let j = 0; j < ow; j++, g += c) {
        const c0 = j * sw - left;
        const cMin = Math.max(0, c0);
        const cMax = Math.min(w, c0 + kw);
        best.fill(-Infinity);
        at.fill(-1);
        for (let r = rMin; r < rMax; r++) {
          for (let col = cMin, p = base + r * rowStride + cMin * c; col < cMax; col++, p += c) {
            for (let ch = 0; ch < c; ch++) {
              const v = xv[p + ch];
              // Strictly greater: ties keep the first maximum in row-major order.
              if (v > best[ch]) {
                best[ch] = v;
                at[ch] = p + ch;
              }
            }
          }
        }
        // A window of only -Infinity or NaN has no maximum and passes no gradient (as on cpu).
        for (let ch = 0; ch < c; ch++) if (at[ch] >= 0) dv[at[ch]] += gv[g + ch];
      }
    }
  }
  return dx;
}

/**
 * The usual 2x2 / stride 2 pooling without padding, unrolled: every window lies inside the image.
 * Same rule as the general loop (strictly greater, starting from -Infinity), measured 1.6x faster.
 */
function pool2x2Grad(
  xv: Float32Array,
  gv: Float32Array,
  dv: Float32Array,
  [n, oh, ow, c]: number[],
  rowStride: number,
  imageStride: number,
): void {
  let g = 0;
  for (let b = 0; b < n; b++) {
    for (let i = 0; i < oh; i++) {
      for (let j = 0; j < ow; j++) {
        const p00 = b * imageStride + 2 * i * rowStride + 2 * j * c;
        const p10 = p00 + rowStride;
        for (let ch = 0; ch < c; ch++, g++) {
          let m = -Infinity;
          let at = -1;
          const q00 = p00 + ch;
          const q01 = q00 + c;
          const q10 = p10 + ch;
          const q11 = q10 + c;
          if (xv[q00] > m) (m = xv[q00]), (at = q00);
          if (xv[q01] > m) (m = xv[q01]), (at = q01);
          if (xv[q10] > m) (m = xv[q10]), (at = q10);
          if (xv[q11] > m) at = q11;
          if (at >= 0) dv[at] += gv[g];
        }
      }
    }
  }
}
