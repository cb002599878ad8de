/**
 * Kernels the wasm backend lacks for training (Conv2DBackpropFilter and friends), and faster
 * replacements for shipped kernels that were the bottleneck of a training step (Conv2DBackpropInput,
 * MaxPoolGrad and transposed BatchMatMul, which tfjs-backend-wasm runs as plain loops outside
 * XNNPACK; its MaxPoolGrad also drops gradients of windows whose maximum is negative; Sum over
 * leading axes, the bias gradient; Identity, which shares data instead of copying it; GatherV2, which
 * picks fit's batches out of the training set), and a guard
 * around its matrix products, which return wrong numbers for two reshapes of one tensor and, fused
 * with a bias, for a batch of products or a transposed operand. They are
 * composed from the wasm backend's own kernels, except where a single loop over the wasm heap
 * measured faster than every composition (MaxPoolGrad, the input gradient's filter flip, GatherV2's
 * block copies). Tensors
 * never leave the wasm heap.
 * @see notebooks/q12-backpropagation.ipynb
 */
import * as tf from '@tensorflow/tfjs';
import { FusedAdamOptimizer } from './fused-adam';
import { replaceTrainAdam } from './internals';
import { ADAM_UPDATE, adamUpdateCpu, adamUpdateWasm } from './kernels/adam-update';
import { batchMatMulWasm, fusedMatMulWasm } from './kernels/batch-mat-mul';
import { shippedKernels } from './kernels/compose';
import { conv2dBackpropFilterWasm } from './kernels/conv2d-backprop-filter';
import { conv2dBackpropInputWasm } from './kernels/conv2d-backprop-input';
import { depthwiseConv2dBackpropFilterWasm } from './kernels/depthwise-conv2d-backprop-filter';
import { depthwiseConv2dBackpropInputWasm } from './kernels/depthwise-conv2d-backprop-input';
import { einsumWasm } from './kernels/einsum';
import { gatherV2Wasm } from './kernels/gather-v2';
import { identityWasm } from './kernels/identity';
import { maxPoolGradWasm } from './kernels/max-pool-grad';
import { sumWasm } from './kernels/sum';
import { unsortedSegmentSumWasm } from './kernels/unsorted-segment-sum';

const kernel = (kernelName: string, f: unknown): tf.KernelConfig => ({
  kernelName,
  backendName: 'wasm',
  kernelFunc: f as tf.KernelFunc,
});

/** The kernels cnnlib adds to the wasm backend (it has none of these). */
export const WASM_KERNELS: tf.KernelConfig[] = [
  kernel('Conv2DBackpropFilter', conv2dBackpropFilterWasm),
  kernel('DepthwiseConv2dNativeBackpropFilter', depthwiseConv2dBackpropFilterWasm),
  kernel('DepthwiseConv2dNativeBackpropInput', depthwiseConv2dBackpropInputWasm),
  kernel('Einsum', einsumWasm),
  kernel('UnsortedSegmentSum', unsortedSegmentSumWasm),
  kernel(ADAM_UPDATE, adamUpdateWasm),
];

/** `tf.train.adam` as cnnlib installs it: tfjs's defaults, the fused step (fused-adam.ts). */
function fusedAdam(learningRate = 0.001, beta1 = 0.9, beta2 = 0.999, epsilon?: number | null): tf.AdamOptimizer {
  return new FusedAdamOptimizer(learningRate, beta1, beta2, epsilon ?? undefined);
}

/**
 * Shipped wasm kernels cnnlib replaces with faster compositions on XNNPACK (measured on a training
 * step of the Q1 CNN: see bench/bench.ts), or wraps to correct them (_FusedMatMul: see
 * kernels/batch-mat-mul.ts). A replacement calls the shipped kernel for the cases it does not cover.
 */
export const WASM_REPLACEMENTS: tf.KernelConfig[] = [
  kernel('Conv2DBackpropInput', conv2dBackpropInputWasm),
  kernel('MaxPoolGrad', maxPoolGradWasm),
  kernel('BatchMatMul', batchMatMulWasm),
  kernel('_FusedMatMul', fusedMatMulWasm),
  kernel('Identity', identityWasm),
  kernel('Sum', sumWasm),
  kernel('GatherV2', gatherV2Wasm),
];

/**
 * Register every missing training kernel on the wasm backend, and (unless `opts.replace` is false)
 * swap in the faster replacements; safe to call twice, before or after the wasm backend starts.
 * `replace: false` also restores the shipped kernels after an earlier call replaced them, which is
 * how the speed-ups are measured. The same switch installs (or removes) the fused Adam step as
 * `tf.train.adam` (fused-adam.ts: one kernel per variable instead of 13).
 *
 * A replacement is registered with the shipped kernel's setupFunc and disposeFunc (read with
 * tf.getKernel before it is replaced): the wasm backend runs the setup functions of the kernels
 * registered when it starts, and the shipped kernels that a replacement falls back to bind their
 * wasm functions there. Without them a backend started again (after `tf.engine().reset()`, or
 * removeBackend and a new registration) aborted in BatchMatMul, _FusedMatMul and Sum.
 * @param opts.replace install {@link WASM_REPLACEMENTS} (default true)
 * @returns how many kernels this call registered or swapped
 * @example registerWasmKernels();   // after tf.setBackend('wasm'); ready() does it for you
 * @see notebooks/q12-backpropagation.ipynb
 */
export function registerWasmKernels(opts: { replace?: boolean } = {}): number {
  const replace = opts.replace ?? true;
  let added = 0;
  for (const k of WASM_KERNELS) {
    if (tf.getKernel(k.kernelName, 'wasm')) continue;
    tf.registerKernel(k);
    added++;
  }
  for (const k of WASM_REPLACEMENTS) {
    const current = tf.getKernel(k.kernelName, 'wasm');
    if (current && current.kernelFunc !== k.kernelFunc && !shippedKernels.has(k.kernelName)) {
      shippedKernels.set(k.kernelName, { ...current });
    }
    const shipped = shippedKernels.get(k.kernelName);
    const want = replace ? k.kernelFunc : shipped?.kernelFunc;
    if (!want || current?.kernelFunc === want) continue;
    if (current) tf.unregisterKernel(k.kernelName, 'wasm');
    tf.registerKernel({ ...shipped, kernelName: k.kernelName, backendName: 'wasm', kernelFunc: want });
    added++;
  }
  if (!tf.getKernel(ADAM_UPDATE, 'cpu')) tf.registerKernel({ kernelName: ADAM_UPDATE, backendName: 'cpu', kernelFunc: adamUpdateCpu as unknown as tf.KernelFunc });
  replaceTrainAdam(replace ? (fusedAdam as (...args: unknown[]) => tf.Optimizer) : undefined, 'registerWasmKernels');
  return added;
}
