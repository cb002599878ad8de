/**
 * Einsum for the wasm backend, in the forms tf.einsum accepts (one or two inputs, no ellipsis, no
 * repeated label within one input), as one batched matrix product:
 *
 *   labels only in one input and not in the output: summed away first
 *   batch    = in both inputs and the output     -> leading axes of both operands
 *   contract = in both inputs, not in the output -> the inner axis K
 *   freeA / freeB = in one input and the output  -> the M and N axes
 *
 *   A -> [batch, freeA, contract] = [Bs, M, K],  B -> [batch, contract, freeB] = [Bs, K, N],
 *   BatchMatMul -> [Bs, M, N] -> [batch..., freeA..., freeB...] -> transposed to the output order.
 *
 * Every step is a wasm kernel (Sum, Transpose, Reshape, BatchMatMul); the matrix product runs on
 * XNNPACK. This covers what tfjs-layers' EinsumDense and MultiHeadAttention emit. The equation is
 * read and checked by tfjs's own decoder first (backend_util.decodeEinsumEquation and
 * checkEinsumDimSizes, as in its cpu kernel), so a bad one throws tfjs's message:
 * `'ij,jk->in'` "Output subscripts contain the label n not present in the input subscripts.",
 * `'ij,jk->ik->i'` 'Equation must contain exactly one arrow ("->").'.
 * @see notebooks/q21-attention.ipynb
 */
import * as tf from '@tensorflow/tfjs';
import { BackendError } from '../../errors';
import { callKernel, free, reshape, type KernelBackend, type TensorInfo } from './compose';

const isIdentity = (perm: number[]) => perm.every((p, i) => p === i);
const prod = (xs: number[]) => xs.reduce((a, b) => a * b, 1);

/** Sum away the labels of `x` not in `keep`; returns the tensor and its remaining labels. */
function sumAway(backend: KernelBackend, x: TensorInfo, labels: string, keep: Set<string>, temps: TensorInfo[]) {
  const axes = [...labels].flatMap((l, i) => (keep.has(l) ? [] : [i]));
  if (axes.length === 0) return { t: x, labels };
  const t = callKernel(backend, 'Sum', { x }, { axis: axes, keepDims: false });
  temps.push(t);
  return { t, labels: [...labels].filter((l) => keep.has(l)).join('') };
}

/** Transpose `x` (labelled `labels`) so that its axes follow `order`; all labels must be in order. */
function arrange(backend: KernelBackend, x: TensorInfo, labels: string, order: string[], temps: TensorInfo[]): TensorInfo {
  const perm = order.map((l) => labels.indexOf(l));
  if (isIdentity(perm)) return x;
  const t = callKernel(backend, 'Transpose', { x }, { perm });
  temps.push(t);
  return t;
}

export function einsumWasm(args: {
  inputs: tf.NamedTensorInfoMap | TensorInfo[];
  backend: KernelBackend;
  attrs: tf.EinsumAttrs;
}): TensorInfo {
  const { backend, attrs } = args;
  const tensors = Object.values(args.inputs) as TensorInfo[];
  // tfjs's own checks first, as its cpu kernel makes them, with its messages: one arrow, as many
  // terms as tensors (at most 2), no ellipsis, no label repeated within a term, every output label
  // in an input, and one size per label.
  const { idDims, allDims } = tf.backend_util.decodeEinsumEquation(attrs.equation, tensors.length);
  tf.backend_util.checkEinsumDimSizes(allDims.length, idDims, tensors as tf.Tensor[]);
  const equation = attrs.equation.replace(/\s/g, '');
  const [lhs, out] = equation.split('->');
  const terms = lhs.split(',');
  // What tfjs leaves unchecked: a repeated output label, and a term whose length is not its tensor's rank.
  if (new Set(out).size !== out.length) {
    throw new BackendError(`einsum (wasm): output labels must be distinct, got '${out}' in '${equation}'`);
  }
  const size = new Map<string, number>();
  terms.forEach((term, i) => {
    if (term.length !== tensors[i].shape.length) {
      throw new BackendError(`einsum (wasm): input ${i} has shape [${tensors[i].shape}], which does not fit '${term}' of '${equation}'`);
    }
    [...term].forEach((l, j) => size.set(l, tensors[i].shape[j]));
  });
  const dtype = tensors[0].dtype;
  const temps: TensorInfo[] = [];
  const keepOut = new Set(out);
  let result: TensorInfo;

  if (terms.length === 1) {
    const s = sumAway(backend, tensors[0], terms[0], keepOut, temps);
    const t = arrange(backend, s.t, s.labels, [...out], temps);
    result = t === tensors[0] ? callKernel(backend, 'Identity', { x: t }) : t;
    free(backend, ...temps.filter((x) => x !== result));
    return result;
  }

  const [ta, tb] = terms;
  let [a, b] = tensors;
  if (dtype !== 'float32') {
    a = callKernel(backend, 'Cast', { x: a }, { dtype: 'float32' });
    b = callKernel(backend, 'Cast', { x: b }, { dtype: 'float32' });
    temps.push(a, b);
  }
  const sa = sumAway(backend, a, ta, new Set([...out, ...tb]), temps);
  const sb = sumAway(backend, b, tb, new Set([...out, ...ta]), temps);
  const batch = [...out].filter((l) => sa.labels.includes(l) && sb.labels.includes(l));
  const contract = [...sa.labels].filter((l) => sb.labels.includes(l) && !keepOut.has(l));
  const freeA = [...sa.labels].filter((l) => !sb.labels.includes(l));
  const freeB = [...sb.labels].filter((l) => !sa.labels.includes(l));
  const dims = (ls: string[]) => ls.map((l) => size.get(l)!);
  const [bs, m, k, n] = [prod(dims(batch)), prod(dims(freeA)), prod(dims(contract)), prod(dims(freeB))];
  const a3 = reshape(backend, arrange(backend, sa.t, sa.labels, [...batch, ...freeA, ...contract], temps), [bs, m, k]);
  const b3 = reshape(backend, arrange(backend, sb.t, sb.labels, [...batch, ...contract, ...freeB], temps), [bs, k, n]);
  const c3 = callKernel(backend, 'BatchMatMul', { a: a3, b: b3 }, { transposeA: false, transposeB: false });
  const cLabels = [...batch, ...freeA, ...freeB];
  const c = reshape(backend, c3, dims(cLabels));
  temps.push(a3, b3, c3);
  result = arrange(backend, c, cLabels.join(''), [...out], temps);
  temps.push(c); // freed below unless it is the result itself (a reshape of c3 that owns a reference)
  if (dtype !== 'float32') {
    const f = result;
    result = callKernel(backend, 'Cast', { x: f }, { dtype });
    temps.push(f);
  }
  free(backend, ...temps.filter((x) => x !== result));
  return result;
}
