/**
 * Calling the wasm backend's own kernels from inside a kernel we add. Kernels receive TensorInfo
 * (data ids, not tensors) and must not go through the engine; intermediates are freed by hand.
 * Also the few reshaping moves the convolution gradients share (pad or crop, insert zeros between
 * pixels, flip a filter).
 */
import * as tf from '@tensorflow/tfjs';
import { BackendError } from '../../errors';
import { wasmHeapArray, wasmMakeOutput } from '../internals';

export type TensorInfo = tf.TensorInfo;
export type KernelBackend = tf.KernelBackend;

/**
 * The kernels shipped with tfjs-backend-wasm that cnnlib replaced by faster compositions, as
 * registered (kernel, setup and dispose functions); a replacement falls back to the shipped kernel
 * for the cases it does not cover.
 */
export const shippedKernels = new Map<string, tf.KernelConfig>();

/** Run a kernel registered for `backendName` directly. */
export function callKernel(
  backend: KernelBackend,
  name: string,
  inputs: Record<string, TensorInfo>,
  attrs: Record<string, unknown> = {},
  backendName = 'wasm',
): TensorInfo {
  const k = tf.getKernel(name, backendName);
  if (!k) throw new BackendError(`callKernel: kernel '${name}' is not registered for backend '${backendName}'`);
  return k.kernelFunc({ inputs, backend, attrs: attrs as tf.NamedAttrMap }) as TensorInfo;
}

/** Run the kernel tfjs-backend-wasm shipped under `name`, even when cnnlib replaced it. */
export function callShipped(
  backend: KernelBackend,
  name: string,
  inputs: Record<string, TensorInfo>,
  attrs: Record<string, unknown> = {},
): TensorInfo {
  const shipped = shippedKernels.get(name);
  if (!shipped) return callKernel(backend, name, inputs, attrs);
  return shipped.kernelFunc({ inputs, backend, attrs: attrs as tf.NamedAttrMap }) as TensorInfo;
}

/** Free intermediates created inside a kernel. */
export function free(backend: KernelBackend, ...infos: TensorInfo[]): void {
  for (const t of infos) backend.disposeData(t.dataId);
}

/**
 * Free every distinct intermediate in `temps` except those in `keep` (the kernel's inputs and its
 * result). Helpers here may return their argument unchanged, so the same object can be listed
 * twice or be the result; each reshape view holds its own reference and is freed once.
 */
export function freeAllBut(backend: KernelBackend, temps: TensorInfo[], ...keep: TensorInfo[]): void {
  const done = new Set<TensorInfo>(keep);
  for (const t of temps) {
    if (done.has(t)) continue;
    done.add(t);
    backend.disposeData(t.dataId);
  }
}

/** Reshape without copying (the wasm Reshape kernel shares the data and counts a reference). */
export function reshape(backend: KernelBackend, x: TensorInfo, shape: number[]): TensorInfo {
  return callKernel(backend, 'Reshape', { x }, { shape });
}

/** A new, uninitialised tensor on the wasm heap (the kernel's result, or an intermediate to free). */
export function makeOutput(backend: KernelBackend, shape: number[], dtype: tf.DataType): TensorInfo {
  return wasmMakeOutput(backend, shape, dtype);
}

/**
 * A typed-array view of a tensor's data on the wasm heap, for kernels written as loops. Take views
 * after the last allocation: growing the heap detaches earlier ones.
 */
export function heapArray(backend: KernelBackend, t: TensorInfo): Float32Array | Int32Array | Uint8Array {
  return wasmHeapArray(backend, t);
}

/** A float32 tensor on the wasm heap holding `values`. */
export function constant(backend: KernelBackend, shape: number[], values: Float32Array): TensorInfo {
  const out = makeOutput(backend, shape, 'float32');
  heapArray(backend, out).set(values);
  return out;
}

const constantValues = new Map<string, Float32Array>();

/**
 * A small constant filter, made fresh on the heap for each call (the caller frees it); its values
 * are computed once per key. Keeping the tensors across calls (to reuse XNNPACK's operator cache,
 * keyed by filter id) made a later wasm DepthwiseConv2dNative hang in the property test (root cause
 * inside the wasm binary not found), so every call gets a new filter.
 */
export function filterConstant(backend: KernelBackend, key: string, shape: number[], make: () => Float32Array): TensorInfo {
  let v = constantValues.get(key);
  if (!v) constantValues.set(key, (v = make()));
  return constant(backend, shape, v);
}

/**
 * Depthwise filter [kh, kw, C, kh*kw] whose channel c, multiplier k = a*kw + b picks pixel (a, b):
 * a depthwise convolution with it lays out the kh x kw patches, [N, oh, ow, C*kh*kw] (c major).
 * The caller frees it.
 */
export function patchFilter(backend: KernelBackend, kh: number, kw: number, c: number): TensorInfo {
  const k = kh * kw;
  return filterConstant(backend, `patch:${kh}:${kw}:${c}`, [kh, kw, c, k], () => {
    const v = new Float32Array(k * c * k);
    for (let a = 0; a < kh; a++) for (let b = 0; b < kw; b++) for (let ch = 0; ch < c; ch++) v[((a * kw + b) * c + ch) * k + a * kw + b] = 1;
    return v;
  });
}

/**
 * Crop an NHWC float32 tensor of finite values by a depthwise convolution with a one-hot filter:
 * XNNPACK, where the wasm Slice kernel first copies the whole input out of the heap. Rows
 * [top, H - bottom) and columns [left, W - right) remain. A non-finite value inside a filter window
 * would spread (Inf * 0 = NaN), hence "finite".
 */
