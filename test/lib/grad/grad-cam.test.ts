import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { gradCam } from '../../../lib/grad/grad-cam';

/** conv -> conv -> global average pool -> dense (linear): Grad-CAM reduces to CAM here. */
function camModel() {
  return tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [8, 8, 1], filters: 3, kernelSize: 3, activation: 'relu', name: 'c1', kernelInitializer: tf.initializers.glorotNormal({ seed: 1 }) }),
      tf.layers.conv2d({ filters: 4, kernelSize: 3, activation: 'relu', name: 'c2', kernelInitializer: tf.initializers.glorotNormal({ seed: 2 }) }),
      tf.layers.globalAveragePooling2d({ name: 'gap' }),
      tf.layers.dense({ units: 2, name: 'out', kernelInitializer: tf.initializers.glorotNormal({ seed: 3 }) }),
    ],
  });
}

describe('gradCam', () => {
  it('equals CAM (relu of class-weighted channels, scaled to max 1) for a GAP + dense head', () => {
    const model = camModel();
    const x = tf.randomUniform([2, 8, 8, 1], 0, 1, 'float32', 9);
    const before = tf.memory().numTensors;
    const res = gradCam(model, x, { classIndex: 1, upsample: false });
    expect(tf.memory().numTensors).toBe(before + 1);
    expect(res.layerName).toBe('c2');
    expect(res.layerSize).toEqual([4, 4]);
    expect(res.heatmap.shape).toEqual([2, 4, 4]);
    // By hand: alpha_k = w[k, 1] / (4 * 4); the positive scale does not change the scaled map.
    const want = tf.tidy(() => {
      const a = tf.model({ inputs: model.inputs, outputs: model.getLayer('c2').output as tf.SymbolicTensor }).predict(x) as tf.Tensor4D;
      const w = (model.getLayer('out').getWeights()[0] as tf.Tensor2D).slice([0, 1], [4, 1]).reshape([4]);
      const cam = tf.relu(tf.sum(tf.mul(a, w), -1));
      return tf.div(cam, tf.max(cam, [1, 2], true)).dataSync();
    });
    const got = res.heatmap.dataSync();
    for (let i = 0; i < got.length; i++) expect(got[i]).toBeCloseTo(want[i], 4);
    res.heatmap.dispose();
    x.dispose();
  });

  it('resizes to the input by default and stays in [0, 1]', () => {
    const model = camModel();
    const x = tf.randomUniform([1, 8, 8, 1], 0, 1, 'float32', 5);
    const res = gradCam(model, x, { layerName: 'c1' });
    expect(res.heatmap.shape).toEqual([1, 8, 8]);
    expect(res.layerSize).toEqual([6, 6]);
    const v = Array.from(res.heatmap.dataSync());
    expect(Math.min(...v)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...v)).toBeLessThanOrEqual(1);
    tf.dispose([x, res.heatmap]);
  });

  it('names the problem when the layer is missing or not a 4-D map', () => {
    const model = camModel();
    const x = tf.zeros([1, 8, 8, 1]);
    expect(() => gradCam(model, x, { layerName: 'nope' })).toThrow('gradCam: opts.layerName must name a layer of the model (c1, c2, gap, out), got "nope"');
    expect(() => gradCam(model, x, { layerName: 'gap' })).toThrow('gradCam: opts.layerName must name a layer with a 4-D output [N, h, w, K], got [1, 4]');
    const dense = tf.sequential({ layers: [tf.layers.flatten({ inputShape: [8, 8, 1] }), tf.layers.dense({ units: 2 })] });
    expect(() => gradCam(dense, x)).toThrow('gradCam: model must contain a convolution layer with a 4-D output (or pass opts.layerName), got');
    x.dispose();
  });
});
