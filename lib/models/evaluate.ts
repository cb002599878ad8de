/**
 * Scoring a classifier: the fraction of examples whose most probable class is the label.
 * @see notebooks/q15-transfer-learning.ipynb
 */
import * as tf from '@tensorflow/tfjs';
import { checkPositiveInt, checkRank } from '../check';
import { argError } from '../errors';

/**
 * Classification accuracy of `model` on `xs`: mean of argmax(model(xs)) == labels, computed in
 * batches so a large test set does not hold every activation at once. Tensors are freed.
 * @param xs inputs [N, ...]; labels integer class ids [N] (any numeric dtype)
 * @param opts.batchSize examples per forward pass (default 256)
 * @returns a number in [0, 1]
 * @throws ArgError when labels is not rank 1, the counts differ, or batchSize is not a positive integer
 * @example accuracy(model, test.xs, test.labels)  // 0.943
 * @see notebooks/q15-transfer-learning.ipynb
 */
export function accuracy(model: tf.LayersModel, xs: tf.Tensor, labels: tf.Tensor, opts: { batchSize?: number } = {}): number {
  const fn = 'accuracy';
  checkRank(fn, 'labels', labels.shape, 1, '[N]');
  if (xs.shape[0] !== labels.shape[0]) argError(fn, 'labels', `must have one entry per input (${xs.shape[0]})`, labels.shape[0]);
  const batchSize = checkPositiveInt(fn, 'opts.batchSize', opts.batchSize ?? 256);
  const n = labels.shape[0];
  if (n === 0) argError(fn, 'labels', 'must not be empty', 0);
  let correct = 0;
  for (let start = 0; start < n; start += batchSize) {
    const size = Math.min(batchSize, n - start);
    correct += tf.tidy(() => {
      const x = xs.slice(start, size);
      const y = labels.slice(start, size).cast('int32');
      const predicted = (model.predict(x) as tf.Tensor).argMax(-1);
      return predicted.equal(y).sum().dataSync()[0];
    });
  }
  return correct / n;
}
