// The bad calls issue 13 names, one by one, with the exact one-line message each must now give (the
// generated sweep in ./bad-input.test.ts checks the name and the form of every message; these check the words).
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import * as lib from '../../../lib/index';
import { fixtures } from './fixtures';

/** The call throws an ArgError with exactly `message`, and leaves no tensor behind. */
function rejects(call: () => unknown, message: string): void {
  const before = tf.memory().numTensors;
  let error: unknown;
  try {
    call();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(lib.ArgError);
  expect((error as Error).message).toBe(message);
  expect(tf.memory().numTensors).toBe(before);
}

async function rejectsAsync(call: () => Promise<unknown>, message: string): Promise<void> {
  const before = tf.memory().numTensors;
  await expect(call()).rejects.toThrow(new lib.ArgError(message));
  expect(tf.memory().numTensors).toBe(before);
}

const withEntry = (t: tf.Tensor, value: number, at = 0) =>
  tf.tidy(() => {
    const flat = Float32Array.from(t.dataSync());
    flat[at] = value;
    return tf.tensor(flat, t.shape);
  });

describe('a kernel that does not fit its input is an error when the layer is applied', () => {
  it('PrimaryCapsules with kernel 30 on 20x20, symbolic or eager, before any weight exists', () => {
    const layer = new lib.PrimaryCapsules({ numCapsules: 2, capsuleDim: 4, kernelSize: 30 });
    const message = "PrimaryCapsules: kernelSize must be no larger than the input [20, 20] with 'valid' padding, got [30, 30]";
    rejects(() => layer.apply(tf.input({ shape: [20, 20, 3] })), message);
    const x = tf.zeros([1, 20, 20, 3]);
    rejects(() => layer.apply(x), message);
    x.dispose();
    expect(layer.weights).toEqual([]);
  });

  it("GroupedConv2D and DepthwiseSeparableConv2D with 'valid' padding, dilated or not", () => {
    rejects(
      () => new lib.GroupedConv2D({ filters: 4, kernelSize: 9, groups: 2 }).apply(tf.input({ shape: [8, 8, 2] })),
      "GroupedConv2D: kernelSize must be no larger than the input [8, 8] with 'valid' padding, got [9, 9]",
    );
    rejects(
      () => new lib.DepthwiseSeparableConv2D({ filters: 4, kernelSize: 3, dilationRate: 5 }).apply(tf.input({ shape: [8, 8, 2] })),
      "DepthwiseSeparableConv2D: kernelSize (dilated) must be no larger than the input [8, 8] with 'valid' padding, got [11, 11]",
    );
    // 'same' pads: any kernel fits.
    const y = new lib.DepthwiseSeparableConv2D({ filters: 4, kernelSize: 9, padding: 'same' }).apply(tf.input({ shape: [8, 8, 2] })) as tf.SymbolicTensor;
    expect(y.shape).toEqual([null, 8, 8, 4]);
  });
});

describe('options of the wrong type are errors, not truthy', () => {
  it("useBias: 'no' and other non-booleans", () => {
    rejects(() => new lib.SpatialAttention({ useBias: 'no' as unknown as boolean }), 'SpatialAttention: useBias must be true or false, got "no"');
    rejects(() => lib.groupedConv2d({ filters: 4, kernelSize: 3, groups: 2, useBias: 1 as unknown as boolean }), 'GroupedConv2D: useBias must be true or false, got 1');
    rejects(() => lib.conv2dParamCount(3, 4, 8, { useBias: 'no' as unknown as boolean }), 'conv2dParamCount: opts.useBias must be true or false, got "no"');
    rejects(() => lib.miniGoogLeNet({ reduce: 0 as unknown as boolean }), 'miniGoogLeNet: opts.reduce must be true or false, got 0');
    rejects(
      () => lib.layerStats([8, 8, 1], [{ type: 'conv2d', filters: 2, kernelSize: 3, useBias: 'no' as unknown as boolean }]),
      'layerStats: layers[0].useBias must be true or false, got "no"',
    );
  });

  it("convOutputSize(28, 3, 'same'): a string is not an options object", () => {
    rejects(() => lib.convOutputSize(28, 3, 'same' as never), 'convOutputSize: opts must be an object, got "same"');
    expect(lib.convOutputSize(28, 3, { padding: 'same' })).toBe(28);
  });

  it('null options and null option values', () => {
    const x = lib.ndRandom([1, 4, 4, 1], { seed: 1 });
    const w = lib.ndRandom([3, 3, 1, 1], { seed: 2 });
    rejects(() => lib.conv2d(x, w, null as never), 'conv2d: opts must be an object, got null');
    rejects(() => lib.conv2d(x, w, { strides: null as never }), 'conv2d: opts.strides must not be null (leave it out for the default), got null');
    rejects(() => new lib.Cbam(null as never), 'Cbam: args must be an object, got null');
    rejects(() => lib.q1Cnn({ inputShap: [28, 28, 1] } as never), 'q1Cnn: opts.inputShap is not an option (allowed: inputShape, classes), got [28, 28, 1]');
  });

  it('callbacks that are not functions', async () => {
    const { model, xs, labels } = fixtures();
    await rejectsAsync(
      () => lib.adversarialTraining(model, xs, labels, { epochs: 1, onEpochEnd: 42 as never }),
      'adversarialTraining: opts.onEpochEnd must be a function, got 42',
    );
    rejects(() => lib.layerGradientStats(model, xs, labels, { loss: 'mse' as never }), 'layerGradientStats: opts.loss must be a function, got "mse"');
    rejects(() => lib.playEpisodes(new lib.CatchEnv(), 1 as never, 1), 'playEpisodes: policy must be a function (observation) => action, got 1');
  });
});

describe('labels out of range and NaN inputs', () => {
  it('attacks, attribution and training reject a label 42 of 3 classes, -1, 0.5 and NaN inputs', async () => {
    const { model, xs } = fixtures();
    for (const [bad, shown] of [[42, '42'], [-1, '-1'], [0.5, '0.5']] as const) {
      const y = tf.tensor1d([0, bad]);
      rejects(() => lib.fgsm(model, xs, y, 0.1), `fgsm: labels[1] must be an integer class id in [0, 3), got ${shown}`);
      rejects(() => lib.pgd(model, xs, y, 0.1, { steps: 2 }), `pgd: labels[1] must be an integer class id in [0, 3), got ${shown}`);
      rejects(() => lib.epsilonSweep(model, xs, y, [0, 0.1]), `epsilonSweep: labels[1] must be an integer class id in [0, 3), got ${shown}`);
      rejects(() => lib.layerGradientStats(model, xs, y), `layerGradientStats: labels[1] must be an integer class id in [0, 3), got ${shown}`);
      await rejectsAsync(() => lib.adversarialTraining(model, xs, y), `adversarialTraining: labels[1] must be an integer class id in [0, 3), got ${shown}`);
      y.dispose();
    }
    const nan = withEntry(xs, NaN, 5);
    const y = tf.tensor1d([0, 2]);
    const message = (fn: string) => `${fn}: xs must contain only finite numbers (index 5), got NaN`;
    rejects(() => lib.fgsm(model, nan, y, 0.1), message('fgsm'));
    rejects(() => lib.saliencyMap(model, nan), message('saliencyMap'));
    rejects(() => lib.smoothGrad(model, nan), message('smoothGrad'));
    rejects(() => lib.integratedGradients(model, nan), message('integratedGradients'));
    rejects(() => lib.gradCam(model, nan), message('gradCam'));
    rejects(() => lib.accuracy(model, nan, y), message('accuracy'));
    tf.dispose([nan, y]);
  });

  it('explanations reject a class 42, -1 and 0.5 (as before)', () => {
    const { model, xs } = fixtures();
    rejects(() => lib.saliencyMap(model, xs, { classIndex: 42 }), 'saliencyMap: opts.classIndex[0] must be an integer class id in [0, 3), got 42');
    rejects(() => lib.gradCam(model, xs, { classIndex: [0, -1] }), 'gradCam: opts.classIndex[1] must be an integer class id in [0, 3), got -1');
    rejects(() => lib.integratedGradients(model, xs, { classIndex: 0.5 }), 'integratedGradients: opts.classIndex[0] must be an integer class id in [0, 3), got 0.5');
  });
});

describe('sizes and counts that would exhaust memory or time are rejected up front', () => {
  it('confusionMatrixSpec with 1e6 classes, a FrameStack of 1e9 frames, 1e9 steps', () => {
    rejects(() => lib.confusionMatrixSpec({ labels: [0], predictions: [0] }, { numClasses: 1e6 }), 'confusionMatrixSpec: opts.numClasses must be at most 1000, got 1000000');
    rejects(
      () => lib.confusionMatrixSpec({ labels: [999999], predictions: [0] }),
      'confusionMatrixSpec: input must hold class ids below 1000 (at most 1000 classes), got "largest id 999999"',
    );
    rejects(() => new lib.FrameStack(1e9, 84, 84), 'FrameStack: k must be at most 1024, got 1000000000');
    rejects(() => new lib.FrameStack(1024, 4096, 4096), 'FrameStack: k * height * width must hold at most 268435456 elements (2^28), got "1024 x 4096 x 4096 = 17179869184"');
    const { model, xs, labels } = fixtures();
    rejects(() => lib.pgd(model, xs, labels, 0.1, { steps: 1e9 }), 'pgd: opts.steps must be at most 100000, got 1000000000');
    rejects(() => lib.integratedGradients(model, xs, { steps: 1e9 }), 'integratedGradients: opts.steps must be at most 100000, got 1000000000');
    rejects(() => lib.smoothGrad(model, xs, { samples: 1e9 }), 'smoothGrad: opts.samples must be at most 100000, got 1000000000');
    rejects(() => lib.playEpisodes(new lib.CatchEnv(), () => 1, 1e9), 'playEpisodes: episodes must be at most 100000, got 1000000000');
    rejects(() => lib.bestTimeMs(() => 0, { repeats: 1e9 }), 'bestTimeMs: opts.repeats must be at most 100000, got 1000000000');
    rejects(() => lib.ndZeros([1e5, 1e5]), 'ndZeros: shape must hold at most 268435456 elements (2^28), got "[100000, 100000] = 10000000000"');
    rejects(() => new lib.ReplayBuffer(1e6, 7056), 'ReplayBuffer: capacity * stateSize must hold at most 268435456 elements (2^28), got "1000000 x 7056 = 7056000000"');
    rejects(() => lib.q1Cnn({ classes: 1e9 }), 'q1Cnn: opts.classes must be at most 100000, got 1000000000');
    rejects(
      () => lib.q2Cnn({ inputShape: [2048, 2048, 3] }),
      'q2Cnn: opts.inputShape must leave at most 268435456 weights (2^28) in the dense layer after flatten (8388608 features x 512 units), got [2048, 2048, 3]',
    );
  });
});

describe('a failed call leaves no tensor behind', () => {
  it('layerGradientStats with a loss that throws or returns no scalar', () => {
    const { model, xs, labels } = fixtures();
    rejects(() => lib.layerGradientStats(model, xs, labels, { loss: (o) => tf.sum(o, 1) as tf.Scalar }), 'layerGradientStats: opts.loss must return a scalar tf.Tensor, got [2]');
    const before = tf.memory().numTensors;
    expect(() => lib.layerGradientStats(model, xs, labels, { loss: () => { throw new Error('my loss failed'); } })).toThrow('my loss failed');
    expect(tf.memory().numTensors).toBe(before);
    // and a good call still gives the numbers of a plain tf.variableGrads
    const stats = lib.layerGradientStats(model, xs, labels, { training: false });
    const want = tf.tidy(() => {
      const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
      const { value } = tf.variableGrads(() => tf.neg(tf.mean(tf.sum(tf.mul(tf.oneHot(tf.cast(labels, 'int32'), 3), tf.log(tf.clipByValue(model.apply(xs) as tf.Tensor, 1e-7, 1))), -1))) as tf.Scalar, vars);
      return value.dataSync()[0];
    });
    expect(stats.loss).toBeCloseTo(want, 6);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('checkpointedGradients with a head that returns a vector', () => {
    const input = tf.ones([2, 3]);
    rejects(
      () => lib.checkpointedGradients(input, [{ apply: (h) => tf.relu(h), variables: [] }], (h) => tf.sum(h, 1) as tf.Scalar, []),
      'checkpointedGradients: head must return a scalar tf.Tensor (the loss), got [2]',
    );
    input.dispose();
  });
});
