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
import { checkFunction, checkOptionKeys } from '../check';
import { checkTensor } from '../layers/check-tensor';
import { gradientGuard } from './common';
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
 * @throws ArgError when input is not a live tensor, segments is empty or a segment has no apply function or
 *   returns no tensor, head is not a function or does not return a scalar, a variable is not a tf.Variable,
 *   or an option is not a function; a failed call leaves no tensor behind
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
  checkTensor(fn, 'input', input);
  if (!Array.isArray(segments) || segments.length === 0) argError(fn, 'segments', 'must be a non-empty array', segments);
  segments.forEach((s, i) => {
    if (!s || typeof s.apply !== 'function' || !Array.isArray(s.variables)) {
      argError(fn, `segments[${i}]`, 'must be { apply(h, params), variables }', s);
    }
    (s.variables as unknown[]).forEach((v: unknown, j: number) => checkVariable(fn, `segments[${i}].variables[${j}]`, v));
  });
  checkFunction(fn, 'head', head);
  if (!Array.isArray(headVariables)) argError(fn, 'headVariables', 'must be an array of tf.Variable', headVariables);
  headVariables.forEach((v, j) => checkVariable(fn, `headVariables[${j}]`, v));
  checkOptionKeys(fn, 'opts', opts, ['probe', 'afterForward']);
  const probe = opts.probe === undefined ? undefined : checkFunction<MemoryProbe>(fn, 'opts.probe', opts.probe);
  const afterForward = opts.afterForward === undefined ? undefined : checkFunction<() => void>(fn, 'opts.afterForward', opts.afterForward);
  const wrap = probe ?? ((t: tf.Tensor) => t);
  const output = (where: string, t: unknown, scalar: boolean): tf.Tensor => {
    if (!(t instanceof tf.Tensor) || (scalar && t.rank !== 0)) argError(fn, where, scalar ? 'must return a scalar tf.Tensor (the loss)' : 'must return a tf.Tensor', t instanceof tf.Tensor ? t.shape : t);
    return t;
  };
  // Forward: keep only the segment outputs.
  const checkpoints: tf.Tensor[] = [input];
  const grads: tf.NamedTensorMap = {};
  let dh: tf.Tensor | undefined;
  try {
    segments.forEach((s, i) => {
      checkpoints.push(tf.tidy(() => output(`segments[${i}].apply`, s.apply(checkpoints[checkpoints.length - 1], s.variables), false)));
    });
    afterForward?.();
    const last = checkpoints[checkpoints.length - 1];
    // A head or segment that throws inside a gradient call leaves no tensor behind: see gradientGuard.
    const connected = (h: tf.Tensor) => tf.mul(tf.sum(h), 0);
    const headGuard = gradientGuard();
    const [dLast, ...headGrads] = headGuard.run(() =>
      tf.grads(headGuard.wrap((h: tf.Tensor, ...p: tf.Tensor[]) => wrap(output('head', head(h, p), true)), connected))([last, ...headVariables]),
    );
    dh = dLast;
    headVariables.forEach((v, i) => (grads[v.name] = headGrads[i]));
    // Backward: recompute each segment from its checkpoint, then backpropagate dh through it.
    for (let k = segments.length - 1; k >= 0; k--) {
      const s = segments[k];
      const n = s.variables.length;
      const guard = gradientGuard();
      const upstream: tf.Tensor = dh!;
      // The stand-in must have the shape of dh (grads checks it) and depend on h (so the backward pass runs).
      const standIn = (h: tf.Tensor): tf.Tensor => tf.add(tf.mul(tf.sum(h), 0), tf.zerosLike(upstream));
      const g: tf.Tensor[] = guard.run(() => tf.grads(guard.wrap((h: tf.Tensor, ...p: tf.Tensor[]) => wrap(output(`segments[${k}].apply`, s.apply(h, p), false)), standIn))([checkpoints[k], ...s.variables], upstream));
      upstream.dispose();
      checkpoints[k + 1].dispose(); // this segment's output is no longer needed
      dh = g[0];
      for (let i = 0; i < n; i++) grads[s.variables[i].name] = g[1 + i];
    }
    dh!.dispose();
    return grads;
  } catch (e) {
    // A failed call leaves nothing behind: the kept checkpoints (not the caller's input) and any gradient.
    tf.dispose([...checkpoints.slice(1).filter((t) => !t.isDisposed), ...Object.values(grads)]);
    if (dh && !dh.isDisposed) dh.dispose();
    throw e;
  }
}

function checkVariable(fn: string, arg: string, v: unknown): void {
  if (!(v instanceof tf.Variable)) argError(fn, arg, 'must be a tf.Variable', v);
}
