/**
 * The reference answer's mini-GoogLeNet (Question 18): a GoogLeNet stem (7x7/2 conv, 64 filters, and a 3x3/2 max
 * pool), the two Inception modules 3a and 3b of GoogLeNet, global average pooling and a softmax layer.
 * @see notebooks/q18-inception-module.ipynb
 */
import * as tf from '@tensorflow/tfjs';
import { checkBoolean, checkOptionKeys } from '../check';
import { inceptionModule, type InceptionModuleArgs } from '../layers/inception';
import { averagePoolClassifier, checkClasses, checkImageShape, sym } from './common';

type ModuleFilters = Omit<InceptionModuleArgs, 'name' | 'reduce'>;

/** Filter counts of GoogLeNet's inception (3a) and (3b) (Szegedy et al. 2015, table 1), as in the reference answer. */
export const GOOGLENET_3A: ModuleFilters = {
  filters1x1: 64,
  filters3x3Reduce: 96,
  filters3x3: 128,
  filters5x5Reduce: 16,
  filters5x5: 32,
  filtersPoolProj: 32,
};
export const GOOGLENET_3B: ModuleFilters = {
  filters1x1: 128,
  filters3x3Reduce: 128,
  filters3x3: 192,
  filters5x5Reduce: 32,
  filters5x5: 96,
  filtersPoolProj: 64,
};

/**
 * Mini-GoogLeNet: [224, 224, 3] -> stem -> inception3a (256 channels) -> inception3b (480) -> GAP ->
 * dense(classes, softmax). Layer names: stem_conv, stem_pool, inception3a_1x1, ..., predictions.
 * @param opts.inputShape default [224, 224, 3] (sides >= 8); opts.classes default 1000; opts.reduce
 *   default true, false removes the 1x1 reductions before the 3x3 and 5x5 convolutions (same output shapes)
 * @throws ArgError on a bad shape or class count (at most 100,000), reduce not a boolean, or an unknown option
 * @example miniGoogLeNet().countParams()   // 1,016,280 (1,728,200 without the reductions)
 * @see notebooks/q18-inception-module.ipynb
 */
export function miniGoogLeNet(
  opts: { inputShape?: [number, number, number]; classes?: number; reduce?: boolean } = {},
): tf.LayersModel {
  const fn = 'miniGoogLeNet';
  checkOptionKeys(fn, 'opts', opts, ['inputShape', 'classes', 'reduce']);
  const shape = checkImageShape(fn, opts.inputShape ?? [224, 224, 3], 8);
  const classes = checkClasses(fn, 'opts.classes', opts.classes ?? 1000);
  const reduce = checkBoolean(fn, 'opts.reduce', opts.reduce ?? true);
  const input = tf.input({ shape, name: 'input' });
  let x = sym(tf.layers.conv2d({ filters: 64, kernelSize: 7, strides: 2, padding: 'same', activation: 'relu', name: 'stem_conv' }), input);
  x = sym(tf.layers.maxPooling2d({ poolSize: 3, strides: 2, padding: 'same', name: 'stem_pool' }), x);
  x = inceptionModule(x, { ...GOOGLENET_3A, reduce, name: 'inception3a' });
  x = inceptionModule(x, { ...GOOGLENET_3B, reduce, name: 'inception3b' });
  x = averagePoolClassifier(x, classes);
  return tf.model({ inputs: input, outputs: x, name: reduce ? 'mini_googlenet' : 'mini_googlenet_no_reduction' });
}
