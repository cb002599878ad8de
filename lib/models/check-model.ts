/**
 * The one check that an argument is a TensorFlow.js LayersModel, shared by the model tools (summary,
 * parameterTable, modelDepth) and the gradient tools of lib/grad. Internal (the barrels export none of it).
 */
import * as tf from '@tensorflow/tfjs';
import { argError } from '../errors';

/**
 * `model` itself when it is a tfjs LayersModel (Sequential or functional).
 * @throws ArgError `fn: model must be a tf.LayersModel (tf.sequential or tf.model), got <value>`
 * @example checkModel('summary', {})   // throws "summary: model must be a tf.LayersModel (tf.sequential or tf.model), got {}"
 * @see notebooks/q02-cnn-architecture.ipynb
 */
export function checkModel(fn: string, model: unknown): tf.LayersModel {
  if (!(model instanceof tf.LayersModel)) argError(fn, 'model', 'must be a tf.LayersModel (tf.sequential or tf.model)', model);
  return model;
}
