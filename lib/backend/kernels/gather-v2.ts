/**
 * GatherV2 for the wasm backend: rows picked by index, copied as contiguous blocks. With x viewed
 * as [B, O, D, S] (batch dims, the axes before `axis`, the gathered axis, the axes after it) and
 * indices as [B, K]:
 *
 *   out[b, o, k, :] = x[b, o, indices[b, k], :]        out viewed as [B, O, K, S]
 *
 * `model.fit` gathers every batch out of the whole training set with it (tfjs-layers slices by
 * indices); the kernel tfjs-backend-wasm 4.22 ships took 1.8 ms to pick 32 MNIST images (25,088
 * numbers, 73 ns each) where one block copy per image takes a few microseconds: on the Q1 CNN that
 * was 4% of a training step. An index outside [0, D - 1] throws the cpu backend's message.
 * @see notebooks/q12-backpropagation.ipynb
 */
import * as tf from '@tensorflow/tfjs';
import { free, heapArray, makeOutput, type KernelBackend, type TensorInfo } from './compose';

export function gatherV2Wasm(args: {
  inputs: { x: TensorInfo; indices: TensorInfo };
  backend: KernelBackend;
  attrs: tf.GatherV2Attrs;
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { x, indices } = inputs;
  const axis = tf.util.parseAxisParam(attrs.axis, x.shape)[0];
  const info = tf.backend_util.segment_util.collectGatherOpShapeInfo(x, indices, axis, attrs.batchDims ?? 0);
  const { batchSize, outerSize, dimSize, sliceSize } = info;
  const perBatch = tf.util.sizeFromShape(indices.shape) / batchSize;
  // Allocate first: a heap that grows detaches views taken before.
  const out = makeOutput(backend, info.outputShape, x.dtype);
  // x and out share a dtype, so one typed-array type serves both.
  const xv = heapArray(backend, x) as Float32Array;
  const iv = heapArray(backend, indices);
  const ov = heapArray(backend, out) as Float32Array;
  for (let k = 0; k < iv.length; k++) {
    const index = iv[k];
    if (!(index >= 0 && index <= dimSize - 1)) {
      free(backend, out);
      throw new Error(`GatherV2: the index value ${index} is not in [0, ${dimSize - 1}]`);
    }
  }
  let to = 0;
  for (let b = 0; b < batchSize; b++) {
    for (let o = 0; o < outerSize; o++) {
      const base = (b * outerSize + o) * dimSize;
      for (let k = 0; k < perBatch; k++, to += sliceSize) {
        const from = (base + iv[b * perBatch + k]) * sliceSize;
        if (sliceSize >= 16) ov.set(xv.subarray(from, from + sliceSize), to);
        else for (let s = 0; s < sliceSize; s++) ov[to + s] = xv[from + s];
      }
    }
  }
  return out;
}
