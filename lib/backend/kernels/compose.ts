/**
 * Calling the wasm backend's own kernels from inside a kernel we add. Kernels receive TensorInfo
 * (data ids, not tensors) and must not go through the engine; intermediates are freed by hand.
 */
import * as tf from '@tensorflow/tfjs';
import { BackendError } from '../../errors';

export type TensorInfo = tf.TensorInfo;
export type KernelBackend = tf.KernelBackend;

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

/** Free intermediates created inside a kernel. */
export function free(backend: KernelBackend, ...infos: TensorInfo[]): void {
  for (const t of infos) backend.disposeData(t.dataId);
}
