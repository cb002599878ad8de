// Pieces shared by the model builders: one image-shape check (every builder rejects a bad
// opts.inputShape with the same messages) and the global-average-pooling classifier.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { cbamCnn } from '../../../lib/models/attention-cnn';
import { averagePoolClassifier, averagePoolTop, checkImageShape, resolveOptions } from '../../../lib/models/common';
import { efficientNetB0 } from '../../../lib/models/efficientnet-b0';
import { inceptionV3 } from '../../../lib/models/inception-v3';
import { miniGoogLeNet } from '../../../lib/models/mini-googlenet';
import { resnet50 } from '../../../lib/models/resnet50';
import { actorCritic, dqn } from '../../../lib/models/rl';
import { q1Cnn, q2Cnn } from '../../../lib/models/seed-cnns';
import { unet } from '../../../lib/models/unet';
import { vgg16 } from '../../../lib/models/vgg16';

describe('checkImageShape', () => {
  it('returns a copy of a valid [height, width, channels]', () => {
    const shape: [number, number, number] = [28, 28, 1];
    const out = checkImageShape('f', shape, 10);
    expect(out).toEqual([28, 28, 1]);
    expect(out).not.toBe(shape);
    expect(checkImageShape('f', [1, 1, 1])).toEqual([1, 1, 1]);
  });

  it('rejects a wrong length, a non-positive-integer side and a side below the minimum', () => {
    expect(() => checkImageShape('f', [28, 28])).toThrow('f: opts.inputShape must be [height, width, channels], got [28, 28]');
    expect(() => checkImageShape('f', 'big')).toThrow('f: opts.inputShape must be [height, width, channels], got "big"');
    expect(() => checkImageShape('f', [28, 0, 1])).toThrow('f: opts.inputShape[1] must be a positive integer, got 0');
    expect(() => checkImageShape('f', [9, 28, 1], 10)).toThrow('f: opts.inputShape must have height and width >= 10, got [9, 28, 1]');
  });

  it('is the check of every image builder', () => {
    const builders: [string, (o: { inputShape: [number, number, number] }) => unknown][] = [
      ['q1Cnn', q1Cnn],
      ['q2Cnn', q2Cnn],
      ['miniGoogLeNet', miniGoogLeNet],
      ['cbamCnn', cbamCnn],
      ['unet', unet],
      ['dqn', dqn],
      ['actorCritic', actorCritic],
      ['vgg16', vgg16],
      ['resnet50', resnet50],
      ['inceptionV3', inceptionV3],
      ['efficientNetB0', efficientNetB0],
    ];
    for (const [fn, build] of builders) {
      expect(() => build({ inputShape: [64, 64] as never }), fn).toThrow(`${fn}: opts.inputShape must be [height, width, channels], got [64, 64]`);
      expect(() => build({ inputShape: [64, 64, 1.5] }), fn).toThrow(`${fn}: opts.inputShape[2] must be a positive integer, got 1.5`);
    }
    expect(() => resolveOptions('g', { inputShape: [31, 64, 3] }, 224, 32)).toThrow('g: opts.inputShape must have height and width >= 32, got [31, 64, 3]');
  });
});

describe('averagePoolClassifier / averagePoolTop', () => {
  it('pools, optionally drops out, and classifies with the Keras layer names', () => {
    const input = tf.input({ shape: [4, 4, 6] });
    const m = tf.model({ inputs: input, outputs: averagePoolClassifier(input, 3, 0.2) });
    expect(m.layers.map((l) => l.name)).toEqual([input.sourceLayer.name, 'avg_pool', 'top_dropout', 'predictions']);
    expect(m.outputs[0].shape).toEqual([null, 3]);
    expect(m.countParams()).toBe((6 + 1) * 3);
    const plain = tf.model({ inputs: input, outputs: averagePoolClassifier(input, 3) });
    expect(plain.layers.map((l) => l.name).slice(1)).toEqual(['avg_pool', 'predictions']);
    m.dispose();
    plain.dispose();
  });

  it('without the top gives the pooling option (or the map itself)', () => {
    const input = tf.input({ shape: [4, 4, 6] });
    const o = resolveOptions('g', { includeTop: false, inputShape: [4, 4, 6] }, 224, 1);
    expect(averagePoolTop(input, o)).toBe(input);
    expect(averagePoolTop(input, { ...o, pooling: 'max' }).shape).toEqual([null, 6]);
    expect(averagePoolTop(input, { ...o, includeTop: true, classes: 5 }).shape).toEqual([null, 5]);
  });
});