export function cropFinite(backend: KernelBackend, x: TensorInfo, [top, bottom]: number[], [left, right]: number[]): TensorInfo {
  const [fh, fw, c] = [top + bottom + 1, left + right + 1, x.shape[3]];
  const f = filterConstant(backend, `crop:${top}:${bottom}:${left}:${right}:${c}`, [fh, fw, c, 1], () => {
    const v = new Float32Array(fh * fw * c);
    for (let ch = 0; ch < c; ch++) v[(top * fw + left) * c + ch] = 1;
    return v;
  });
  const out = callKernel(backend, 'DepthwiseConv2dNative', { x, filter: f }, { strides: [1, 1], pad: 'valid', dilations: [1, 1], dataFormat: 'NHWC' });
  free(backend, f);
  return out;
}

/**
 * Pad (positive amounts) or crop (negative amounts) each axis of `x`; `pads[i] = [before, after]`.
 * Returns `x` itself when nothing changes, so callers free the result only when it differs.
 * Pads first, then crops: an axis padded on one side and cropped on the other (a strided window
 * that starts in the padding and stops short of the far edge) would otherwise pass through an empty
 * tensor, and XNNPACK writes out of bounds for an empty convolution output (measured: x [1, 4, 1, 1],
 * a 1x1 filter, stride 3, pad 1 corrupted the heap).
 * `opts.finite`: x is float32 NHWC with finite values (and `value` is finite) and only H and W
 * change, so a crop can run as {@link cropFinite}.
 */
export function padCrop(
  backend: KernelBackend,
  x: TensorInfo,
  pads: [number, number][],
  value = 0,
  opts: { finite?: boolean } = {},
): TensorInfo {
  let cur = x;
  if (pads.some(([b, a]) => b > 0 || a > 0)) {
    const p = pads.map(([b, a]) => [Math.max(0, b), Math.max(0, a)]);
    cur = callKernel(backend, 'PadV2', { x }, { paddings: p, constantValue: value });
  }
  if (pads.some(([b, a]) => b < 0 || a < 0)) {
    const neg = pads.map(([b, a]) => [Math.max(0, -b), Math.max(0, -a)]);
    const size = neg.map(([b, a], i) => cur.shape[i] - b - a);
    if (size.some((n) => n <= 0)) {
      throw new BackendError(`padCrop: the crop ${JSON.stringify(pads)} leaves no data of shape ${JSON.stringify(x.shape)}`);
    }
    const spatialOnly = pads.length === 4 && pads[0].every((q) => q === 0) && pads[3].every((q) => q === 0);
    const cropped = opts.finite && spatialOnly && x.dtype === 'float32' && Number.isFinite(value)
      ? cropFinite(backend, cur, neg[1], neg[2])
      : callKernel(backend, 'Slice', { x: cur }, { begin: neg.map(([b]) => b), size });
    if (cur !== x) free(backend, cur);
    cur = cropped;
  }
  return cur;
}

/**
 * Insert `sh - 1` zero rows between rows and `sw - 1` zero columns between columns of an NHWC
 * tensor of finite values: [N, H, W, C] -> [N, (H-1)*sh+1, (W-1)*sw+1, C]. This is how a strided
 * convolution's output gradient is spread back onto the input grid.
 */
export function dilateSpatial(backend: KernelBackend, x: TensorInfo, sh: number, sw: number): TensorInfo {
  if (sh === 1 && sw === 1) return x;
  const [n, h, w, c] = x.shape;
  const x6 = reshape(backend, x, [n, h, 1, w, 1, c]);
  const p6 = callKernel(backend, 'PadV2', { x: x6 }, {
    paddings: [[0, 0], [0, 0], [0, sh - 1], [0, 0], [0, sw - 1], [0, 0]],
    constantValue: 0,
  });
  const p4 = reshape(backend, p6, [n, h * sh, w * sw, c]);
  const out = padCrop(backend, p4, [[0, 0], [0, 1 - sh], [0, 1 - sw], [0, 0]], 0, { finite: true });
  free(backend, x6, p6, p4);
  return out;
}

/** Rotate a [kh, kw, ...] filter by 180 degrees in its two spatial axes. */
export function flipSpatial(backend: KernelBackend, f: TensorInfo): TensorInfo {
  return callKernel(backend, 'Reverse', { x: f }, { dims: [0, 1] });
}

/**
 * A [kh, kw, Ci, Co] filter rotated by 180 degrees in its spatial axes with its channel axes swapped,
 * [kh, kw, Co, Ci]: the filter of a convolution's input gradient. One pass over the heap, where
 * Transpose then Reverse took 1.3 ms for a 3x3x32x64 filter (the wasm Reverse is slow).
 */
export function flipTransposeFilter(backend: KernelBackend, f: TensorInfo): TensorInfo {
  const [kh, kw, ci, co] = f.shape;
  const out = makeOutput(backend, [kh, kw, co, ci], 'float32');
  const src = heapArray(backend, f) as Float32Array;
  const dst = heapArray(backend, out) as Float32Array;
  for (let a = 0; a < kh; a++) {
    for (let b = 0; b < kw; b++) {
      const from = ((kh - 1 - a) * kw + (kw - 1 - b)) * ci * co; // [ci, co] block of the rotated tap
      const to = (a * kw + b) * co * ci; // [co, ci] block
      for (let i = 0; i < ci; i++) for (let o = 0; o < co; o++) dst[to + o * ci + i] = src[from + i * co + o];
    }
  }
  return out;
}
