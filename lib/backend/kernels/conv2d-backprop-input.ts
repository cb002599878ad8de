/**
 * Conv2DBackpropInput for the wasm backend: the gradient of conv2d with respect to its input,
 * written as a forward convolution so that it runs on XNNPACK instead of the plain C++ loop the
 * wasm backend ships (which was half of a training step of the Q1 CNN).
 *
 *   dx[n, h, w, ci] = sum_{a, b, co} dyFull[n, h + a, w + b, co] * W[kh-1-a, kw-1-b, ci, co]
 *
 * where dyFull is dy with (stride - 1) zeros inserted between pixels, padded by kh-1-top above
 * and by H+top-1-(oh-1)*sh below (negative amounts crop), and the filter is rotated by 180 degrees
 * with its in/out channel axes swapped: a 'valid' Conv2D of dyFull with that filter. NCHW, and a dy
 * larger than the [N, oh, ow, Co] that inputShape implies (its top-left part is read), go to the
 * shipped kernel; a smaller dy throws a BackendError.
 * @see notebooks/q12-backpropagation.ipynb
 */
import * as tf from '@tensorflow/tfjs';
import { BackendError } from '../../errors';
import { callKernel, callShipped, dilateSpatial, flipTransposeFilter, free, padCrop, type KernelBackend, type TensorInfo } from './compose';

export function conv2dBackpropInputWasm(args: {
  inputs: { dy: TensorInfo; filter: TensorInfo };
  backend: KernelBackend;
  attrs: tf.Conv2DBackpropInputAttrs;
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { dy, filter } = inputs;
  const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs;
  if (dataFormat === 'NCHW') return callShipped(backend, 'Conv2DBackpropInput', inputs, attrs as unknown as Record<string, unknown>);
  const info = tf.backend_util.computeConv2DInfo(
    inputShape as [number, number, number, number],
    filter.shape as [number, number, number, number],
    strides,
    1,
    pad,
    dimRoundingMode,
  );
  const [kh, kw] = [info.filterHeight, info.filterWidth];
  const [sh, sw] = [info.strideHeight, info.strideWidth];
  const [h, w] = [info.inHeight, info.inWidth];
  const [oh, ow] = [info.outHeight, info.outWidth];
  // A dy of another shape than the convolution's output (tf.conv2dTranspose checks only its
  // channels). A larger one is read as its top-left [N, oh, ow] part, as by the shipped kernel (and
  // the cpu one): handed to the shipped kernel. A smaller one would be read past its end.
  if (dy.shape[0] !== info.batchSize || dy.shape[1] !== oh || dy.shape[2] !== ow) {
    if (dy.shape[0] < info.batchSize || dy.shape[1] < oh || dy.shape[2] < ow) {
      throw new BackendError(
        `Conv2DBackpropInput (wasm): dy has shape [${dy.shape}], smaller than the [${info.outShape}] that inputShape [${inputShape}] implies`,
      );
    }
    return callShipped(backend, 'Conv2DBackpropInput', inputs, attrs as unknown as Record<string, unknown>);
  }
  const { top, left } = info.padInfo;
  const temps: TensorInfo[] = [];
  const dyd = dilateSpatial(backend, dy, sh, sw); // [N, (oh-1)*sh+1, (ow-1)*sw+1, Co]
  if (dyd !== dy) temps.push(dyd);
  const dyp = padCrop(backend, dyd, [
    [0, 0],
    [kh - 1 - top, h + top - 1 - (oh - 1) * sh],
    [kw - 1 - left, w + left - 1 - (ow - 1) * sw],
    [0, 0],
  ], 0, { finite: true }); // [N, H + kh - 1, W + kw - 1, Co]
  if (dyp !== dyd) temps.push(dyp);
  const wF = flipTransposeFilter(backend, filter); // [kh, kw, Co, Ci], rotated
  temps.push(wF);
  const dx = callKernel(
    backend,
    'Conv2D',
    { x: dyp, filter: wF },
    { strides: [1, 1], pad: 'valid', dataFormat: 'NHWC', dilations: [1, 1] },
  ); // [N, H, W, Ci]
  free(backend, ...temps);
  return dx;
}
