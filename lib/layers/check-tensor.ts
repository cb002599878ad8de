/**
 * The check of a tensor argument at a public entry point: a live tf.Tensor, of a given rank, not empty,
 * and (where a NaN would silently spread through the result) finite. Shared by every room from layers/ up
 * (layers, models, rl, grad, viz); internal (the barrels export none of it).
 * @see notebooks/q21-attention.ipynb
 */
import * as tf from '@tensorflow/tfjs';
import { argError } from '../errors';

/** What {@link checkTensor} requires beyond a live tensor. */
export interface TensorRule {
  /** Exact rank. */
  rank?: number;
  /** Named after the rank in the message, e.g. '[N, H, W, C]'. */
  layout?: string;
  /** No axis of length 0. */
  nonEmpty?: boolean;
  /** Every value finite (one reduction on the backend; the data is read only when one is not). */
  finite?: boolean;
}

/**
 * `x` must be a live tf.Tensor that obeys `rule`.
 * @throws ArgError `fn: arg must be a tf.Tensor, got ...`, `... must not be a disposed tensor`, `... must have
 *   rank r [layout]`, `... must not be empty`, or `... must contain only finite numbers (index i), got NaN`
 * @example checkTensor('fgsm', 'xs', xs, { finite: true, nonEmpty: true })
 * @see notebooks/q21-attention.ipynb
 */
export function checkTensor(fn: string, arg: string, x: unknown, rule: TensorRule = {}): tf.Tensor {
  if (!(x instanceof tf.Tensor)) return argError(fn, arg, 'must be a tf.Tensor', x);
  if (x.isDisposed) argError(fn, arg, 'must not be a disposed tensor', x.shape);
  if (rule.rank !== undefined && x.rank !== rule.rank) argError(fn, arg, `must have rank ${rule.rank}${rule.layout ? ` ${rule.layout}` : ''}`, x.shape);
  if (rule.nonEmpty && x.size === 0) argError(fn, arg, 'must not be empty', x.shape);
  if (rule.finite) checkFiniteTensor(fn, arg, x);
  return x;
}

/**
 * Every value of `x` must be finite (not NaN or +-Infinity).
 * @throws ArgError `fn: arg must contain only finite numbers (index i), got NaN`
 * @example checkFiniteTensor('accuracy', 'xs', tf.tensor1d([1, NaN]))  // throws '... (index 1), got NaN'
 * @see notebooks/q24-adversarial-examples.ipynb
 */
export function checkFiniteTensor(fn: string, arg: string, x: tf.Tensor): void {
  if (x.dtype === 'string') argError(fn, arg, 'must hold numbers', x.dtype);
  if (x.dtype === 'bool' || x.dtype === 'int32' || x.size === 0) return;
  const finite = tf.tidy(() => tf.all(tf.isFinite(x)).dataSync()[0]);
  if (finite) return;
  const data = x.dataSync();
  const i = data.findIndex((v) => !Number.isFinite(v));
  argError(fn, arg, `must contain only finite numbers (index ${i})`, data[i]);
}
