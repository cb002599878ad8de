/**
 * Shared pieces of lib/grad: argument checks for (model, inputs, labels), the classification loss
 * that matches the model's output (probabilities after a softmax, else logits), the class score
 * that explanations differentiate, and a probe that reads (and can perturb) one layer's output
 * inside a forward pass. Internal to lib/grad (the barrel exports none of it).
 */
import * as tf from '@tensorflow/tfjs';
import { argError } from '../errors';
import { checkClassLabels, checkModelInputs, classCount } from '../models/check-labels';

/** What the tools accept as a model: a tfjs LayersModel (Sequential or functional). */
export type Model = tf.LayersModel;

export { checkModel } from '../models/check-model';

export { classCount };

/** Inputs: a non-empty batch of finite values whose axes after the first match the model's input shape. */
export function checkInputs(fn: string, model: Model, xs: unknown): tf.Tensor {
  return checkModelInputs(fn, model, xs);
}

/** Labels: class ids [N] in [0, classes) or one-hot (soft) rows [N, K] in [0, 1], N matching the inputs. */
export function checkLabels(fn: string, xs: tf.Tensor, labels: unknown, classes: number): tf.Tensor {
  return checkClassLabels(fn, labels, xs.shape[0], classes, true);
}

/** True when the model ends in a softmax, i.e. outputs probabilities rather than logits. */
export function outputsProbabilities(model: Model): boolean {
  const layer = model.outputLayers?.[0] ?? model.layers[model.layers.length - 1];
  if (layer.getClassName() === 'Softmax') return true;
  const act = (layer.getConfig() as { activation?: unknown }).activation;
  return act === 'softmax';
}

/**
 * Mean cross-entropy of `output` against `labels` (ids or one-hot). Probabilities are clipped to
 * [1e-7, 1] before the log, as Keras does; logits go through logSoftmax.
 */
export function crossEntropy(output: tf.Tensor, labels: tf.Tensor, probabilities: boolean): tf.Scalar {
  return tf.tidy(() => {
    const k = output.shape[output.shape.length - 1] as number;
    const logp = probabilities ? tf.log(tf.clipByValue(output, 1e-7, 1)) : tf.logSoftmax(output);
    const onehot = labels.rank === 1 ? tf.oneHot(tf.cast(labels, 'int32'), k) : tf.cast(labels, 'float32');
    return tf.neg(tf.mean(tf.sum(tf.mul(onehot, logp), -1))) as tf.Scalar;
  });
}

/** The loss function the tools use for `model`: cross-entropy matching its output type. */
export function lossFor(model: Model): (output: tf.Tensor, labels: tf.Tensor) => tf.Scalar {
  const probs = outputsProbabilities(model);
  return (output, labels) => crossEntropy(output, labels, probs);
}

/**
 * Class ids to explain, one per example: given (a number for all, or one per example) or the
 * model's prediction. Checked against the class count.
 */
export function resolveClasses(fn: string, model: Model, xs: tf.Tensor, classIndex: number | readonly number[] | undefined): number[] {
  const n = xs.shape[0];
  const k = classCount(model);
  let ids: number[];
  if (classIndex === undefined) {
    ids = tf.tidy(() => Array.from((model.predict(xs) as tf.Tensor).argMax(-1).dataSync()));
  } else if (typeof classIndex === 'number') {
    ids = new Array<number>(n).fill(classIndex);
  } else {
    if (classIndex.length !== n) argError(fn, 'opts.classIndex', `must have one class per example (${n})`, classIndex.length);
    ids = [...classIndex];
  }
  ids.forEach((c, i) => {
    if (!Number.isInteger(c) || c < 0 || c >= k) argError(fn, `opts.classIndex[${i}]`, `must be an integer class id in [0, ${k})`, c);
  });
  return ids;
}

/**
 * A guard for the function of a gradient call (tf.grads, tf.variableGrads) that may throw, e.g. a loss or a
 * segment supplied by the user. While that function runs, tfjs keeps every tensor the backward pass will
 * need and frees them only when the backward pass runs, so a throw inside it would leave them behind. The
 * guarded function returns `fallback(...)` instead (a scalar connected to the inputs, so the backward pass
 * runs and frees them) and remembers the error; `run` then throws it once the gradient call is over.
 */
