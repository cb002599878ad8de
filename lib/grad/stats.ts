/**
 * Per-layer gradient statistics of a model on a batch: the numbers behind "is anything learning?"
 * (vanishing, exploding, dead or NaN gradients), from one `tf.variableGrads` pass.
 * @see notebooks/q12-backpropagation.ipynb
 */
import * as tf from '@tensorflow/tfjs';
import { checkBoolean, checkFunction, checkOptionKeys } from '../check';
import { argError } from '../errors';
import { checkModel } from '../models/check-model';
import { checkInputs, checkLabels, classCount, gradientGuard, lossFor, type Model } from './common';

/** Statistics of one gradient tensor (or of a layer's variables together). */
export interface GradStats {
  /** Number of entries. */
  size: number;
  /** L2 norm of the finite entries. */
  norm: number;
  /** Mean |g| over the finite entries (0 when there are none). */
  meanAbs: number;
  /** Largest |g| over the finite entries. */
  maxAbs: number;
  /** Fraction of entries exactly 0 (dead ReLUs, unused weights). */
  zeroFraction: number;
  nanCount: number;
  infCount: number;
  /** L2 norm of the weights themselves. */
  weightNorm: number;
  /** norm / weightNorm: the relative size of one plain SGD step at learning rate 1; null when the weights are all 0. */
  ratio: number | null;
}

/** One variable's statistics. */
export interface VariableGradStats extends GradStats {
  name: string;
  shape: number[];
}

/** One layer's statistics, over all its trainable variables, plus each variable's. */
export interface LayerGradStats extends GradStats {
  /** Layer name. */
  layer: string;
  /** Position among the model's layers that have trainable variables, 0 = nearest the input. */
  index: number;
  className: string;
  variables: VariableGradStats[];
}

interface Acc {
  size: number;
  sq: number;
  abs: number;
  max: number;
  zeros: number;
  nan: number;
  inf: number;
  wsq: number;
}

function accumulate(g: ArrayLike<number>, w: ArrayLike<number>): Acc {
  const a: Acc = { size: g.length, sq: 0, abs: 0, max: 0, zeros: 0, nan: 0, inf: 0, wsq: 0 };
  for (let i = 0; i < g.length; i++) {
    const v = g[i];
    if (Number.isNaN(v)) a.nan++;
    else if (!Number.isFinite(v)) a.inf++;
    else {
      const m = Math.abs(v);
      a.sq += v * v;
      a.abs += m;
      if (m > a.max) a.max = m;
      if (v === 0) a.zeros++;
    }
    a.wsq += w[i] * w[i];
  }
  return a;
}

function finish(a: Acc): GradStats {
  const finite = a.size - a.nan - a.inf;
  const norm = Math.sqrt(a.sq);
  const weightNorm = Math.sqrt(a.wsq);
  return {
    size: a.size,
    norm,
    meanAbs: finite > 0 ? a.abs / finite : 0,
    maxAbs: a.max,
    zeroFraction: a.size > 0 ? a.zeros / a.size : 0,
    nanCount: a.nan,
    infCount: a.inf,
    weightNorm,
    ratio: weightNorm > 0 ? norm / weightNorm : null,
  };
}

function merge(parts: Acc[]): Acc {
  return parts.reduce(
    (t, p) => ({ size: t.size + p.size, sq: t.sq + p.sq, abs: t.abs + p.abs, max: Math.max(t.max, p.max), zeros: t.zeros + p.zeros, nan: t.nan + p.nan, inf: t.inf + p.inf, wsq: t.wsq + p.wsq }),
    { size: 0, sq: 0, abs: 0, max: 0, zeros: 0, nan: 0, inf: 0, wsq: 0 },
  );
}

/**
 * Gradients of the loss with respect to every trainable variable, summarised per layer.
 * The loss is the mean cross-entropy matching the model's output (probabilities after a softmax,
 * logits otherwise), or `opts.loss`.
 * @param model a tf.LayersModel; xs inputs [N, ...inputShape]; labels class ids [N] or one-hot [N, K]
 * @param opts.training forward pass in training mode (default true, like a training step: dropout
 *   active, batch norm on batch statistics, which also moves its running averages); opts.loss a
 *   custom (output, labels) => scalar
 * @returns { loss, layers }: one entry per layer with trainable variables, input side first
 * @throws ArgError when xs or labels do not fit the model (NaN inputs, labels out of range), an option is
 *   unknown or of the wrong type, or opts.loss does not return a scalar tensor; a failed call leaves no tensor behind
 * @example const { layers } = layerGradientStats(model, xs, labels); layers[0].meanAbs
 * @see notebooks/q12-backpropagation.ipynb
 */
export function layerGradientStats(
  model: Model,
  xs: tf.Tensor,
  labels: tf.Tensor,
  opts: { training?: boolean; loss?: (output: tf.Tensor, labels: tf.Tensor) => tf.Scalar } = {},
): { loss: number; layers: LayerGradStats[] } {
  const fn = 'layerGradientStats';
  checkModel(fn, model);
  checkInputs(fn, model, xs);
  checkLabels(fn, xs, labels, classCount(model));
  checkOptionKeys(fn, 'opts', opts, ['training', 'loss']);
  const training = checkBoolean(fn, 'opts.training', opts.training ?? true);
  const lossFn = opts.loss === undefined ? lossFor(model) : checkFunction<(o: tf.Tensor, l: tf.Tensor) => tf.Scalar>(fn, 'opts.loss', opts.loss);
  const owners = model.layers.filter((l) => l.trainableWeights.length > 0);
  const vars = owners.flatMap((l) => l.trainableWeights.map((w) => w.read() as tf.Variable));
  const loss = () => {
    const out = lossFn(model.apply(xs, { training }) as tf.Tensor, labels);
    if (!(out instanceof tf.Tensor) || out.rank !== 0) argError(fn, 'opts.loss', 'must return a scalar tf.Tensor', out instanceof tf.Tensor ? out.shape : out);
    return out;
  };
  // A loss that throws (or returns no scalar) leaves no tensor behind: see gradientGuard (and the tidy takes
  // the stand-in loss that tfjs returns before it finds no gradient).
  const guard = gradientGuard();
  const { value, grads } = tf.tidy(() => guard.run(() => tf.variableGrads(guard.wrap(loss, () => tf.scalar(0)) as () => tf.Scalar, vars)));
  try {
    const layers = owners.map((layer, index) => {
      const parts = layer.trainableWeights.map((w) => {
        const v = w.read() as tf.Variable;
        const g = grads[v.name];
        // A variable the loss does not depend on has no gradient entry: count it as all zeros.
        const gv = g ? g.dataSync() : new Float32Array(v.size);
        return { acc: accumulate(gv, v.dataSync()), name: w.name, shape: v.shape.slice() };
      });
      return {
        layer: layer.name,
        index,
        className: layer.getClassName(),
        ...finish(merge(parts.map((p) => p.acc))),
        variables: parts.map((p) => ({ name: p.name, shape: p.shape, ...finish(p.acc) })),
      };
    });
    return { loss: value.dataSync()[0], layers };
  } finally {
    value.dispose();
    tf.dispose(grads);
  }
}
