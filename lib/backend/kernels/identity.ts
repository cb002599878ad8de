/**
 * Identity for the wasm backend without a copy. tfjs's engine clones every tensor it keeps for the
 * backward pass (saveTensorsForBackwardMode) through this kernel, and the shipped one copies the
 * data: a 2.7 MB copy per conv activation per training step (0.7 ms for the Q1 CNN's first layer).
 * Tensors are immutable, so the clone can share the data and count a reference, as Identity does on
 * the cpu backend: that is the wasm Reshape kernel to the same shape. Strings keep the shipped kernel.
 * @see notebooks/q12-backpropagation.ipynb
 */
import { callShipped, reshape, type KernelBackend, type TensorInfo } from './compose';

export function identityWasm(args: { inputs: { x: TensorInfo }; backend: KernelBackend }): TensorInfo {
  const { inputs, backend } = args;
  const { x } = inputs;
  if (x.dtype === 'string') return callShipped(backend, 'Identity', inputs);
  return reshape(backend, x, x.shape);
}
