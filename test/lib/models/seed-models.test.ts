// The seed's networks: parameter counts from the formulas (k_h k_w C_in + 1) C_out and (n_in + 1) n_out,
// output shapes from the output-size formula.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { cbamCnn } from '../../../lib/models/attention-cnn';
import { miniGoogLeNet } from '../../../lib/models/mini-googlenet';
import { actorCritic, dqn } from '../../../lib/models/rl';
import { normalizationCnn } from '../../../lib/models/normalization-cnn';
import { q13DeepCnn, q13ShallowCnn, q1Cnn, q2Cnn, q7Cnn } from '../../../lib/models/seed-cnns';
import { maskOverlap, unet } from '../../../lib/models/unet';

const conv = (k: number, cin: number, cout: number) => (k * k * cin + 1) * cout;
const dense = (nin: number, nout: number) => (nin + 1) * nout;
const bn = (c: number) => 4 * c;

describe('seed CNNs', () => {
  it('Q1: 121,930 parameters', () => {
    const m = q1Cnn();
    expect(m.countParams()).toBe(conv(3, 1, 32) + conv(3, 32, 64) + dense(5 * 5 * 64, 64) + dense(64, 10));
    expect(m.countParams()).toBe(121_930);
    m.dispose();
  });

  it('Q2: three conv blocks, flatten of 28 x 28 x 128, and the fc layers', () => {
    const m = q2Cnn();
    expect(m.getLayer('pool3').outputShape).toEqual([null, 28, 28, 128]);
    expect(m.getLayer('flatten').outputShape).toEqual([null, 100_352]);
    const expected =
      conv(3, 3, 32) + bn(32) + conv(3, 32, 64) + bn(64) + conv(3, 64, 128) + bn(128) +
      dense(100_352, 512) + dense(512, 256) + dense(256, 10);
    expect(m.countParams()).toBe(expected);
    m.dispose();
  });

  it('Q7: feature maps 26x26x8, 11x11x16, 3x3x32', () => {
    const m = q7Cnn();
    expect(m.getLayer('conv1').outputShape).toEqual([null, 26, 26, 8]);
    expect(m.getLayer('conv2').outputShape).toEqual([null, 11, 11, 16]);
    expect(m.getLayer('conv3').outputShape).toEqual([null, 3, 3, 32]);
    expect(m.countParams()).toBe(conv(3, 1, 8) + conv(3, 8, 16) + conv(3, 16, 32) + dense(288, 10));
    m.dispose();
  });

  it('Q10: one CNN three ways; LRN adds no parameters, batch normalization 4 per channel', () => {
    const base = conv(3, 1, 32) + conv(3, 32, 64) + dense(5 * 5 * 64, 10);
    const none = normalizationCnn('none');
    const lrn = normalizationCnn('lrn', { lrn: { depthRadius: 5, bias: 1, alpha: 1, beta: 0.5 } });
    const batch = normalizationCnn('batchnorm');
    expect(none.countParams()).toBe(base);
    expect(lrn.countParams()).toBe(base);
    expect(batch.countParams()).toBe(base + bn(32) + bn(64));
    expect(lrn.getLayer('lrn2').getConfig()).toMatchObject({ depthRadius: 5, bias: 1, alpha: 1, beta: 0.5 });
    expect(batch.layers.map((l) => l.name)).toEqual(['conv1', 'bn1', 'relu1', 'pool1', 'conv2', 'bn2', 'relu2', 'pool2', 'flatten', 'dense']);
    expect(() => normalizationCnn('layernorm' as never)).toThrow("normalizationCnn: kind must be one of 'none', 'lrn', 'batchnorm', got \"layernorm\"");
    [none, lrn, batch].forEach((m) => m.dispose());
  });

  it('Q13: the shallow and the deep network, and the deep one at half width', () => {
    const shallow = q13ShallowCnn();
    expect(shallow.getLayer('pool1').outputShape).toEqual([null, 14, 14, 128]);
    expect(shallow.countParams()).toBe(conv(5, 3, 128) + dense(14 * 14 * 128, 10));
    const deep = q13DeepCnn();
    expect(deep.getLayer('conv6').outputShape).toEqual([null, 1, 1, 128]);
    const deepParams = (w: number, cin: number) =>
      conv(3, cin, 32 * w) + conv(3, 32 * w, 32 * w) + conv(3, 32 * w, 64 * w) + conv(3, 64 * w, 64 * w) + conv(3, 64 * w, 128 * w) + conv(3, 128 * w, 128 * w) + dense(128 * w, 10);
    expect(deep.countParams()).toBe(deepParams(1, 3));
    const narrow = q13DeepCnn({ inputShape: [32, 32, 1], widthMultiplier: 0.5 });
    expect(narrow.countParams()).toBe(deepParams(0.5, 1));
    expect(() => q13DeepCnn({ inputShape: [31, 31, 1] })).toThrow('q13DeepCnn: opts.inputShape must have height and width >= 32, got [31, 31, 1]');
    expect(() => q13DeepCnn({ widthMultiplier: 0.01 })).toThrow('q13DeepCnn: opts.widthMultiplier must be a positive multiple of 1/32');
    [shallow, deep, narrow].forEach((m) => m.dispose());
  });

  it('Q18 mini-GoogLeNet with and without 1x1 reductions', () => {
    const m = miniGoogLeNet();
    const a = conv(1, 64, 64) + conv(1, 64, 96) + conv(3, 96, 128) + conv(1, 64, 16) + conv(5, 16, 32) + conv(1, 64, 32);
    const b = conv(1, 256, 128) + conv(1, 256, 128) + conv(3, 128, 192) + conv(1, 256, 32) + conv(5, 32, 96) + conv(1, 256, 64);
    expect(m.getLayer('stem_pool').outputShape).toEqual([null, 56, 56, 64]);
    expect(m.getLayer('inception3b_concat').outputShape).toEqual([null, 56, 56, 480]);
    expect(m.countParams()).toBe(conv(7, 3, 64) + a + b + dense(480, 1000));
    m.dispose();
    const naive = miniGoogLeNet({ reduce: false });
    const a0 = conv(1, 64, 64) + conv(3, 64, 128) + conv(5, 64, 32) + conv(1, 64, 32);
    const b0 = conv(1, 256, 128) + conv(3, 256, 192) + conv(5, 256, 96) + conv(1, 256, 64);
    expect(naive.countParams()).toBe(conv(7, 3, 64) + a0 + b0 + dense(480, 1000));
    naive.dispose();
  });

  it("Q20 U-Net: the seed's 256 x 256 network and a small one", () => {
    const m = unet();
    const expected =
      conv(3, 1, 64) + conv(3, 64, 64) + conv(3, 64, 128) + conv(3, 128, 128) + conv(3, 128, 256) + conv(3, 256, 256) +
      conv(2, 256, 128) + conv(3, 256, 128) + conv(3, 128, 128) + conv(2, 128, 64) + conv(3, 128, 64) + conv(3, 64, 64) +
      conv(1, 64, 1);
    expect(m.countParams()).toBe(expected);
    expect(m.outputs[0].shape).toEqual([null, 256, 256, 1]);
    m.dispose();
    const small = unet({ inputShape: [32, 32, 1], filters: 4, depth: 3, classes: 3 });
    expect(small.outputs[0].shape).toEqual([null, 32, 32, 3]);
    expect(small.getLayer('bottleneck_conv2').outputShape).toEqual([null, 4, 4, 32]);
    small.dispose();
    expect(() => unet({ inputShape: [30, 30, 1] })).toThrow('unet: opts.inputShape must have height and width divisible by 2^depth = 4, got [30, 30, 1]');
  });

  it('Q25 DQN and actor-critic: 20x20x32, 9x9x64, 7x7x64, 3136', () => {
    const q = dqn();
    expect(q.getLayer('conv1').outputShape).toEqual([null, 20, 20, 32]);
    expect(q.getLayer('conv2').outputShape).toEqual([null, 9, 9, 64]);
    expect(q.getLayer('conv3').outputShape).toEqual([null, 7, 7, 64]);
    expect(q.getLayer('flatten').outputShape).toEqual([null, 3136]);
    const trunk = conv(8, 4, 32) + conv(4, 32, 64) + conv(3, 64, 64) + dense(3136, 512);
    expect(q.countParams()).toBe(trunk + dense(512, 4));
    q.dispose();
    const ac = actorCritic({ numActions: 6 });
    expect(ac.outputs.map((o) => o.shape)).toEqual([[null, 6], [null, 1]]);
    expect(ac.countParams()).toBe(trunk + dense(512, 6) + dense(512, 1));
    const [pi, v] = ac.predict(tf.zeros([2, 84, 84, 4])) as tf.Tensor[];
    for (const s of tf.sum(pi, 1).dataSync()) expect(s).toBeCloseTo(1, 5);
    expect(v.shape).toEqual([2, 1]);
    tf.dispose([pi, v]);
    ac.dispose();
    expect(() => dqn({ inputShape: [20, 20, 4] })).toThrow('dqn: opts.inputShape must have height and width >= 36, got [20, 20, 4]');
  });

  it('Q21 CBAM CNN: convolutions + two SE/spatial blocks + classifier', () => {
    const m = cbamCnn();
    const block = (c: number, r: number) => 2 * c * Math.floor(c / r) + Math.floor(c / r) + c + 2 * 49 + 1;
    expect(m.countParams()).toBe(conv(3, 3, 64) + block(64, 8) + conv(3, 64, 128) + block(128, 8) + dense(128, 1000));
    expect(m.getLayer('cbam2').outputShape).toEqual([null, 112, 112, 128]);
    m.dispose();
  });

  it('rejects bad shapes with one-line messages', () => {
    expect(() => q1Cnn({ inputShape: [28, 28] as never })).toThrow('q1Cnn: opts.inputShape must be [height, width, channels], got [28, 28]');
    expect(() => q2Cnn({ classes: 1.5 })).toThrow('q2Cnn: opts.classes must be a positive integer, got 1.5');
    expect(() => miniGoogLeNet({ inputShape: [4, 4, 3] })).toThrow('miniGoogLeNet: opts.inputShape must have height and width >= 8, got [4, 4, 3]');
  });
});

describe('maskOverlap', () => {
  it('computes IoU and Dice on a hand example', () => {
    // pred covers 3 pixels, truth 2, they share 1: IoU 1/4, Dice 2/5.
    const o = maskOverlap(tf.tensor2d([[1, 1], [1, 0]]), tf.tensor2d([[1, 0], [0, 1]]));
    expect(o.iou).toBeCloseTo(0.25, 10);
    expect(o.dice).toBeCloseTo(0.4, 10);
    expect(maskOverlap(tf.zeros([2, 2]), tf.zeros([2, 2]))).toEqual({ iou: 1, dice: 1 });
  });

  it('rejects non-binary masks and shape mismatches', () => {
    expect(() => maskOverlap(tf.tensor1d([0.4, 1]), tf.tensor1d([0, 1]))).toThrow('maskOverlap: pred must hold only 0 and 1 (index 0), got 0.4');
    expect(() => maskOverlap(tf.zeros([2, 2]), tf.zeros([4]))).toThrow('maskOverlap: truth must have the shape of pred [2, 2], got [4]');
  });
});
