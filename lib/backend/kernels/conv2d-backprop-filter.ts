/**
 * Conv2DBackpropFilter for the wasm backend: the gradient of conv2d with respect to its filter.
 *
 *   dW[a, b, ci, co] = sum_{n, i, j} xPadded[n, i*sh + a, j*sw + b, ci] * dy[n, i, j, co]
 *
 * is itself a convolution: take the channels ci as the batch and the batch n as the channels,
 * and slide dy (as an [oh, ow, N, Co] filter, dilated by the forward stride) over x.
 * So it runs on the wasm backend's XNNPACK Conv2D.
 *
 * When each patch is short (Ci*kh*kw <= 32, e.g. a first layer on one-channel images), that
 * convolution is a matrix product with only Ci*kh*kw output rows, which XNNPACK runs poorly
 * (measured 3-5x slower); then the patches are laid out explicitly (im2col, by a depthwise
 * convolution with a one-hot filter) and dW is one matrix product.
 * @see notebooks/q12-backpropagation.ipynb
 */
import * as tf from '@tensorflow/tfjs';
import { callKernel, free, padCrop, patchFilter, reshape, type KernelBackend, type TensorInfo } from './compose';

export function conv2dBackpropFilterWasm(args: {
  inputs: { x: TensorInfo; dy: TensorInfo };
  backend: KernelBackend;
  attrs: tf.Conv2DBackpropFilterAttrs;
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { x, dy } = inputs;
  const { strides, pad, dimRoundingMode, filterShape } = attrs;
  const [kh, kw] = filterShape;
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filterShape,
    strides,
    1,
    pad,
    dimRoundingMode,
  );
  const { top, bottom, left, right } = info.padInfo;
  const [sh, sw] = [info.strideHeight, info.strideWidth];
  const [oh, ow] = [dy.shape[1], dy.shape[2]];
  const [n, h, w, ci] = x.shape;
  // Rows the correlation needs: (oh - 1) * sh + kh; padInfo may leave fewer or more.
  const needH = (oh - 1) * sh + kh;
  const needW = (ow - 1) * sw + kw;
  const padB = Math.max(0, needH - (h + top + bottom)) + bottom;
  const padR = Math.max(0, needW - (w + left + right)) + right;
  // Exactly the rows and columns the windows read: pad above/left, then pad or cut below/right.
  if (ci * kh * kw <= 32) return im2colFilterGrad(backend, x, dy, [kh, kw], [sh, sw], [top, needH - h - top, left, needW - w - left]);
  const temps: TensorInfo[] = [];
  let xp = x;
  if (top || padB || left || padR) {
    xp = callKernel(backend, 'PadV2', { x }, { paddings: [[0, 0], [top, padB], [left, padR], [0, 0]], constantValue: 0 });
    temps.push(xp);
  }
  const xT = callKernel(backend, 'Transpose', { x: xp }, { perm: [3, 1, 2, 0] }); // [Ci, Hp, Wp, N]
  const dyT = callKernel(backend, 'Transpose', { x: dy }, { perm: [1, 2, 0, 3] }); // [oh, ow, N, Co]
  temps.push(xT, dyT);
  const full = callKernel(
    backend,
    'Conv2D',
    { x: xT, filter: dyT },
    { strides: [1, 1], pad: 'valid', dataFormat: 'NHWC', dilations: [sh, sw] },
  ); // [Ci, >=kh, >=kw, Co]
  temps.push(full);
  let cut = full;
  if (full.shape[1] !== kh || full.shape[2] !== kw) {
    cut = callKernel(backend, 'Slice', { x: full }, { begin: [0, 0, 0, 0], size: [ci, kh, kw, full.shape[3]] });
    temps.push(cut);
  }
  const out = callKernel(backend, 'Transpose', { x: cut }, { perm: [1, 2, 0, 3] }); // [kh, kw, Ci, Co]
  free(backend, ...temps);
  void n;
  return out;
}

/**
 * dW = patches^T . dy with patches [N*oh*ow, Ci*kh*kw] from a depthwise convolution with a one-hot
 * filter (stride = the forward stride) over x cut or padded to the rows the windows read.
 */
function im2colFilterGrad(
  backend: KernelBackend,
  x: TensorInfo,
  dy: TensorInfo,
  [kh, kw]: number[],
  [sh, sw]: number[],
  [top, bottom, left, right]: number[],
): TensorInfo {
  const [n, , , ci] = x.shape;
  const [oh, ow, co] = [dy.shape[1], dy.shape[2], dy.shape[3]];
  const k = kh * kw;
  const xp = padCrop(backend, x, [[0, 0], [top, bottom], [left, right], [0, 0]], 0, { finite: true });
  const f = patchFilter(backend, kh, kw, ci);
  const patches = callKernel(backend, 'DepthwiseConv2dNative', { x: xp, filter: f }, { strides: [sh, sw], pad: 'valid', dilations: [1, 1], dataFormat: 'NHWC' }); // [N, oh, ow, Ci*K]
  const p2 = reshape(backend, patches, [n * oh * ow, ci * k]);
  const dy2 = reshape(backend, dy, [n * oh * ow, co]);
  // XNNPACK packs the second operand of a matrix product on every call (here it is new each step),
  // so the smaller of patches and dy goes second: dW^T = dy^T . patches when Co >= Ci*K (the Q1 CNN's
  // first layer: the product took 5.4 ms with dy second, 2.5-3 ms with the patches), else dW = patches^T . dy.
  const patchesSecond = co >= ci * k;
  const prod = patchesSecond
    ? callKernel(backend, 'BatchMatMul', { a: dy2, b: p2 }, { transposeA: true, transposeB: false }) // [Co, Ci*K]
    : callKernel(backend, 'BatchMatMul', { a: p2, b: dy2 }, { transposeA: true, transposeB: false }); // [Ci*K, Co]
  const p4 = reshape(backend, prod, patchesSecond ? [co, ci, kh, kw] : [ci, kh, kw, co]);
  const out = callKernel(backend, 'Transpose', { x: p4 }, { perm: patchesSecond ? [2, 3, 1, 0] : [1, 2, 0, 3] }); // [kh, kw, Ci, Co]
  const temps = [f, patches, p2, dy2, prod, p4];
  if (xp !== x) temps.push(xp);
  free(backend, ...temps);
  return out;
}
