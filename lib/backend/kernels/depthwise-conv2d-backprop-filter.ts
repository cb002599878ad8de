/**
 * DepthwiseConv2dNativeBackpropFilter for the wasm backend: the gradient of a depthwise
 * convolution with respect to its filter.
 *
 *   dW[a, b, c, m] = sum_{n, i, j} xPadded[n, i*s + a*d, j*s + b*d, c] * dy[n, i, j, c*M+m]
 *
 * For each (c, n) pair that is a correlation of one image channel with one dy map, summed over n
 * afterwards. So x becomes a single image whose C*N channels are the (c, n) pairs, dy becomes a
 * [oh, ow, C*N, M] depthwise filter, and one depthwise convolution with stride d and dilation s
 * (the forward ones swapped) gives [1, kh, kw, C*N*M]; summing over n leaves [kh, kw, C, M].
 * @see notebooks/q12-backpropagation.ipynb
 */
import * as tf from '@tensorflow/tfjs';
import { callKernel, free, padCrop, reshape, type KernelBackend, type TensorInfo } from './compose';

export function depthwiseConv2dBackpropFilterWasm(args: {
  inputs: { x: TensorInfo; dy: TensorInfo };
  backend: KernelBackend;
  attrs: tf.DepthwiseConv2dNativeBackpropFilterAttrs;
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { x, dy } = inputs;
  const { strides, dilations, pad, dimRoundingMode, filterShape } = attrs;
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filterShape,
    strides,
    dilations ?? 1,
    pad,
    dimRoundingMode,
    true,
  );
  const [kh, kw, c, m] = filterShape;
  const [sh, sw] = [info.strideHeight, info.strideWidth];
  const [dh, dw] = [info.dilationHeight, info.dilationWidth];
  const [n, h, w] = x.shape;
  const [oh, ow] = [dy.shape[1], dy.shape[2]];
  const { top, bottom, left, right } = info.padInfo;
  // Rows the correlation reads: (oh-1)*sh + (kh-1)*dh + 1; cut or pad x to exactly that.
  const needH = (oh - 1) * sh + (kh - 1) * dh + 1;
  const needW = (ow - 1) * sw + (kw - 1) * dw + 1;
  const temps: TensorInfo[] = [];
  const xp = padCrop(backend, x, [
    [0, 0],
    [top, Math.min(bottom, needH - h - top)],
    [left, Math.min(right, needW - w - left)],
    [0, 0],
  ], 0, { finite: true });
  if (xp !== x) temps.push(xp);
  const [hp, wp] = [xp.shape[1], xp.shape[2]];
  const xT = callKernel(backend, 'Transpose', { x: xp }, { perm: [1, 2, 3, 0] }); // [Hp, Wp, C, N]
  const xI = reshape(backend, xT, [1, hp, wp, c * n]);
  const dy5 = reshape(backend, dy, [n, oh, ow, c, m]);
  const dyT = callKernel(backend, 'Transpose', { x: dy5 }, { perm: [1, 2, 3, 0, 4] }); // [oh, ow, C, N, M]
  const dyF = reshape(backend, dyT, [oh, ow, c * n, m]);
  temps.push(xT, xI, dy5, dyT, dyF);
  const full = callKernel(
    backend,
    'DepthwiseConv2dNative',
    { x: xI, filter: dyF },
    { strides: [dh, dw], pad: 'valid', dilations: [sh, sw], dataFormat: 'NHWC' },
  ); // [1, >=kh, >=kw, C*N*M]
  temps.push(full);
  let cut = full;
  if (full.shape[1] !== kh || full.shape[2] !== kw) {
    cut = callKernel(backend, 'Slice', { x: full }, { begin: [0, 0, 0, 0], size: [1, kh, kw, c * n * m] });
    temps.push(cut);
  }
  const cut5 = reshape(backend, cut, [kh, kw, c, n, m]);
  temps.push(cut5);
  const dW = callKernel(backend, 'Sum', { x: cut5 }, { axis: [3], keepDims: false }); // [kh, kw, C, M]
  free(backend, ...temps);
  return dW;
}
