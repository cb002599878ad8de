// The named architectures against the parameter counts Keras Applications reports for them
// (model.count_params() / model.summary() of VGG16, ResNet50, InceptionV3, EfficientNetB0 in TF 2.x).
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { efficientNetB0 } from '../../../lib/models/efficientnet-b0';
import { inceptionV3 } from '../../../lib/models/inception-v3';
import { resnet50 } from '../../../lib/models/resnet50';
import { modelDepth } from '../../../lib/models/summary';
import { vgg16 } from '../../../lib/models/vgg16';

const KERAS = {
  vgg16: { top: 138_357_544, noTop: 14_714_688, trainableTop: 138_357_544 },
  resnet50: { top: 25_636_712, noTop: 23_587_712, trainableTop: 25_583_592 },
  inceptionV3: { top: 23_851_784, noTop: 21_802_784, trainableTop: 23_817_352 },
  efficientNetB0: { top: 5_330_571, noTop: 4_049_571, trainableTop: 5_288_548 },
};

const trainable = (m: tf.LayersModel) => m.trainableWeights.reduce((s, w) => s + w.shape.reduce<number>((a, b) => a * (b ?? 0), 1), 0);

/** Build with and without top, check counts, output shapes and depth, dispose. */
function check(
  build: (o: { includeTop: boolean }) => tf.LayersModel,
  keras: { top: number; noTop: number; trainableTop: number },
  headShape: (number | null)[],
  depthTop?: number,
): void {
  const before = tf.memory().numTensors;
  const top = build({ includeTop: true });
  expect(top.countParams()).toBe(keras.top);
  expect(trainable(top)).toBe(keras.trainableTop);
  expect(top.outputs[0].shape).toEqual([null, 1000]);
  if (depthTop !== undefined) expect(modelDepth(top)).toBe(depthTop);
  top.dispose();
  const headless = build({ includeTop: false });
  expect(headless.countParams()).toBe(keras.noTop);
  expect(headless.outputs[0].shape).toEqual(headShape);
  headless.dispose();
  expect(tf.memory().numTensors).toBe(before);
}

describe('named architectures match Keras Applications', () => {
  it('VGG16: 138,357,544 with top, 14,714,688 without, 16 weight layers', () => {
    // The top alone holds 123.6M weights (fc1 is 25088 x 4096); building it takes ~20 s here.
    check(vgg16, KERAS.vgg16, [null, 7, 7, 512], 16);
  }, 240_000);

  it('ResNet50: 25,636,712 with top, 23,587,712 without, 50 weight layers in series', () => {
    check(resnet50, KERAS.resnet50, [null, 7, 7, 2048], 50);
  }, 120_000);

  it('InceptionV3: 23,851,784 with top, 21,802,784 without', () => {
    check(inceptionV3, KERAS.inceptionV3, [null, 8, 8, 2048]);
  }, 120_000);

  it('EfficientNetB0: 5,330,571 with top, 4,049,571 without (7 of them Normalization statistics)', () => {
    check(efficientNetB0, KERAS.efficientNetB0, [null, 7, 7, 1280]);
    const m = efficientNetB0({ includeTop: false, inputShape: [64, 64, 3] });
    expect(m.getLayer('normalization').countParams()).toBe(3 + 3 + 1);
    // Parameters do not depend on the image size.
    expect(m.countParams()).toBe(KERAS.efficientNetB0.noTop);
    expect(m.outputs[0].shape).toEqual([null, 2, 2, 1280]);
    m.dispose();
  }, 120_000);

  it('runs a forward pass with the shapes Keras gives (ResNet50 on 64 x 64, pooled)', () => {
    const m = resnet50({ includeTop: false, inputShape: [64, 64, 3], pooling: 'avg' });
    const y = m.predict(tf.zeros([1, 64, 64, 3])) as tf.Tensor;
    expect(y.shape).toEqual([1, 2048]);
    expect(m.getLayer('conv5_block3_out').outputShape).toEqual([null, 2, 2, 2048]);
    y.dispose();
    m.dispose();
  }, 60_000);

  it('rejects bad options with one-line messages', () => {
    expect(() => vgg16({ inputShape: [200, 200, 3] })).toThrow(
      'vgg16: opts.inputShape must be [224, 224, C] with includeTop (fc1 expects 7 x 7 x 512), got [200, 200, 3]',
    );
    expect(() => inceptionV3({ includeTop: false, inputShape: [64, 64, 3] })).toThrow(
      'inceptionV3: opts.inputShape must have height and width >= 75, got [64, 64, 3]',
    );
    expect(() => resnet50({ classes: 0 })).toThrow('resnet50: opts.classes must be a positive integer, got 0');
    expect(() => efficientNetB0({ pooling: 'sum' as never })).toThrow("efficientNetB0: opts.pooling must be 'avg', 'max' or undefined, got \"sum\"");
  });
});
