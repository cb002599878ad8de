/**
 * Scoring a classifier: the fraction of examples whose most probable class is the label.
 * @see notebooks/q15-transfer-learning.ipynb
 */
import * as tf from '@tensorflow/tfjs';
import { checkOptionKeys, checkPositiveInt } from '../check';
import { checkModel } from './check-model';
import { checkClassLabels, checkModelInputs, classCount } from './check-labels';

/**
 * Classification accuracy of `model` on `xs`: mean of argmax(model(xs)) == labels, computed in
 * batches so a large test set does not hold every activation at once. Tensors are freed.
 * @param xs inputs [N, ...] (finite, N >= 1) that fit the model; labels integer class ids [N] in [0, K)
 *   for a model of K outputs (any numeric dtype)
 * @param opts.batchSize examples per forward pass (default 256)
 * @returns a number in [0, 1]
 * @throws ArgError when model is not a tf.LayersModel, xs does not fit it or holds NaN, labels is not one
 *   class id in range per input, or batchSize is not a positive integer
 * @example accuracy(model, test.xs, test.labels)  // 0.943
 * @see notebooks/q15-transfer-learning.ipynb
 */
export function accuracy(model: tf.LayersModel, xs: tf.Tensor, labels: tf.Tensor, opts: { batchSize?: number } = {}): number {
  const fn = 'accuracy';
  checkModel(fn, model);
  checkModelInputs(fn, model, xs);
  const n = xs.shape[0];
  checkClassLabels(fn, labels, n, classCount(model), false);
  checkOptionKeys(fn, 'opts', opts, ['batchSize']);
  const batchSize = checkPositiveInt(fn, 'opts.batchSize', opts.batchSize ?? 256);
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
