// Shared checks of the layer tests: serialization round trip through a saved model, and tensor closeness.
import * as tf from '@tensorflow/tfjs';
import { expect } from 'vitest';

/** Max |a - b| over all entries. */
export function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  expect(a.shape).toEqual(b.shape);
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
}

/**
 * Put `layer` in a one-layer model, serialize the model to JSON, deserialize it by class name (which
 * only works if the class is registered), copy the weights, and check that the copy's config and
 * outputs equal the original's.
 */
export async function expectRoundTrip(layer: tf.layers.Layer, inputShape: number[], x: tf.Tensor): Promise<void> {
  const input = tf.input({ shape: inputShape });
  const model = tf.model({ inputs: input, outputs: layer.apply(input) as tf.SymbolicTensor });
  const json = model.toJSON(undefined, false) as tf.io.ModelJSON['modelTopology'];
  const copy = await tf.models.modelFromJSON({ modelTopology: json });
  const copied = copy.layers[1];
  expect(copied.getClassName()).toBe(layer.getClassName());
  expect(copied).not.toBe(layer);
  expect(copied.getConfig()).toEqual(layer.getConfig());
  copy.setWeights(model.getWeights());
  const y1 = model.predict(x) as tf.Tensor;
  const y2 = copy.predict(x) as tf.Tensor;
  expect(maxAbsDiff(y1, y2)).toBe(0);
  tf.dispose([y1, y2]);
  model.dispose();
  copy.dispose();
}
