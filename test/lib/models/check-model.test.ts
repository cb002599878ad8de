// One check that an argument is a LayersModel, shared by the summaries (lib/models) and the gradient
// tools (lib/grad): every caller rejects a non-model with the same one-line message.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { fgsm } from '../../../lib/grad/adversarial';
import { gradCam } from '../../../lib/grad/grad-cam';
import { empiricalReceptiveField } from '../../../lib/grad/receptive-field';
import { gradientTimesInput, integratedGradients, saliencyMap, smoothGrad } from '../../../lib/grad/saliency';
import { layerGradientStats } from '../../../lib/grad/stats';
import { checkModel } from '../../../lib/models/check-model';
import { modelDepth, parameterTable, summary } from '../../../lib/models/summary';

const RULE = 'model must be a tf.LayersModel (tf.sequential or tf.model)';

describe('checkModel', () => {
  it('returns the model itself for Sequential and functional models', () => {
    const seq = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [3] })] });
    const input = tf.input({ shape: [3] });
    const fun = tf.model({ inputs: input, outputs: tf.layers.dense({ units: 2 }).apply(input) as tf.SymbolicTensor });
    expect(checkModel('f', seq)).toBe(seq);
    expect(checkModel('f', fun)).toBe(fun);
    seq.dispose();
    fun.dispose();
  });

  it('rejects anything else with one message naming the value', () => {
    expect(() => checkModel('f', {})).toThrow(`f: ${RULE}, got {}`);
    expect(() => checkModel('f', undefined)).toThrow(`f: ${RULE}, got undefined`);
    expect(() => checkModel('f', 'vgg16')).toThrow(`f: ${RULE}, got "vgg16"`);
  });

  it('is the check of every model tool in lib/models and lib/grad', () => {
    const x = tf.zeros([1, 4, 4, 1]);
    const y = tf.tensor1d([0], 'int32');
    const notModel = {} as never;
    const calls: [string, () => unknown][] = [
      ['summary', () => summary(notModel)],
      ['parameterTable', () => parameterTable(notModel)],
      ['modelDepth', () => modelDepth(notModel)],
      ['saliencyMap', () => saliencyMap(notModel, x)],
      ['smoothGrad', () => smoothGrad(notModel, x)],
      ['gradientTimesInput', () => gradientTimesInput(notModel, x)],
      ['integratedGradients', () => integratedGradients(notModel, x)],
      ['gradCam', () => gradCam(notModel, x)],
      ['layerGradientStats', () => layerGradientStats(notModel, x, y)],
      ['fgsm', () => fgsm(notModel, x, y, 0.1)],
      ['empiricalReceptiveField', () => empiricalReceptiveField(notModel)],
    ];
    for (const [fn, call] of calls) expect(call, fn).toThrow(`${fn}: ${RULE}, got {}`);
    x.dispose();
    y.dispose();
  });
});
