// Shared inputs of the sweep: small models, images and labels made once (and never disposed by the
// runner), so that thousands of bad calls stay fast.
import * as tf from '@tensorflow/tfjs';
import { inceptionModule } from '../../../lib/layers/inception';
import { keep } from './harness';

let made: Fixtures | undefined;

function inceptionModel(): tf.LayersModel {
  const x = tf.input({ shape: [8, 8, 4] });
  const y = inceptionModule(x, { filters1x1: 2, filters3x3Reduce: 2, filters3x3: 2, filters5x5Reduce: 2, filters5x5: 2, filtersPoolProj: 2, name: 'sweep3a' });
  return tf.model({ inputs: x, outputs: y });
}

export interface Fixtures {
  /** [N, 6, 6, 1] -> conv 2 (3x3) -> flatten -> dense 3 softmax; compiled with sgd. */
  model: tf.LayersModel;
  /** The same network ending in logits, not compiled. */
  logits: tf.LayersModel;
  /** Images [2, 6, 6, 1] in [0, 1]. */
  xs: tf.Tensor4D;
  /** Class ids [2] of 3 classes. */
  labels: tf.Tensor1D;
  /** One small Inception module on [8, 8, 4]. */
  inception: tf.LayersModel;
}

/** The fixtures, made on first use (after the backend is ready). */
export function fixtures(): Fixtures {
  if (made) return made;
  const build = (name: string, activation: 'softmax' | 'linear') =>
    tf.sequential({
      name,
      layers: [
        tf.layers.conv2d({ inputShape: [6, 6, 1], filters: 2, kernelSize: 3, activation: 'relu', name: 'conv', kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }),
        tf.layers.flatten({ name: 'flatten' }),
        tf.layers.dense({ units: 3, activation, name: 'dense', kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }),
      ],
    });
  const model = keep(build('sweep_model', 'softmax'));
  model.compile({ optimizer: tf.train.sgd(0.01), loss: 'sparseCategoricalCrossentropy' });
  made = {
    model,
    logits: keep(build('sweep_logits', 'linear')),
    xs: keep(tf.randomUniform([2, 6, 6, 1], 0, 1, 'float32', 3) as tf.Tensor4D),
    labels: keep(tf.tensor1d([0, 2], 'int32')),
    inception: keep(inceptionModel()),
  };
  return made;
}
