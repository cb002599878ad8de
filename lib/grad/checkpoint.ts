/**
 * Gradient checkpointing (Chen et al. 2016, "Training deep nets with sublinear memory cost"): run a chain of
 * segments forward keeping only each segment's output (the checkpoints), then walk back, recomputing one
 * segment's activations at a time to backpropagate through it. Activation memory drops from every layer's
 * to the checkpoints plus one segment's, for one more forward pass: with L layers in segments of sqrt(L),
 * O(sqrt(L)) instead of O(L).
 * @see notebooks/q22-computational-challenges.ipynb
 */
import * as tf from '@tensorflow/tfjs';
import { argError } from '../errors';
import type { MemoryProbe } from './memory-probe';

/** One segment of the chain: `apply(h, params)` with `params` in the order of `variables`. */
export interface CheckpointSegment {
  apply: (h: tf.Tensor, params: tf.Tensor[]) => tf.Tensor;
  variables: tf.Variable[];
}

/** Options of {@link checkpointedGradients}. */
export interface CheckpointOptions {
  /** Wraps the loss and each recomputed segment output, so it sees every backward pass. */
  probe?: MemoryProbe;
  /** Called once the forward pass has kept its checkpoints, before any backward pass. */
  afterForward?: () => void;
}

/**
 * The gradients of `head(segments[n-1](...segments[0](input)))` with respect to every variable of the
 * segments and of the head, computed with checkpoints at the segment boundaries. The values equal those of
 * a plain `tf.grads` through the whole chain (up to float rounding); only the memory held differs.
 * Intermediate tensors are freed; the caller owns the returned gradients (pass them to
 * `optimizer.applyGradients`, inside `tf.tidy`).
 * @param input [N, ...] the chain's input (kept, not freed)
 * @param head (h, headParams) -> scalar loss, with its parameters `headVariables`
 * @returns gradients by variable name
 * @throws ArgError when segments is empty or a segment has no apply function
 * @example
 *   const grads = checkpointedGradients(images, segments, (h, [w, b]) => loss(h, w, b), [wd, bd]);
 *   optimizer.applyGradients(grads);
 * @see notebooks/q22-computational-challenges.ipynb
 */
export function checkpointedGradients(
  input: tf.Tensor,
  segments: readonly CheckpointSegment[],
  head: (h: tf.Tensor, params: tf.Tensor[]) => tf.Scalar,
  headVariables: tf.Variable[],
  opts: CheckpointOptions = {},
): tf.NamedTensorMap {
  const fn = 'checkpointedGradients';
  if (!Array.isArray(segments) || segments.length === 0) argError(fn, 'segments', 'must be a non-empty array', segments);
  segments.forEach((s, i) => {
    if (!s || typeof s.apply !== 'function' || !Array.isArray(s.variables)) {
      argError(fn, `segments[${i}]`, 'must be { apply(h, params), variables }', s);
    }
  });
  const wrap = opts.probe ?? ((t: tf.Tensor) => t);
  // Forward: keep only the segment outputs.
  const checkpoints: tf.Tensor[] = [input];
  for (const s of segments) checkpoints.push(tf.tidy(() => s.apply(checkpoints[checkpoints.length - 1], s.variables)));
  opts.afterForward?.();
  const grads: tf.NamedTensorMap = {};
  const last = checkpoints[checkpoints.length - 1];
  let [dh, ...headGrads] = tf.grads((h: tf.Tensor, ...p: tf.Tensor[]) => wrap(head(h, p)))([last, ...headVariables]);
  headVariables.forEach((v, i) => (grads[v.name] = headGrads[i]));
  // Backward: recompute each segment from its checkpoint, then backpropagate dh through it.
  for (let k = segments.length - 1; k >= 0; k--) {
    const s = segments[k];
    const n = s.variables.length;
    const g = tf.grads((h: tf.Tensor, ...p: tf.Tensor[]) => wrap(s.apply(h, p)))([checkpoints[k], ...s.variables], dh);
    dh.dispose();
    checkpoints[k + 1].dispose(); // this segment's output is no longer needed
    dh = g[0];
    for (let i = 0; i < n; i++) grads[s.variables[i].name] = g[1 + i];
  }
  dh.dispose();
  return grads;
}
