// Every kind of rejection at the public entry points of lib/ops, matched on its one-line message.
import { describe, expect, it } from 'vitest';
import { ArgError } from '../../../lib/errors';
import * as ops from '../../../lib/ops';
import { ndarray, ndRandom, ndZeros } from '../../../lib/ops';

const img = ndRandom([1, 4, 4, 3], { seed: 1 });
const k3 = ndRandom([3, 3, 3, 2], { seed: 2 });
const withNaN = () => {
  const x = ndRandom([1, 4, 4, 3], { seed: 3 });
  x.data[5] = NaN;
  return x;
};

function expectArgError(f: () => unknown, message: string | RegExp): void {
  let err: unknown;
  try {
    f();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(ArgError);
  const msg = (err as Error).message;
  expect(msg).not.toContain('\n');
  if (typeof message === 'string') expect(msg).toBe(message);
  else expect(msg).toMatch(message);
}

describe('wrong rank', () => {
  const flat = ndarray([1, 2, 3, 4]);
  it.each([
    ['conv2d', () => ops.conv2d(flat, k3), 'conv2d: x.shape must have rank 4 [N, H, W, C], got [4]'],
    ['conv2d w', () => ops.conv2d(img, ndarray([[1]])), 'conv2d: w.shape must have rank 4 [kh, kw, Cin / groups, Cout], got [1, 1]'],
    ['depthwiseConv2d', () => ops.depthwiseConv2d(flat, k3), 'depthwiseConv2d: x.shape must have rank 4 [N, H, W, C], got [4]'],
    ['im2col', () => ops.im2col(flat, 2), 'im2col: x.shape must have rank 4 [N, H, W, C], got [4]'],
    ['matMul', () => ops.matMul(flat, flat), 'matMul: a.shape must have rank 2 [m, k], got [4]'],
    ['maxPool2d', () => ops.maxPool2d(flat, 2), 'maxPool2d: x.shape must have rank 4 [N, H, W, C], got [4]'],
    ['avgPool2d', () => ops.avgPool2d(flat, 2), 'avgPool2d: x.shape must have rank 4 [N, H, W, C], got [4]'],
    ['globalAvgPool2d', () => ops.globalAvgPool2d(flat), 'globalAvgPool2d: x.shape must have rank 4 [N, H, W, C], got [4]'],
    ['lrn', () => ops.lrn(flat), 'lrn: x.shape must have rank 4 [N, H, W, C], got [4]'],
    ['dense', () => ops.dense(img, ndarray([[1]])), 'dense: x.shape must have rank 2 [N, nIn], got [1, 4, 4, 3]'],
    ['batchMoments', () => ops.batchMoments(flat), 'batchMoments: x.shape must have rank >= 2 (channels last, e.g. [N, H, W, C]), got [4]'],
  ])('%s', (_name, f, msg) => expectArgError(f, msg));
});

describe('mismatched channels and shapes', () => {
  it.each([
    ['conv2d', () => ops.conv2d(img, ndRandom([3, 3, 2, 4])), 'conv2d: w.shape[2] must equal the input channels 3 (x is [1, 4, 4, 3]), got 2'],
    ['conv2d groups', () => ops.conv2d(img, k3, { groups: 2 }), 'conv2d: opts.groups must divide the input channels 3, got 2'],
    [
      'conv2d grouped w',
      () => ops.conv2d(ndRandom([1, 4, 4, 4]), ndRandom([3, 3, 4, 2]), { groups: 2 }),
      'conv2d: w.shape[2] must equal input channels / groups = 2 (x is [1, 4, 4, 4]), got 4',
    ],
    ['conv2d bias', () => ops.conv2d(img, k3, { bias: [1, 2, 3] }), 'conv2d: opts.bias must have 2 entries (one per output channel), got 3'],
    ['depthwiseConv2d', () => ops.depthwiseConv2d(img, ndRandom([3, 3, 2, 1])), 'depthwiseConv2d: w.shape[2] must equal the input channels 3 (x is [1, 4, 4, 3]), got 2'],
    ['conv2dIm2col', () => ops.conv2dIm2col(img, ndRandom([3, 3, 2, 1])), 'conv2dIm2col: w.shape[2] must equal the input channels 3 (x is [1, 4, 4, 3]), got 2'],
    ['matMul', () => ops.matMul(ndZeros([2, 3]), ndZeros([2, 3])), 'matMul: b.shape[0] must equal a.shape[1] = 3 (a is [2, 3]), got 2'],
    ['dense', () => ops.dense(ndZeros([2, 3]), ndZeros([4, 1])), 'dense: w.shape[0] must equal the input features 3 (x is [2, 3]), got 4'],
    ['conv2dBackward dy', () => ops.conv2dBackward(img, k3, ndZeros([1, 3, 3, 2])), 'conv2dBackward: dy must have shape [1, 2, 2, 2], got [1, 3, 3, 2]'],
    ['maxPool2dBackward dy', () => ops.maxPool2dBackward(img, ndZeros([1, 2, 2, 1]), 2), 'maxPool2dBackward: dy must have shape [1, 2, 2, 3], got [1, 2, 2, 1]'],
    ['batchNorm', () => ops.batchNorm(img, [0, 0], [1, 1, 1]), 'batchNorm: mean must have 3 entries (one per channel), got 2'],
    ['ndarray', () => ndarray([1, 2, 3], [2, 2]), 'ndarray: values must have 4 entries for shape [2, 2], got 3'],
    ['ndarray ragged', () => ndarray([[1, 2], [3]]), 'ndarray: values must be a regular nested array of shape [2, 2], got [3]'],
    ['maxAbsDiff', () => ops.maxAbsDiff(ndZeros([2]), ndZeros([3])), 'maxAbsDiff: b must have the shape of a [2], got [3]'],
  ])('%s', (_name, f, msg) => expectArgError(f, msg));
});

describe('non-positive or fractional sizes', () => {
  it.each([
    ['conv2d strides', () => ops.conv2d(img, k3, { strides: 0 }), 'conv2d: opts.strides must be a positive integer, got 0'],
    ['conv2d strides pair', () => ops.conv2d(img, k3, { strides: [1, 1.5] }), 'conv2d: opts.strides[1] must be a positive integer, got 1.5'],
    ['conv2d dilations', () => ops.conv2d(img, k3, { dilations: -1 }), 'conv2d: opts.dilations must be a positive integer, got -1'],
    ['conv2d groups', () => ops.conv2d(img, k3, { groups: 0.5 }), 'conv2d: opts.groups must be a positive integer, got 0.5'],
    ['conv2d padding', () => ops.conv2d(img, k3, { padding: -1 }), 'conv2d: opts.padding must be a non-negative integer, got -1'],
    ['conv2d padding pair', () => ops.conv2d(img, k3, { padding: [[0, 1.5], [0, 0]] }), 'conv2d: opts.padding[0][1] must be a non-negative integer, got 1.5'],
    ['maxPool2d poolSize', () => ops.maxPool2d(img, 0), 'maxPool2d: poolSize must be a positive integer, got 0'],
    ['avgPool2d strides', () => ops.avgPool2d(img, 2, { strides: 2.5 }), 'avgPool2d: opts.strides must be a positive integer, got 2.5'],
    ['im2col kernelSize', () => ops.im2col(img, [2, 0]), 'im2col: kernelSize[1] must be a positive integer, got 0'],
    ['lrn depthRadius', () => ops.lrn(img, { depthRadius: 1.5 }), 'lrn: opts.depthRadius must be a non-negative integer, got 1.5'],
    ['ndZeros', () => ndZeros([2, 0]), 'ndZeros: shape must be a list of positive integers, got [2, 0]'],
    ['ndarray shape', () => ndarray([1, 2], [2.5]), 'ndarray: shape must be a list of positive integers, got [2.5]'],
    ['convOutputSize', () => ops.convOutputSize(28, 3, { strides: 0 }), 'convOutputSize: opts.strides must be a positive integer, got 0'],
    ['activationMemory', () => ops.activationMemory([4, 4, 1], [], { batchSize: 0 }), 'activationMemory: opts.batchSize must be a positive integer, got 0'],
  ])('%s', (_name, f, msg) => expectArgError(f, msg));
});

describe('a kernel larger than the padded input', () => {
  it.each([
    ['conv2d', () => ops.conv2d(img, ndRandom([5, 5, 3, 1])), 'conv2d: kernel must be no larger than the padded input [4, 4], got [5, 5]'],
    ['conv2d dilated', () => ops.conv2d(img, k3, { dilations: 2 }), 'conv2d: kernel (dilated) must be no larger than the padded input [4, 4], got [5, 5]'],
    ['depthwiseConv2d', () => ops.depthwiseConv2d(img, ndRandom([5, 1, 3, 1])), 'depthwiseConv2d: kernel must be no larger than the padded input [4, 4], got [5, 1]'],
    ['im2col', () => ops.im2col(img, 7, { padding: 1 }), 'im2col: kernelSize must be no larger than the padded input [6, 6], got [7, 7]'],
    ['maxPool2d', () => ops.maxPool2d(img, 5), 'maxPool2d: poolSize must be no larger than the padded input [4, 4], got [5, 5]'],
    ['conv2dBackward', () => ops.conv2dBackward(img, ndRandom([5, 5, 3, 1]), img), 'conv2dBackward: kernel must be no larger than the padded input [4, 4], got [5, 5]'],
    ['convOutputSize', () => ops.convOutputSize(4, 5), 'convOutputSize: kernelSize must be no larger than the padded input 4, got 5'],
  ])('%s', (_name, f, msg) => expectArgError(f, msg));

  it('accepts a kernel that fits the padded input exactly (4 + 2 * 1 = 6)', () => {
    expect(ops.im2col(img, 6, { padding: 1 }).shape).toEqual([1, 6 * 6 * 3]);
  });

  it('and pooling padding that would make a window of padding only', () => {
    expectArgError(() => ops.maxPool2d(img, 2, { padding: 2 }), 'maxPool2d: opts.padding must be smaller than the pool size [2, 2] on every side, got 2');
  });
});

describe('NaN in the data', () => {
  it.each([
    ['conv2d x', () => ops.conv2d(withNaN(), k3), 'conv2d: x must contain only finite numbers (index 5), got NaN'],
    ['conv2d bias', () => ops.conv2d(img, k3, { bias: [0, Infinity] }), 'conv2d: opts.bias must contain only finite numbers (index 1), got Infinity'],
    ['depthwiseConv2d', () => ops.depthwiseConv2d(withNaN(), ndRandom([3, 3, 3, 1])), 'depthwiseConv2d: x must contain only finite numbers (index 5), got NaN'],
    ['im2col', () => ops.im2col(withNaN(), 2), 'im2col: x must contain only finite numbers (index 5), got NaN'],
    ['maxPool2d', () => ops.maxPool2d(withNaN(), 2), 'maxPool2d: x must contain only finite numbers (index 5), got NaN'],
    ['avgPool2d', () => ops.avgPool2d(withNaN(), 2), 'avgPool2d: x must contain only finite numbers (index 5), got NaN'],
    ['globalMaxPool2d', () => ops.globalMaxPool2d(withNaN()), 'globalMaxPool2d: x must contain only finite numbers (index 5), got NaN'],
    ['lrn', () => ops.lrn(withNaN()), 'lrn: x must contain only finite numbers (index 5), got NaN'],
    ['batchNormTraining', () => ops.batchNormTraining(withNaN()), 'batchNormTraining: x must contain only finite numbers (index 5), got NaN'],
    ['relu', () => ops.relu(withNaN()), 'relu: x must contain only finite numbers (index 5), got NaN'],
    ['softmax', () => ops.softmax(withNaN()), 'softmax: x must contain only finite numbers (index 5), got NaN'],
    ['squash', () => ops.squash(withNaN()), 'squash: s must contain only finite numbers (index 5), got NaN'],
    ['dense', () => ops.dense(ndarray([[1, 2]]), ndarray([[1], [2]]), [NaN]), 'dense: b must contain only finite numbers (index 0), got NaN'],
    ['ndarray', () => ndarray([1, NaN]), 'ndarray: values must contain only finite numbers (index 1), got NaN'],
  ])('%s', (_name, f, msg) => expectArgError(f, msg));
});

describe('bad parameter values', () => {
  it.each([
    ['lrn bias', () => ops.lrn(img, { bias: 0 }), 'lrn: opts.bias must be > 0, got 0'],
    ['lrn alpha', () => ops.lrn(img, { alpha: -1 }), 'lrn: opts.alpha must be >= 0, got -1'],
    ['batchNorm variance', () => ops.batchNorm(img, [0, 0, 0], [1, -1, 1]), 'batchNorm: variance[1] must be >= 0, got -1'],
    ['conv2d padding name', () => ops.conv2d(img, k3, { padding: 'full' as never }), `conv2d: opts.padding must be 'valid', 'same', a non-negative integer or [[top, bottom], [left, right]], got "full"`],
    ['ndRandom', () => ndRandom([2], { low: 1, high: 1 }), 'ndRandom: opts.high must be greater than opts.low (1), got 1'],
    ['ndRandom', () => ops.ndRandom([2], { seed: 1.5 }), 'ndRandom: opts.seed must be a safe integer, got 1.5'],
    ['receptiveField axis', () => ops.receptiveField([], { axis: 'depth' as never }), `receptiveField: opts.axis must be one of 'height', 'width', got "depth"`],
  ])('%s', (_name, f, msg) => expectArgError(f, msg));
});
