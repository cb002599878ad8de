/**
 * DepthwiseConv2dNativeBackpropInput for the wasm backend: the gradient of a depthwise convolution
 * with respect to its input. Channel c with multiplier m only ever meets filter slice W[:, :, c, m],
 * so with the filter seen as [kh, kw, C*M, 1] it is one depthwise convolution per output channel:
 *
 *   dxm[n, h, w, c*M+m] = sum_{a, b} dyFull[n, h + a*d, w + b*d, c*M+m] * W[kh-1-a, kw-1-b, c, m]
 *   dx[n, h, w, c]      = sum_m dxm[n, h, w, c*M+m]
 *
 * dyFull is dy with (stride - 1) zeros between pixels, padded by (kh-1)*d - top above and
 * H + top - 1 - (oh-1)*s below (negative amounts crop). Strides and dilations both work (tfjs
 * allows only one of them > 1, and its gradient of depthwiseConv2d only dilation 1).
 * @see notebooks/q12-backpropagation.ipynb
 */
import * as tf from '@tensorflow/tfjs';
import { callKernel, dilateSpatial, flipSpatial, free, padCrop, reshape, type KernelBackend, type TensorInfo } from './compose';

export function depthwiseConv2dBackpropInputWasm(args: {
  inputs: { dy: TensorInfo; filter: TensorInfo };
  backend: KernelBackend;
  attrs: tf.DepthwiseConv2dNativeBackpropInputAttrs;
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { dy, filter } = inputs;
  const { strides, dilations, pad, dimRoundingMode, inputShape } = attrs;
  const info = tf.backend_util.computeConv2DInfo(
    inputShape as [number, number, number, number],
    filter.shape as [number, number, number, number],
    strides,
    dilations ?? 1,
    pad,
    dimRoundingMode,
    true,
  );
  const [kh, kw, c, m] = filter.shape;
  const [sh, sw] = [info.strideHeight, info.strideWidth];
  const [dh, dw] = [info.dilationHeight, info.dilationWidth];
  const [n, h, w] = [info.batchSize, info.inHeight, info.inWidth];
  const [oh, ow] = [dy.shape[1], dy.shape[2]];
  const { top, left } = info.padInfo;
  const temps: TensorInfo[] = [];
  const dyd = dilateSpatial(backend, dy, sh, sw);
  if (dyd !== dy) temps.push(dyd);
  const dyp = padCrop(backend, dyd, [
    [0, 0],
    [(kh - 1) * dh - top, h + top - 1 - (oh - 1) * sh],
    [(kw - 1) * dw - left, w + left - 1 - (ow - 1) * sw],
    [0, 0],
  ], 0, { finite: true }); // [N, H + (kh-1)*dh, W + (kw-1)*dw, C*M]
  if (dyp !== dyd) temps.push(dyp);
  const w1 = reshape(backend, filter, [kh, kw, c * m, 1]);
  const wF = flipSpatial(backend, w1);
  temps.push(w1, wF);
  const dxm = callKernel(
    backend,
    'DepthwiseConv2dNative',
    { x: dyp, filter: wF },
    { strides: [1, 1], pad: 'valid', dilations: [dh, dw], dataFormat: 'NHWC' },
  ); // [N, H, W, C*M]
  let dx = dxm;
  if (m > 1) {
    const dx5 = reshape(backend, dxm, [n, h, w, c, m]);
    dx = callKernel(backend, 'Sum', { x: dx5 }, { axis: [4], keepDims: false });
    temps.push(dxm, dx5);
  }
  free(backend, ...temps);
  return dx;
}
