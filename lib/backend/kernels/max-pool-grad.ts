/**
 * MaxPoolGrad for the wasm backend. Each window's gradient goes to the first maximum of the window
 * in row-major order, as tfjs's cpu kernel and TensorFlow do. The kernel tfjs-backend-wasm 4.22
 * ships is wrong whenever a window's maximum is negative or a 'same' window hangs over the border
 * (it drops those gradients), and slower; this one replaces it.
 *
 * With the K = kh*kw pixels of each window side by side, [P, C, K] (P = N*oh*ow windows), and the
 * pooled output y repeated K times:
 *   s     = step(y - x)                   1 where a pixel is below its window's maximum
 *   E     = exclusive cumprod of s over K  1 up to and including the first maximum, then 0
 *   first = E - E*s                        1 exactly at the first maximum
 *   g     = first * dy                     the window's gradient, at its first maximum
 * and g goes back to the input grid. Every step is a wasm kernel on XNNPACK or a flat loop.
 *
 * Windows that do not overlap (pool size = stride, the usual 2x2/2) are laid side by side by two
 * transposes ([N*oh, kh, ow, kw*C] -> [P, K, C] -> [P, C, K]) and put back by the inverse two
 * (when rows past the last window must be cut from x, the patches come as below instead).
 * Overlapping windows: the patches come from a depthwise convolution with a one-hot filter and go
 * back through that convolution's input gradient (which sums where windows overlap).
 * @see notebooks/q12-backpropagation.ipynb
 */
import * as tf from '@tensorflow/tfjs';
import { callKernel, filterConstant, free, freeAllBut, padCrop, patchFilter, reshape, type KernelBackend, type TensorInfo } from './compose';
import { depthwiseConv2dBackpropInputWasm } from './depthwise-conv2d-backprop-input';

/** Stands in for -inf where a convolution must not see infinities (-inf * 0 = NaN). */
const LOWEST = -3.4028234663852886e38;

export function maxPoolGradWasm(args: {
  inputs: { dy: TensorInfo; input: TensorInfo; output: TensorInfo };
  backend: KernelBackend;
  attrs: tf.MaxPoolGradAttrs;
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { dy, input: x, output: y } = inputs;
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
  const k = kh * kw;
  const p = n * oh * ow;
  const { top, left } = info.padInfo;
  // The windows cover rows [-top, (oh-1)*sh + kh - top) and the matching columns.
  const grid: [number, number][] = [[0, 0], [top, (oh - 1) * sh + kh - h - top], [left, (ow - 1) * sw + kw - w - left], [0, 0]];
  const temps: TensorInfo[] = [];
  const tiles = kh === sh && kw === sw;

  // [P, C, K]: the pixels of every window side by side.
  let win: TensorInfo;
  if (tiles && grid.every(([b, a]) => b >= 0 && a >= 0)) {
    const xg = padCrop(backend, x, grid, -Infinity);
    const r1 = reshape(backend, xg, [n * oh, kh, ow, kw * c]);
    const t1 = callKernel(backend, 'Transpose', { x: r1 }, { perm: [0, 2, 1, 3] }); // [N*oh, ow, kh, kw*C]
    const r2 = reshape(backend, t1, [p, k, c]);
    win = callKernel(backend, 'Transpose', { x: r2 }, { perm: [0, 2, 1] });
    temps.push(xg, r1, t1, r2, win);
  } else {
    // Only the padding part of the grid; rows past the last window are never read by a 'valid' conv.
    const xg = padCrop(backend, x, grid.map(([b, a]) => [Math.max(0, b), Math.max(0, a)] as [number, number]), LOWEST);
    const pf = patchFilter(backend, kh, kw, c);
    temps.push(pf);
    const patches = callKernel(
      backend,
      'DepthwiseConv2dNative',
      { x: xg, filter: pf },
      { strides: [sh, sw], pad: 'valid', dilations: [1, 1], dataFormat: 'NHWC' },
    ); // [N, oh, ow, C*K]
    win = reshape(backend, patches, [p, c, k]);
    temps.push(xg, patches, win);
  }

  // y and dy repeated K times along a new minor axis, by a 1x1 depthwise convolution with ones.
  const ones = filterConstant(backend, `ones:${c}:${k}`, [1, 1, c, k], () => new Float32Array(c * k).fill(1));
  temps.push(ones);
  const repeat = (t: TensorInfo) => {
    const o = callKernel(backend, 'DepthwiseConv2dNative', { x: t, filter: ones }, { strides: [1, 1], pad: 'valid', dilations: [1, 1], dataFormat: 'NHWC' });
    const r = reshape(backend, o, [p, c, k]); // holds its own reference to o's data
    free(backend, o);
    return r;
  };
  const yK = repeat(y);
  const dyK = repeat(dy);
  const diff = callKernel(backend, 'Sub', { a: yK, b: win });
  const s = callKernel(backend, 'Step', { x: diff }, { alpha: 0 });
  const s2 = reshape(backend, s, [p * c, k]);
  const e2 = callKernel(backend, 'Cumprod', { x: s2 }, { axis: 1, exclusive: true, reverse: false });
  const e = reshape(backend, e2, [p, c, k]);
  const es = callKernel(backend, 'Multiply', { a: e, b: s });
  const first = callKernel(backend, 'Sub', { a: e, b: es });
  const g = callKernel(backend, 'Multiply', { a: first, b: dyK }); // [P, C, K]
  temps.push(yK, dyK, diff, s, s2, e2, e, es, first, g);

  // Back onto the input grid.
  let dxg: TensorInfo;
  if (tiles) {
    const g1 = callKernel(backend, 'Transpose', { x: g }, { perm: [0, 2, 1] }); // [P, K, C]
    const g2 = reshape(backend, g1, [n * oh, ow, kh, kw * c]);
    const g3 = callKernel(backend, 'Transpose', { x: g2 }, { perm: [0, 2, 1, 3] }); // [N*oh, kh, ow, kw*C]
    dxg = reshape(backend, g3, [n, oh * kh, ow * kw, c]);
    temps.push(g1, g2, g3);
  } else {
    const g4 = reshape(backend, g, [n, oh, ow, c * k]);
    const inputShape = [n, (oh - 1) * sh + kh, (ow - 1) * sw + kw, c];
    const pf = patchFilter(backend, kh, kw, c);
    temps.push(pf);
    dxg = depthwiseConv2dBackpropInputWasm({
      inputs: { dy: g4, filter: pf },
      backend,
      attrs: { strides: [sh, sw], pad: 'valid', dilations: [1, 1], inputShape } as unknown as tf.DepthwiseConv2dNativeBackpropInputAttrs,
    });
    temps.push(g4);
  }
  const dx = padCrop(backend, dxg, grid.map(([b, a]) => [-b, -a] as [number, number]), 0, { finite: true });
  freeAllBut(backend, [...temps, dxg], dx, x, y, dy);
  return dx;
}
