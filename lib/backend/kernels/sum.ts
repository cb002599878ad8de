/**
 * Sum for the wasm backend, replaced for one case: float32 summed over its leading axes, the
 * gradient of every bias (dy of a conv layer [N, H, W, C] summed to [C]):
 *
 *   out[c] = sum over p of x[p, c]      with x viewed as [P, C], P = the product of the summed axes
 *
 * The shipped kernel moves the summed axes innermost with a transpose of the full rank
 * ([N, H, W, C] -> [C, N, H, W]); viewed as [P, C], the same move is a 2-D transpose, which is
 * faster, and then the shipped kernel sums contiguous rows (measured on the Q1 CNN's first layer,
 * [32, 26, 26, 32] -> [32]: 1.3 ms against 2.7 ms in a training step). Every other case goes to the shipped kernel.
 * @see notebooks/q12-backpropagation.ipynb
 */
import * as tf from '@tensorflow/tfjs';
import { callKernel, callShipped, free, reshape, type KernelBackend, type TensorInfo } from './compose';

export function sumWasm(args: { inputs: { x: TensorInfo }; backend: KernelBackend; attrs: tf.SumAttrs }): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { x } = inputs;
  const rank = x.shape.length;
  const axes = tf.util.parseAxisParam(attrs.axis, x.shape).sort((a, b) => a - b);
  const leading = axes.length > 0 && axes.length < rank && axes.every((a, i) => a === i);
  if (x.dtype !== 'float32' || !leading) return callShipped(backend, 'Sum', inputs, attrs as unknown as Record<string, unknown>);
  const kept = x.shape.slice(axes.length);
  const c = tf.util.sizeFromShape(kept);
  const p = tf.util.sizeFromShape(x.shape.slice(0, axes.length));
  const x2 = reshape(backend, x, [p, c]);
  const xT = callKernel(backend, 'Transpose', { x: x2 }, { perm: [1, 0] }); // [C, P]
  const s = callShipped(backend, 'Sum', { x: xT }, { axis: [1], keepDims: false }); // [C]
  const out = reshape(backend, s, attrs.keepDims ? [...axes.map(() => 1), ...kept] : kept);
  free(backend, x2, xT, s);
  return out;
}
