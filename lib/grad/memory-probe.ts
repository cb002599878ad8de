/**
 * Measuring the memory a backward pass holds. TensorFlow.js frees nothing a gradient still needs until the
 * gradient is computed, so the bytes alive when backpropagation starts are the activations kept for it
 * (plus the inputs and weights). A probe is an identity op whose gradient reads `tf.memory().numBytes`: put
 * it on the loss (or on a segment's output) and it records, at the start of each backward pass through it,
 * the bytes alive above a base taken before the step.
 * @see notebooks/q22-computational-challenges.ipynb
 */
import * as tf from '@tensorflow/tfjs';
import { argError } from '../errors';
import { checkTensor } from '../layers/check-tensor';

/** An identity op that records memory when a gradient flows through it; see {@link memoryProbe}. */
export interface MemoryProbe {
  /** x unchanged (a copy) in the forward pass; in the backward pass, records the bytes above the base. */
  (x: tf.Tensor): tf.Tensor;
  /** Start a measurement: the base becomes `baseBytes` (default: the bytes alive now) and the peak 0. */
  reset(baseBytes?: number): void;
  /** The base of the current measurement, in bytes. */
  readonly baseBytes: number;
  /** The most bytes above the base seen by a backward pass through the probe since the last reset. */
  readonly peakBytes: number;
  /** Bytes alive now above the base (for a reading outside a backward pass). */
  bytesAboveBase(): number;
}

/**
 * A new {@link MemoryProbe}, with its base at the bytes alive now.
 * @example
 *   const probe = memoryProbe();
 *   probe.reset();
 *   optimizer.minimize(() => probe(loss()) as tf.Scalar);
 *   probe.peakBytes   // activations kept for the backward pass (and anything else created in the step)
 * @see notebooks/q22-computational-challenges.ipynb
 */
export function memoryProbe(): MemoryProbe {
  let base = tf.memory().numBytes;
  let peak = 0;
  const op = tf.customGrad((...args: unknown[]) => ({
    value: (args[0] as tf.Tensor).clone(),
    gradFunc: (dy: tf.Tensor) => {
      peak = Math.max(peak, tf.memory().numBytes - base);
      return dy;
    },
  }));
  const probe = ((x: tf.Tensor) => {
    checkTensor('memoryProbe', 'x', x);
    return op(x);
  }) as MemoryProbe;
  Object.defineProperties(probe, {
    baseBytes: { get: () => base },
    peakBytes: { get: () => peak },
  });
  probe.reset = (baseBytes = tf.memory().numBytes) => {
    if (typeof baseBytes !== 'number' || !Number.isFinite(baseBytes) || baseBytes < 0) {
      argError('MemoryProbe.reset', 'baseBytes', 'must be a non-negative number of bytes', baseBytes);
    }
    base = baseBytes;
    peak = 0;
  };
  probe.bytesAboveBase = () => tf.memory().numBytes - base;
  return probe;
}
