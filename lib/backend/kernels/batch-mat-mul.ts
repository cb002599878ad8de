/**
 * BatchMatMul and _FusedMatMul for the wasm backend.
 *
 * 1. Transposes. The shipped BatchMatMul runs transposeA / transposeB in a plain loop, 5-8x slower
 *    than transposing the operand first (an XNNPACK transpose) and calling the XNNPACK matrix product
 *    without flags. Every dense layer's backward pass asks for both forms (dx = dy . W^T,
 *    dW = x^T . dy), so this is a quarter of a training step of a small dense head.
 *
 *      matMul(a, b, tA, tB) = matMul(tA ? swapLast2(a) : a, tB ? swapLast2(b) : b, false, false)
 *
 * 2. A wrong result of tfjs-backend-wasm 4.22. Its XNNPACK product caches an operator, with b packed
 *    into it, under b's data id (plus bias and activation), not under b's shape. Two reshapes of one
 *    tensor share the data id, so the second product reuses the first one's [K, N] and returns wrong
 *    numbers: for b = range(24), ones([2, 4]) . b.reshape([4, 6]) and then ones([2, 6]) .
 *    b.reshape([6, 4]) gave [36, 40, 44, 48] for the second, where the answer is [60, 66, 72, 78].
 *    Here each data id remembers the [K, N] it was first multiplied as; a product that asks for
 *    another gets a copy of b (new data, new id): `uncachedMatMulB` in ../internals.
 * @see notebooks/q12-backpropagation.ipynb
 */
import * as tf from '@tensorflow/tfjs';
import { callKernel, callShipped, freeAllBut, type KernelBackend, type TensorInfo } from './compose';
import { uncachedMatMulB } from '../internals';

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
  const a = transposeA ? swapLast2(backend, inputs.a) : inputs.a;
  const bt = transposeB ? swapLast2(backend, inputs.b) : inputs.b;
  const b = uncachedMatMulB(backend, a, bt, false);
  const out = callShipped(backend, 'BatchMatMul', { a, b }, { transposeA: false, transposeB: false });
  freeAllBut(backend, [a, bt, b], inputs.a, inputs.b, out);
  return out;
}

export function fusedMatMulWasm(args: {
  inputs: { a: TensorInfo; b: TensorInfo; bias?: TensorInfo; preluActivationWeights?: TensorInfo };
  backend: KernelBackend;
  attrs: { transposeA: boolean; transposeB: boolean };
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const b = uncachedMatMulB(backend, inputs.a, inputs.b, attrs.transposeA || attrs.transposeB);
  const out = callShipped(backend, '_FusedMatMul', { ...inputs, b } as Record<string, TensorInfo>, attrs as unknown as Record<string, unknown>);
  freeAllBut(backend, [b], inputs.b, out);
  return out;
}
