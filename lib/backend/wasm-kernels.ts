/**
 * Kernels the wasm backend lacks for training (Conv2DBackpropFilter and friends), composed from the
 * wasm backend's own kernels so that nothing leaves WebAssembly.
 * @see notebooks/q12-backpropagation.ipynb
 */
import * as tf from '@tensorflow/tfjs';
import { conv2dBackpropFilterWasm } from './kernels/conv2d-backprop-filter';

/** The kernels cnnlib adds to the wasm backend. */
export const WASM_KERNELS: tf.KernelConfig[] = [
  { kernelName: 'Conv2DBackpropFilter', backendName: 'wasm', kernelFunc: conv2dBackpropFilterWasm as unknown as tf.KernelFunc },
];

/**
 * Register every missing training kernel on the wasm backend; safe to call twice.
 * @returns how many kernels this call registered
 */
export function registerWasmKernels(): number {
  let added = 0;
  for (const k of WASM_KERNELS) {
    if (tf.getKernel(k.kernelName, 'wasm')) continue;
    tf.registerKernel(k);
    added++;
  }
  return added;
}