export function gradientGuard(): {
  wrap<A extends unknown[]>(f: (...a: A) => tf.Tensor, fallback: (...a: A) => tf.Tensor): (...a: A) => tf.Tensor;
  run<T>(call: () => T): T;
} {
  let failure: { error: unknown } | undefined;
  return {
    wrap: (f, fallback) => (...a) => {
      if (failure) return fallback(...a);
      try {
        return f(...a);
      } catch (error) {
        failure = { error };
        return fallback(...a);
      }
    },
    run: (call) => {
      let result;
      try {
        result = call();
      } catch (e) {
        if (failure) throw failure.error;
        throw e;
      }
      if (failure) {
        tf.dispose(result as tf.TensorContainer);
        throw failure.error;
      }
      return result;
    },
  };
}

/** Sum over the batch of each example's output for its class: the scalar whose gradient explains. */
export function classScore(output: tf.Tensor, ids: readonly number[]): tf.Scalar {
  return tf.tidy(() => {
    const k = output.shape[output.shape.length - 1] as number;
    const mask = tf.oneHot(tf.tensor1d(ids as number[], 'int32'), k);
    return tf.sum(tf.mul(output.reshape([ids.length, k]), mask)) as tf.Scalar;
  });
}

/** Each example's output for its class, as numbers. */
export function classScores(model: Model, xs: tf.Tensor, ids: readonly number[]): number[] {
  return tf.tidy(() => {
    const out = model.predict(xs) as tf.Tensor;
    const k = out.shape[out.shape.length - 1] as number;
    const mask = tf.oneHot(tf.tensor1d(ids as number[], 'int32'), k);
    return Array.from(tf.sum(tf.mul(out, mask), -1).dataSync());
  });
}

/** The layer named `name`, or the last layer whose output is 4-D and whose class is a convolution. */
export function findConvLayer(fn: string, model: Model, name?: string): tf.layers.Layer {
  if (name !== undefined) {
    const layer = model.layers.find((l) => l.name === name);
    if (!layer) argError(fn, 'opts.layerName', `must name a layer of the model (${model.layers.map((l) => l.name).join(', ')})`, name);
    return layer;
  }
  for (let i = model.layers.length - 1; i >= 0; i--) {
    const l = model.layers[i];
    const shape = l.outputShape;
    if (/Conv/.test(l.getClassName()) && Array.isArray(shape) && shape.length === 4 && !Array.isArray(shape[0])) return l;
  }
  return argError(fn, 'model', 'must contain a convolution layer with a 4-D output (or pass opts.layerName)', model.layers.map((l) => l.getClassName()));
}

type CallFn = (inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>) => tf.Tensor | tf.Tensor[];

/**
 * Run `model.apply(x)` eagerly while reading `layer`'s output (kept: the caller disposes it) and,
 * when `delta` is given, adding it to that output, so `tf.grad` over `delta` at zero gives the
 * gradient with respect to the layer's output. Works for Sequential and functional models (their
 * eager forward pass calls each layer's `call`); the patch is removed before returning.
 */
export function applyWithProbe(
  model: Model,
  layer: tf.layers.Layer,
  x: tf.Tensor,
  opts: { delta?: tf.Tensor; training?: boolean } = {},
): { output: tf.Tensor; captured: tf.Tensor } {
  const target = layer as unknown as { call: CallFn };
  const hadOwn = Object.prototype.hasOwnProperty.call(target, 'call');
  const original = target.call;
  let captured: tf.Tensor | undefined;
  target.call = function (this: unknown, inputs, kwargs) {
    const out = original.call(this, inputs, kwargs);
    if (Array.isArray(out)) throw new Error(`applyWithProbe: layer ${layer.name} has several outputs`);
    // A clone: in inference mode the tfjs executor disposes intermediate outputs once the next
    // layer has used them, kept or not. The clone shares the data and stays differentiable.
    captured = tf.keep(tf.clone(out));
    return opts.delta ? tf.add(out, opts.delta) : out;
  };
  let output: tf.Tensor;
  try {
    output = model.apply(x, { training: opts.training ?? false }) as tf.Tensor;
  } finally {
    if (hadOwn) target.call = original;
    else delete (target as { call?: CallFn }).call;
  }
  if (!captured) argError('applyWithProbe', 'layer', 'must be called in the forward pass of the model', layer.name);
  return { output, captured };
}

/** Concrete output shape of `layer` for a batch of n. */
export function layerOutputShape(fn: string, layer: tf.layers.Layer, n: number): number[] {
  const shape = layer.outputShape;
  if (!Array.isArray(shape) || Array.isArray(shape[0])) argError(fn, 'layer', 'must have a single output', layer.name);
  return (shape as (number | null)[]).map((d, i) => (i === 0 ? n : (d as number)));
}
