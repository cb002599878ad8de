/**
 * BatchMatMul for the wasm backend with transposeA / transposeB: the shipped kernel runs those in a
 * plain loop, 5-8x slower than transposing the operand first (an XNNPACK transpose) and calling the
 * XNNPACK matrix product without flags. Every dense layer's backward pass asks for both forms
 * (dx = dy . W^T, dW = x^T . dy), so this is a quarter of a training step of a small dense head.
 *
 *   matMul(a, b, tA, tB) = matMul(tA ? swapLast2(a) : a, tB ? swapLast2(b) : b, false, false)
 * @see notebooks/q12-backpropagation.ipynb
 */
import * as tf from '@tensorflow/tfjs';
import { callKernel, callShipped, freeAllBut, type KernelBackend, type TensorInfo } from './compose';

/** Swap the last two axes: [..., m, k] -> [..., k, m]. */
function swapLast2(backend: KernelBackend, x: TensorInfo): TensorInfo {
  const r = x.shape.length;
  const perm = [...Array(r).keys()];
  [perm[r - 2], perm[r - 1]] = [perm[r - 1], perm[r - 2]];
  return callKernel(backend, 'Transpose', { x }, { perm });
}

export function batchMatMulWasm(args: {
  inputs: { a: TensorInfo; b: TensorInfo };
  backend: KernelBackend;
  attrs: tf.BatchMatMulAttrs;
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { transposeA, transposeB } = attrs;
  if (!transposeA && !transposeB) return callShipped(backend, 'BatchMatMul', inputs, attrs as unknown as Record<string, unknown>);
  const a = transposeA ? swapLast2(backend, inputs.a) : inputs.a;
  const b = transposeB ? swapLast2(backend, inputs.b) : inputs.b;
  const out = callShipped(backend, 'BatchMatMul', { a, b }, { transposeA: false, transposeB: false });
  freeAllBut(backend, [a, b], inputs.a, inputs.b, out);
  return out;
}
