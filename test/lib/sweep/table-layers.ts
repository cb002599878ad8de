// Sweep tables: the layers of lib/layers (constructor arguments, inputs that do not fit, methods) and the
// functional-API blocks.
import * as tf from '@tensorflow/tfjs';
import * as lib from '../../../lib/index';
import { bad, bool, custom, entry, fixed, int, num, opts, pair, str, sym, tensor, type Entry, type Param } from './harness';

const U = undefined;
const INITS = ['glorotUniform', 'glorotNormal', 'heNormal', 'heUniform', 'leCunNormal', 'zeros', 'ones'];
const init = () => str('kernelInitializer', U, INITS);
const input = (shape: number[]) => () => tf.input({ shape });
const convKeys = (): Param[] => [
  pair('strides', U, true),
  str('padding', U, ['valid', 'same']),
  pair('dilationRate', U, true),
  bool('useBias'),
  init(),
];
/** `new Cls(args).apply(x)` for a symbolic input of `shape`. */
const applied = (make: (a: unknown) => tf.layers.Layer) => (a: unknown, x: tf.SymbolicTensor | tf.Tensor) => make(a).apply(x);

export const layerEntries: Entry[] = [
  entry('LocalResponseNormalization', (a) => new lib.LocalResponseNormalization(a), [
    opts('args', [int('depthRadius', U, { min: 0, optional: true }), num('bias', U, { above: 0, optional: true }), num('alpha', U, { optional: true }), num('beta', U, { optional: true })], { open: true }),
  ]),
  entry('LocalResponseNormalization', applied((a) => new lib.LocalResponseNormalization(a as object)), [fixed('args', () => ({})), fixed('x', input([4, 4, 2]))], [
    bad('an input of rank 2', () => [{}, tf.input({ shape: [4] })]),
  ]),
  ...([['SqueezeExcitation', (a: never) => new lib.SqueezeExcitation(a)], ['squeezeExcitation', (a: never) => lib.squeezeExcitation(a)]] as const).map(([name, make]) =>
    entry([name, 'SqueezeExcitation'], make, [opts('args', [int('ratio', U, { optional: true }), str('pooling', U, ['avg', 'avgmax']), bool('useBias'), init()], { open: true })]),
  ),
  entry('SqueezeExcitation', applied((a) => new lib.SqueezeExcitation(a as object)), [fixed('args', () => ({ ratio: 2 })), fixed('x', input([4, 4, 2]))], [
    bad('ratio 4 on 2 channels', () => [{ ratio: 4 }, tf.input({ shape: [4, 4, 2] })]),
    bad('an input of rank 3', () => [{ ratio: 2 }, tf.input({ shape: [4, 2] })]),
    bad('1e5 channels, ratio 1 (too many weights)', () => [{ ratio: 1 }, tf.input({ shape: [1, 1, 1e5] })]),
  ]),
  entry('SpatialAttention', applied((a) => new lib.SpatialAttention(a as object)), [fixed('args', () => ({})), fixed('x', input([4, 4, 2]))], [
    bad('kernelSize 1e9 (too many weights)', () => [{ kernelSize: 1e9 }, tf.input({ shape: [4, 4, 2] })]),
  ]),
  entry(['SqueezeExcitation.excitation', 'SqueezeExcitation'], (x) => new lib.SqueezeExcitation({ ratio: 1 }).excitation(x), [tensor('x', () => tf.zeros([1, 4, 4, 2]), { rank: 4 })]),
  ...([['SpatialAttention', (a: never) => new lib.SpatialAttention(a)], ['spatialAttention', (a: never) => lib.spatialAttention(a)]] as const).map(([name, make]) =>
    entry([name, 'SpatialAttention'], make, [opts('args', [int('kernelSize', U, { optional: true }), bool('useBias'), init()], { open: true })]),
  ),
  entry(['SpatialAttention.attentionMap', 'SpatialAttention'], (x) => new lib.SpatialAttention().attentionMap(x), [tensor('x', () => tf.zeros([1, 4, 4, 2]), { rank: 4 })]),
  ...([['Cbam', (a: never) => new lib.Cbam(a)], ['cbam', (a: never) => lib.cbam(a)]] as const).map(([name, make]) =>
    entry([name, 'Cbam'], make, [
      opts('args', [int('ratio', U, { optional: true }), int('kernelSize', U, { optional: true }), str('channelPooling', U, ['avg', 'avgmax']), bool('useBias'), init()], { open: true }),
    ]),
  ),
  entry('Cbam', applied((a) => new lib.Cbam(a as object)), [fixed('args', () => ({ ratio: 2 })), fixed('x', input([4, 4, 2]))], [
    bad('ratio 4 on 2 channels', () => [{ ratio: 4 }, tf.input({ shape: [4, 4, 2] })]),
    bad('kernelSize 1e9 (too many weights)', () => [{ ratio: 2, kernelSize: 1e9 }, tf.input({ shape: [4, 4, 2] })]),
  ]),
  entry(['Cbam.channelAttention', 'Cbam'], (x) => new lib.Cbam({ ratio: 1 }).channelAttention(x), [tensor('x', () => tf.zeros([1, 4, 4, 2]), { rank: 4 })]),
  entry(['Cbam.spatialAttention', 'Cbam'], (x) => new lib.Cbam({ ratio: 1 }).spatialAttention(x), [tensor('x', () => tf.zeros([1, 4, 4, 2]), { rank: 4 })]),
  ...([['AttentionPooling', (a: never) => new lib.AttentionPooling(a)], ['attentionPooling', (a: never) => lib.attentionPooling(a)]] as const).map(([name, make]) =>
    entry([name, 'AttentionPooling'], make, [opts('args', [num('kernelStddev', U, { min: 0, max: 100, optional: true })], { open: true })]),
  ),
  entry('AttentionPooling', applied((a) => new lib.AttentionPooling(a as object)), [fixed('args', () => ({})), fixed('x', input([4, 4, 2]))], [
    bad('an input of rank 3', () => [{}, tf.input({ shape: [4, 2] })]),
    bad('1e9 channels (too many weights)', () => [{}, tf.input({ shape: [1, 1, 1e9] })]),
  ]),
  entry(['AttentionPooling.attentionMap', 'AttentionPooling'], (x) => new lib.AttentionPooling().attentionMap(x), [tensor('x', () => tf.zeros([1, 4, 4, 2]), { rank: 4 })]),
  ...([['CapsuleLayer', (a: never) => new lib.CapsuleLayer(a)], ['capsuleLayer', (a: never) => lib.capsuleLayer(a)]] as const).map(([name, make]) =>
    entry([name, 'CapsuleLayer'], make, [
      opts('args', [int('numCapsules', 2), int('capsuleDim', 4), int('routings', U, { max: 100_000, optional: true }), init()], { open: true, optional: false, valid: () => ({ numCapsules: 2, capsuleDim: 4 }) }),
    ]),
  ),
  entry('CapsuleLayer', applied((a) => new lib.CapsuleLayer(a as never)), [fixed('args', () => ({ numCapsules: 2, capsuleDim: 4 })), fixed('x', input([6, 3]))], [
    bad('an input of rank 4', () => [{ numCapsules: 2, capsuleDim: 4 }, tf.input({ shape: [6, 3, 1] })]),
    bad('numCapsules 1e9 (too many weights)', () => [{ numCapsules: 1e9, capsuleDim: 4 }, tf.input({ shape: [6, 3] })]),
  ]),
  entry(['CapsuleLayer.routeWithTrace', 'CapsuleLayer'], (u) => new lib.CapsuleLayer({ numCapsules: 2, capsuleDim: 4, routings: 2 }).routeWithTrace(u), [
    tensor('u', () => tf.zeros([1, 6, 3]), { rank: 3 }),
  ]),
  entry('capsuleSquash', (s, axis, eps) => lib.capsuleSquash(s, axis, eps), [
    tensor('s', () => tf.ones([2, 3])),
    int('axis', U, { min: -2, max: 1, optional: true }),
    num('epsilon', U, { above: 0, optional: true }),
  ]),
  entry('capsuleLengths', (v) => lib.capsuleLengths(v), [tensor('v', () => tf.ones([1, 2, 3]), { rank: 3 })]),
  entry('PrimaryCapsules', (a) => new lib.PrimaryCapsules(a), [
    opts('args', [int('numCapsules', 2), int('capsuleDim', 4), pair('kernelSize', 3), pair('strides', U, true), str('padding', U, ['valid', 'same']), init()], {
      open: true,
      optional: false,
      valid: () => ({ numCapsules: 2, capsuleDim: 4, kernelSize: 3 }),
    }),
  ]),
  entry('PrimaryCapsules', applied((a) => new lib.PrimaryCapsules(a as never)), [fixed('args', () => ({ numCapsules: 2, capsuleDim: 4, kernelSize: 3 })), fixed('x', input([20, 20, 3]))], [
    bad('kernel 30 on 20x20', () => [{ numCapsules: 2, capsuleDim: 4, kernelSize: 30 }, tf.input({ shape: [20, 20, 3] })]),
    bad('kernel 30 on a 20x20 tensor', () => [{ numCapsules: 2, capsuleDim: 4, kernelSize: 30 }, tf.zeros([1, 20, 20, 3])]),
    bad('an input of rank 3', () => [{ numCapsules: 2, capsuleDim: 4, kernelSize: 3 }, tf.input({ shape: [20, 3] })]),
    bad('numCapsules 1e6 x capsuleDim 1e3 (too many weights)', () => [{ numCapsules: 1e6, capsuleDim: 1e3, kernelSize: 3 }, tf.input({ shape: [20, 20, 3] })]),
  ]),
  entry('CapsuleLength', applied(() => new lib.CapsuleLength()), [fixed('args', () => U), fixed('x', input([3, 4]))], [
    bad('an input of rank 4', () => [U, tf.input({ shape: [3, 4, 1] })]),
  ]),
  entry('capsuleMarginLoss', (t, p, o) => lib.capsuleMarginLoss(t, p, o), [
    tensor('yTrue', () => tf.tensor2d([[0, 1]])),
    tensor('yPred', () => tf.tensor2d([[0.2, 0.8]])),
    opts('opts', [num('mPlus', U, { optional: true }), num('mMinus', U, { optional: true }), num('lambda', U, { optional: true })]),
  ], [bad('yTrue of another shape', () => [tf.tensor2d([[0, 1, 0]]), tf.tensor2d([[0.2, 0.8]]), U])]),
  ...([['DepthwiseSeparableConv2D', (a: never) => new lib.DepthwiseSeparableConv2D(a)], ['depthwiseSeparableConv2d', (a: never) => lib.depthwiseSeparableConv2d(a)]] as const).map(([name, make]) =>
    entry([name, 'DepthwiseSeparableConv2D'], make, [
      opts('args', [int('filters', 4), pair('kernelSize', 3), int('depthMultiplier', U, { optional: true }), ...convKeys()], {
        open: true,
        optional: false,
        valid: () => ({ filters: 4, kernelSize: 3 }),
      }),
    ]),
  ),
  entry('DepthwiseSeparableConv2D', applied((a) => new lib.DepthwiseSeparableConv2D(a as never)), [fixed('args', () => ({ filters: 4, kernelSize: 3 })), fixed('x', input([8, 8, 2]))], [
    bad('kernel 9 on 8x8', () => [{ filters: 4, kernelSize: 9 }, tf.input({ shape: [8, 8, 2] })]),
    bad('dilated kernel 3 x 5 on 8x8', () => [{ filters: 4, kernelSize: 3, dilationRate: 5 }, tf.input({ shape: [8, 8, 2] })]),
    bad('kernel 9 on an 8x8 tensor', () => [{ filters: 4, kernelSize: 9 }, tf.zeros([1, 8, 8, 2])]),
    bad('depthMultiplier 1e9 (too many weights)', () => [{ filters: 4, kernelSize: 3, depthMultiplier: 1e9 }, tf.input({ shape: [8, 8, 2] })]),
  ]),
  ...([['GroupedConv2D', (a: never) => new lib.GroupedConv2D(a)], ['groupedConv2d', (a: never) => lib.groupedConv2d(a)]] as const).map(([name, make]) =>
    entry([name, 'GroupedConv2D'], make, [
      opts('args', [int('filters', 4), pair('kernelSize', 3), int('groups', 2), ...convKeys()], {
        open: true,
        optional: false,
        valid: () => ({ filters: 4, kernelSize: 3, groups: 2 }),
      }),
    ]),
  ),
  entry('GroupedConv2D', applied((a) => new lib.GroupedConv2D(a as never)), [fixed('args', () => ({ filters: 4, kernelSize: 3, groups: 2 })), fixed('x', input([8, 8, 2]))], [
    bad('kernel 9 on 8x8', () => [{ filters: 4, kernelSize: 9, groups: 2 }, tf.input({ shape: [8, 8, 2] })]),
    bad('groups 2 on 3 channels', () => [{ filters: 4, kernelSize: 3, groups: 2 }, tf.input({ shape: [8, 8, 3] })]),
    bad('filters 1e9 (too many weights)', () => [{ filters: 1e9, kernelSize: 3, groups: 2 }, tf.input({ shape: [8, 8, 2] })]),
  ]),
  entry('Normalization', (a) => new lib.Normalization(a), [
    opts('args', [
      custom('mean', () => U, () => [['[NaN]', [NaN]], ["['0']", ['0']]], { optional: true }),
      custom('variance', () => U, () => [['[-1]', [-1]], ['[NaN]', [NaN]]], { optional: true }),
    ], { open: true }),
  ], [bad('mean of 2 and variance of 3', () => [{ mean: [0, 0], variance: [1, 1, 1] }])]),
  entry(['Normalization.adapt', 'Normalization'], (d) => new lib.Normalization().adapt(d), [tensor('data', () => tf.ones([4, 3]), { finite: true, nonEmpty: true })]),
  entry('inceptionModule', (x, a) => lib.inceptionModule(x, a), [
    sym('x', input([8, 8, 4])),
    opts('args', [
      int('filters1x1', 2),
      int('filters3x3Reduce', 2),
      int('filters3x3', 2),
      int('filters5x5Reduce', 2),
      int('filters5x5', 2),
      int('filtersPoolProj', 2),
      bool('reduce'),
      str('name'),
    ], { optional: false, valid: () => ({ filters1x1: 2, filters3x3Reduce: 2, filters3x3: 2, filters5x5Reduce: 2, filters5x5: 2, filtersPoolProj: 2 }) }),
  ], [
    bad('filters5x5 1e9 (too many weights)', () => [
      tf.input({ shape: [8, 8, 4] }),
      { filters1x1: 2, filters3x3Reduce: 2, filters3x3: 2, filters5x5Reduce: 2, filters5x5: 1e9, filtersPoolProj: 2 },
    ]),
  ]),
  entry('inceptionBranchOf', (n) => lib.inceptionBranchOf(n), [str('layerName', 'inception3a_5x5_reduce', U, false)]),
  entry('residualBlock', (x, a) => lib.residualBlock(x, a), [
    sym('x', input([8, 8, 4])),
    opts('args', [int('filters', 4), int('strides', U, { optional: true }), str('name')], { optional: false, valid: () => ({ filters: 4 }) }),
  ], [bad('filters 1e9 (too many weights)', () => [tf.input({ shape: [8, 8, 4] }), { filters: 1e9 }])]),
  entry('bottleneckBlock', (x, a) => lib.bottleneckBlock(x, a), [
    sym('x', input([8, 8, 4])),
    opts('args', [int('filters', 1), int('strides', U, { optional: true }), int('kernelSize', U, { optional: true }), bool('convShortcut'), str('name'), num('epsilon', U, { above: 0, optional: true })], {
      optional: false,
      valid: () => ({ filters: 1 }),
    }),
  ], [
    bad('convShortcut false with 4 != 4 * 2 channels', () => [tf.input({ shape: [8, 8, 4] }), { filters: 2, convShortcut: false }]),
    bad('filters 1e9 (too many weights)', () => [tf.input({ shape: [8, 8, 4] }), { filters: 1e9 }]),
  ]),
];
