/**
 * UnsortedSegmentSum for the wasm backend (what tf.gather's gradient, and so every embedding
 * lookup's, calls):
 *
 *   out[s, ...] = sum over positions p with segmentIds[p] == s of x[p, ...],   s in [0, numSegments)
 *
 * That is a scatter-add: ScatterNd of the rows of x to the rows named by segmentIds, which sums
 * rows sent to the same place. Ids outside [0, numSegments) are dropped (as TensorFlow does for
 * negative ids) by sending them to one extra row that is cut off afterwards. O(size of x), where
 * the cpu kernel's mask-per-segment loop is O(numSegments * size of x).
 * @see notebooks/q12-backpropagation.ipynb
 */
import * as tf from '@tensorflow/tfjs';
import { callKernel, free, reshape, type KernelBackend, type TensorInfo } from './compose';

export function unsortedSegmentSumWasm(args: {
  inputs: { x: TensorInfo; segmentIds: TensorInfo };
  backend: KernelBackend;
  attrs: tf.UnsortedSegmentSumAttrs;
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { x, segmentIds } = inputs;
  const numSegments = attrs.numSegments;
  const p = segmentIds.shape.reduce((a, b) => a * b, 1);
  const rest = x.shape.slice(segmentIds.shape.length);
  const r = rest.reduce((a, b) => a * b, 1);
  const temps: TensorInfo[] = [];
  let ids = reshape(backend, segmentIds, [p]);
  temps.push(ids);
  if (ids.dtype !== 'int32') {
    ids = callKernel(backend, 'Cast', { x: ids }, { dtype: 'int32' });
    temps.push(ids);
  }
  const zero = callKernel(backend, 'Fill', {}, { shape: [], value: 0, dtype: 'int32' });
  const top = callKernel(backend, 'Fill', {}, { shape: [], value: numSegments, dtype: 'int32' });
  const spare = callKernel(backend, 'Fill', {}, { shape: [p], value: numSegments, dtype: 'int32' });
  const ge = callKernel(backend, 'GreaterEqual', { a: ids, b: zero });
  const lt = callKernel(backend, 'Less', { a: ids, b: top });
  const ok = callKernel(backend, 'LogicalAnd', { a: ge, b: lt });
  const safe = callKernel(backend, 'Select', { condition: ok, t: ids, e: spare }); // bad ids -> row numSegments
  const idx = reshape(backend, safe, [p, 1]);
  const rows = reshape(backend, x, [p, r]);
  temps.push(zero, top, spare, ge, lt, ok, safe, idx, rows);
  const sums = callKernel(backend, 'ScatterNd', { indices: idx, updates: rows }, { shape: [numSegments + 1, r] });
  const cut = callKernel(backend, 'Slice', { x: sums }, { begin: [0, 0], size: [numSegments, r] });
  const out = reshape(backend, cut, [numSegments, ...rest]);
  temps.push(sums, cut);
  free(backend, ...temps);
  return out;
}
