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
 *
 * 3. Another wrong result: outside its XNNPACK path (one matrix, no transpose) the shipped
 *    _FusedMatMul adds the bias right to the first row only (a = [3, 5], b = [4, 5], transposeB,
 *    bias [10, 20, 30, 40]: rows 2 and 3 got 40 on every column; the same for a batch of products).
 *    With the operands transposed first, as in 1., one matrix takes the XNNPACK path; a batch with
 *    a bias is composed as tfjs's cpu kernel does it: the product, then Add the bias, then the
 *    activation's kernel (test/lib/backend/wasm-kernels.test.ts compares both with the cpu backend).
 * @see notebooks/q12-backpropagation.ipynb
 */
import * as tf from '@tensorflow/tfjs';
import { callKernel, callShipped, free, freeAllBut, type KernelBackend, type TensorInfo } from './compose';
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

/** The kernel of each activation a fused product takes, as tfjs's cpu kernel applies them ('linear': none). */
const ACTIVATIONS: Record<string, string | undefined> = {
  linear: undefined,
  relu: 'Relu',
  relu6: 'Relu6',
  elu: 'Elu',
  sigmoid: 'Sigmoid',
  leakyrelu: 'LeakyRelu',
  prelu: 'Prelu',
};

const batchOf = (t: TensorInfo) => tf.util.sizeFromShape(t.shape.slice(0, -2));

export function fusedMatMulWasm(args: {
  inputs: { a: TensorInfo; b: TensorInfo; bias?: TensorInfo; preluActivationWeights?: TensorInfo };
  backend: KernelBackend;
  attrs: tf._FusedMatMulAttrs;
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { transposeA, transposeB, activation } = attrs;
  const { bias } = inputs;
  const batched = batchOf(inputs.a) > 1 || batchOf(inputs.b) > 1;
  if (bias && batched && bias.shape.length === 1 && inputs.a.dtype === 'float32' && inputs.b.dtype === 'float32' && activation in ACTIVATIONS) {
    return biasAfterProduct(backend, inputs as Required<typeof inputs>, attrs);
  }
  // Anything the shipped kernel refuses (other dtypes, a bias of rank 2, an unknown activation)
  // throws its own message; the transposes made for it are freed first.
  const temps: TensorInfo[] = [];
  try {
    const a = transposeA ? swapLast2(backend, inputs.a) : inputs.a;
    if (a !== inputs.a) temps.push(a);
    const bt = transposeB ? swapLast2(backend, inputs.b) : inputs.b;
    if (bt !== inputs.b) temps.push(bt);
    const b = uncachedMatMulB(backend, a, bt, false);
    if (b !== bt) temps.push(b);
    const plain = { ...attrs, transposeA: false, transposeB: false } as unknown as Record<string, unknown>;
    return callShipped(backend, '_FusedMatMul', { ...inputs, a, b } as Record<string, TensorInfo>, plain);
  } finally {
    freeAllBut(backend, temps, inputs.a, inputs.b);
  }
}

/** A batched product with a bias, composed as tfjs's cpu kernel does: matMul, add the bias, activation. */
function biasAfterProduct(
  backend: KernelBackend,
  inputs: { a: TensorInfo; b: TensorInfo; bias: TensorInfo; preluActivationWeights?: TensorInfo },
  attrs: tf._FusedMatMulAttrs,
): TensorInfo {
  const { transposeA, transposeB, activation, leakyreluAlpha } = attrs;
  const y = callKernel(backend, 'BatchMatMul', { a: inputs.a, b: inputs.b }, { transposeA, transposeB });
  const sum = callKernel(backend, 'Add', { a: y, b: inputs.bias });
  free(backend, y);
  const kernel = ACTIVATIONS[activation];
  if (kernel === undefined) return sum;
  const out =
    kernel === 'Prelu'
      ? callKernel(backend, kernel, { x: sum, alpha: inputs.preluActivationWeights! })
      : callKernel(backend, kernel, { x: sum }, kernel === 'LeakyRelu' ? { alpha: leakyreluAlpha } : {});
  free(backend, sum);
  return out;
}
