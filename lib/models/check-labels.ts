/**
 * The checks of a classifier's data at the public entry points that score, explain or attack it: inputs
 * that fit the model (a batch of finite values) and labels that are class ids in range (or one-hot rows),
 * so that a label of 42 with 10 classes, -1, 0.5 or NaN is an error instead of an accuracy of 0, a zero
 * gradient or a NaN loss. Shared by models/ (accuracy) and grad/; internal (the barrels export none of it).
 * @see notebooks/q24-adversarial-examples.ipynb
 */
import * as tf from '@tensorflow/tfjs';
import { argError } from '../errors';
import { checkTensor } from '../layers/check-tensor';

/**
 * `xs` must be a non-empty batch of finite values whose axes after the first match the model's input shape.
 * @throws ArgError `fn: xs must have shape [N, 28, 28, 1] like the model input, got [2, 5, 5, 1]`, or as checkTensor
 * @example checkModelInputs('fgsm', model, xs)
 * @see notebooks/q24-adversarial-examples.ipynb
 */
export function checkModelInputs(fn: string, model: tf.LayersModel, xs: unknown): tf.Tensor {
  const x = checkTensor(fn, 'xs', xs);
  const want = model.inputs[0].shape;
  const ok = x.rank === want.length && want.every((d, i) => i === 0 || d === null || d === x.shape[i]);
  if (!ok) argError(fn, 'xs', `must have shape [N, ${want.slice(1).join(', ')}] like the model input`, x.shape);
  if (x.shape[0] === 0) argError(fn, 'xs', 'must hold at least one example', x.shape);
  checkTensor(fn, 'xs', x, { finite: true });
  return x;
}

/** Number of classes: the last axis of the model's (first) output. */
export function classCount(model: tf.LayersModel): number {
  const shape = model.outputs[0].shape;
  return shape[shape.length - 1] ?? 0;
}

/**
 * Labels of `n` examples: class ids [n] (integers in [0, classes), any numeric dtype), or, with `oneHot`,
 * also rows [n, classes] of finite values in [0, 1] (one-hot or soft targets).
 * @throws ArgError `fn: labels[1] must be an integer class id in [0, 10), got 42`, or a shape message
 * @example checkClassLabels('accuracy', labels, 100, 10, false)
 * @see notebooks/q24-adversarial-examples.ipynb
 */
export function checkClassLabels(fn: string, labels: unknown, n: number, classes: number, oneHot: boolean): tf.Tensor {
  const y = checkTensor(fn, 'labels', labels);
  const ids = y.rank === 1 && y.shape[0] === n;
  const rows = oneHot && y.rank === 2 && y.shape[0] === n && y.shape[1] === classes;
  if (!ids && !rows) argError(fn, 'labels', oneHot ? `must be class ids [${n}] or one-hot [${n}, ${classes}]` : `must be class ids [${n}]`, y.shape);
  if (y.dtype === 'string') argError(fn, 'labels', 'must hold numbers', y.dtype);
  const values = y.dataSync();
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (ids && !(Number.isInteger(v) && v >= 0 && v < classes)) argError(fn, `labels[${i}]`, `must be an integer class id in [0, ${classes})`, v);
    if (rows && !(v >= 0 && v <= 1)) {
      argError(fn, `labels[${Math.floor(i / classes)}][${i % classes}]`, 'must be a finite number in [0, 1] (one-hot or soft targets)', v);
    }
  }
  return y;
}
