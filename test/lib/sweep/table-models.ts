// Sweep tables: model builders, model tools, MNIST, and the RL environment, frames and replay buffer.
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import * as lib from '../../../lib/index';
import { array, bad, bool, custom, entry, fixed, fnP, int, model, num, opts, str, tensor, type Entry, type Param } from './harness';
import { fixtures } from './fixtures';

const U = undefined;
const imageShape = (valid?: number[], name = 'inputShape'): Param =>
  custom(name, () => valid, () => [
    ['[28, 28]', [28, 28]],
    ['[28, 28, 0]', [28, 28, 0]],
    ['[28, 2.5, 1]', [28, 2.5, 1]],
    ['[1, 1, 1] (too small)', [1, 1, 1]],
    ['[1e9, 1e9, 1] (too large)', [1e9, 1e9, 1]],
    ['[32, 32, 1e9] (too many channels)', [32, 32, 1e9]],
  ], { optional: true });
const classes = (name = 'classes') => int(name, U, { max: 100_000, optional: true });
const archKeys = (shape: number[]) => [bool('includeTop'), imageShape(shape), classes(), str('pooling', U, ['avg', 'max'])];

export const modelEntries: Entry[] = [
  entry('q1Cnn', (o) => lib.q1Cnn(o), [opts('opts', [imageShape(), classes()])]),
  entry('q2Cnn', (o) => lib.q2Cnn(o), [opts('opts', [imageShape([16, 16, 3]), classes()], { valid: () => ({ inputShape: [16, 16, 3] }) })]),
  entry('q7Cnn', (o) => lib.q7Cnn(o), [opts('opts', [classes()])]),
  entry('q13ShallowCnn', (o) => lib.q13ShallowCnn(o), [opts('opts', [imageShape(), classes()])]),
  entry('q13DeepCnn', (o) => lib.q13DeepCnn(o), [opts('opts', [imageShape(), classes(), num('widthMultiplier', U, { above: 0, max: 32, optional: true })], { valid: () => ({ widthMultiplier: 0.25 }) })], [], [
    'opts .widthMultiplier -Infinity', // duplicates of the rule 'a positive multiple of 1/32' are still rejected
  ]),
  entry('normalizationCnn', (k, o) => lib.normalizationCnn(k, o), [
    str('kind', 'lrn', ['none', 'lrn', 'batchnorm'], false),
    opts('opts', [
      imageShape(),
      classes(),
      opts('lrn', [int('depthRadius', U, { min: 0, optional: true }), num('bias', U, { above: 0, optional: true })], { open: false }),
      num('momentum', U, { min: 0, max: 1, optional: true }),
    ]),
  ]),
  entry('normalizationCnn', (k, o) => lib.normalizationCnn(k, o), [fixed('kind', () => 'batchnorm'), opts('opts', [num('momentum', U, { min: 0, max: 1, optional: true })])]),
  entry('inceptionBranchParams', (m) => lib.inceptionBranchParams(m), [model('model', () => fixtures().inception)], [bad('a model without Inception modules', () => [fixtures().model])]),
  entry('miniGoogLeNet', (o) => lib.miniGoogLeNet(o), [opts('opts', [imageShape([16, 16, 3]), classes(), bool('reduce')], { valid: () => ({ inputShape: [16, 16, 3] }) })]),
  entry('unet', (o) => lib.unet(o), [
    opts('opts', [imageShape([16, 16, 1]), int('filters', U, { max: 4096, optional: true }), int('depth', U, { max: 12, optional: true }), classes()], { valid: () => ({ inputShape: [16, 16, 1], filters: 2 }) }),
  ], [
    bad('sides 18 not divisible by 2^2', () => [{ inputShape: [18, 18, 1], filters: 2 }]),
    bad('filters 2048 at depth 4 (a 32768-channel bottleneck)', () => [{ inputShape: [16, 16, 1], filters: 2048, depth: 4 }]),
  ]),
  entry('maskOverlap', (p, t) => lib.maskOverlap(p, t), [tensor('pred', () => tf.tensor1d([0, 1, 1])), tensor('truth', () => tf.tensor1d([0, 1, 0]))], [
    bad('truth of another shape', () => [tf.tensor1d([0, 1, 1]), tf.tensor1d([0, 1])]),
    bad('a probability 0.7 in pred', () => [tf.tensor1d([0, 0.7, 1]), tf.tensor1d([0, 1, 0])]),
    bad('NaN in truth', () => [tf.tensor1d([0, 1, 1]), tf.tensor1d([0, NaN, 0])]),
  ]),
  ...(['dqn', 'actorCritic'] as const).map((name) =>
    entry(name, (o) => lib[name](o), [opts('opts', [imageShape([36, 36, 2]), int('numActions', U, { max: 100_000, optional: true })], { valid: () => ({ inputShape: [36, 36, 2] }) })]),
  ),
  entry('cbamCnn', (o) => lib.cbamCnn(o), [
    opts('opts', [imageShape([8, 8, 3]), classes(), int('ratio', U, { optional: true }), str('channelPooling', U, ['avg', 'avgmax'])], { valid: () => ({ inputShape: [8, 8, 3] }) }),
  ]),
  entry('vgg16', (o) => lib.vgg16(o), [opts('opts', archKeys([32, 32, 3]), { valid: () => ({ includeTop: false, inputShape: [32, 32, 3] }) })]),
  entry('resnet50', (o) => lib.resnet50(o), [opts('opts', archKeys([32, 32, 3]), { valid: () => ({ includeTop: false, inputShape: [32, 32, 3] }) })]),
  entry('inceptionV3', (o) => lib.inceptionV3(o), [opts('opts', archKeys([75, 75, 3]), { valid: () => ({ includeTop: false, inputShape: [75, 75, 3] }) })]),
  entry('efficientNetB0', (o) => lib.efficientNetB0(o), [opts('opts', archKeys([32, 32, 3]), { valid: () => ({ includeTop: false, inputShape: [32, 32, 3] }) })]),
  entry('summary', (m, o) => lib.summary(m, o), [model('model', () => fixtures().model), opts('opts', [bool('print'), int('lineLength', U, { max: 10_000, optional: true })], { valid: () => ({ print: false }) })]),
  entry('parameterTable', (m) => lib.parameterTable(m), [model('model', () => fixtures().model)]),
  entry('modelDepth', (m) => lib.modelDepth(m), [model('model', () => fixtures().model)]),
  entry('formatCount', (n) => lib.formatCount(n), [num('n', 121930)]),
  entry('accuracy', (m, x, l, o) => lib.accuracy(m, x, l, o), [
    model('model', () => fixtures().model),
    tensor('xs', () => fixtures().xs, { finite: true, nonEmpty: true }),
    { name: 'labels', valid: () => fixtures().labels, kind: { t: 'labels', classes: 3 } },
    opts('opts', [int('batchSize', U, { optional: true })]),
  ], [bad('xs of another image size', () => [fixtures().model, tf.zeros([2, 5, 5, 1]), fixtures().labels, U])], [
    'labels one-hot with a NaN', // accuracy takes class ids only: a one-hot [N, K] is rejected by rank (covered)
  ]),
];

const MNIST = () => lib.mnistDir();
export const dataEntries: Entry[] = [
  entry('decodeIdx', (b, n) => lib.decodeIdx(b, n), [
    custom('bytes', () => Uint8Array.from([0, 0, 8, 1, 0, 0, 0, 2, 7, 9]), () => [
      ['a header promising 3 values for 2', Uint8Array.from([0, 0, 8, 1, 0, 0, 0, 3, 7, 9])],
      ['a bad magic number', Uint8Array.from([1, 2, 8, 1, 0, 0, 0, 2, 7, 9])],
      ['2 bytes', Uint8Array.from([0, 0])],
      ['a plain array', [0, 0, 8, 1, 0, 0, 0, 2, 7, 9]],
    ]),
    str('name'),
  ]),
  entry('readIdx', (p) => lib.readIdx(p), [custom('path', () => path.join(MNIST(), 't10k-labels-idx1-ubyte'), () => [['42', 42], ['a missing file', '/nonexistent/file'], ['a folder', MNIST()]])]),
  entry('loadMnistArrays', (s, o) => lib.loadMnistArrays(s, o), [str('split', 'test', ['train', 'test'], false), opts('opts', [custom('dir', () => U, () => [['42', 42], ['an empty folder', '/tmp']], { optional: true, types: false })])]),
  entry('loadMnist', (s, o) => lib.loadMnist(s, o), [
    str('split', 'test', ['train', 'test'], false),
    opts('opts', [
      int('count', U, { optional: true, max: 10_000 }),
      int('offset', U, { min: 0, optional: true }),
      array('digits', () => U, { of: int('digits[0]', 0, { min: 0, max: 9 }), optional: true }),
      custom('dir', () => U, () => [['42', 42]], { optional: true, types: false }),
    ], { valid: () => ({ count: 2 }) }),
  ], [bad('count 9000 after offset 2000', () => ['test', { count: 9000, offset: 2000 }])]),
  entry('clutteredMnist', (s, o) => lib.clutteredMnist(s, o), [
    str('split', 'test', ['train', 'test'], false),
    opts('opts', [
      int('count', U, { optional: true }),
      int('offset', U, { min: 0, optional: true }),
      int('canvasSize', U, { min: 28, max: 256, optional: true }),
      int('fragments', U, { min: 0, max: 64, optional: true }),
      int('fragmentSize', U, { max: 28, optional: true }),
      custom('seed', () => U, () => [['NaN', NaN], ['2.5', 2.5], ['2^53', 2 ** 53]], { optional: true }),
    ], { valid: () => ({ count: 2 }) }),
  ], [bad('count 9000 after offset 2000', () => ['test', { count: 9000, offset: 2000 }])]),
];

const env = () => new lib.CatchEnv({ size: 5, seed: 1 });
const frame = () => new Float32Array(100);
const transition = () => ({ state: [0, 0], action: 1, reward: 0, nextState: [0, 0], done: false });
export const rlEntries: Entry[] = [
  entry('CatchEnv', (o) => new lib.CatchEnv(o), [
    opts('opts', [
      int('size', U, { min: 3, max: 4096, optional: true }),
      int('paddleWidth', U, { optional: true }),
      bool('sideways'),
      custom('ballSpeed', () => U, () => [['0', 0], ['2.5', 2.5], ['NaN', NaN]], { optional: true }),
      custom('seed', () => U, () => [['NaN', NaN], ['2.5', 2.5], ['-1', -1]], { optional: true }),
      custom('rng', () => U, () => [['42', 42], ["'x'", 'x']], { optional: true, types: false }),
    ]),
  ], [
    bad('paddleWidth 2 (even)', () => [{ paddleWidth: 2 }]),
    bad('paddleWidth 7 on size 5', () => [{ size: 5, paddleWidth: 7 }]),
    bad('seed and rng', () => [{ seed: 1, rng: () => 0.5 }]),
    bad('ballSpeed 5 on size 10 (a reversed step could leave the grid)', () => [{ sideways: true, ballSpeed: 5 }]),
    bad('ballSpeed 2 without sideways', () => [{ ballSpeed: 2 }]),
  ]),
  entry('CatchEnv.step', (a, started) => {
    const e = env();
    if (started) e.reset();
    return e.step(a);
  }, [custom('action', () => 1, () => [['3', 3], ['-1', -1], ['0.5', 0.5], ['NaN', NaN]]), fixed('started', () => true)], [bad('a step before reset()', () => [1, false])]),
  entry(['CatchEnv.reset', 'CatchEnv'], (a) => new lib.CatchEnv({ rng: () => a }).reset(), [fixed('rng value', () => 0.5)], [
    bad('rng returning 1', () => [1]),
    bad('rng returning NaN', () => [NaN]),
  ]),
  entry('playEpisodes', (e, p, n, o) => lib.playEpisodes(e, p, n, o), [
    custom('env', env, () => [['42', 42]]),
    fnP('policy', () => 1),
    int('episodes', 2, { max: 1_000_000 }),
    opts('opts', [int('frames', U, { max: 1024, optional: true })]),
  ], [bad('a policy returning 7', () => [env(), () => 7, 1, U])]),
  entry('playEveryStart', (e, p, o) => lib.playEveryStart(e, p, o), [
    custom('env', env, () => [['42', 42]]),
    fnP('policy', (obs: Float32Array[]) => obs.map(() => 1)),
    opts('opts', [int('frames', U, { max: 1024, optional: true })]),
  ], [
    bad('a policy returning one action too few', () => [env(), (obs: Float32Array[]) => obs.slice(1).map(() => 1), U]),
    bad('a policy returning 7s', () => [env(), (obs: Float32Array[]) => obs.map(() => 7), U]),
    bad('a board of size 400 (too many starts)', () => [new lib.CatchEnv({ size: 400, sideways: true }), (obs: Float32Array[]) => obs.map(() => 1), U]),
  ]),
  entry('discountedReturns', (r, g, b) => lib.discountedReturns(r, g, b), [
    array('rewards', () => [0, 1], { of: num('rewards[0]', 0), max: 100_000 }),
    num('gamma', 0.9, { min: 0, max: 1 }),
    num('bootstrap', U, { optional: true }),
  ]),
  entry('actorCriticLoss', (p, v, a, g, o) => lib.actorCriticLoss(p, v, a, g, o), [
    tensor('policy', () => tf.tensor2d([[0.5, 0.5]]), { rank: 2, finite: true, nonEmpty: true }),
    tensor('value', () => tf.tensor1d([0]), { finite: true, nonEmpty: true }),
    array('actions', () => [1], { of: int('actions[0]', 1, { min: 0, max: 1 }) }),
    array('returns', () => [1], { of: num('returns[0]', 1) }),
    opts('opts', [num('valueWeight', U, { min: 0, max: 1e6, optional: true }), num('entropyWeight', U, { min: 0, max: 1e6, optional: true })]),
  ], [
    bad('value of 2 rows for 1 policy row', () => [tf.tensor2d([[0.5, 0.5]]), tf.zeros([2, 1]), [1], [1], U]),
    bad('value of shape [1, 2]', () => [tf.tensor2d([[0.5, 0.5]]), tf.zeros([1, 2]), [1], [1], U]),
    bad('2 returns for 1 row', () => [tf.tensor2d([[0.5, 0.5]]), tf.zeros([1]), [1], [1, 1], U]),
  ]),
  entry('FrameStack', (k, h, w) => new lib.FrameStack(k, h, w), [int('k', 4, { max: 1024 }), int('height', 10), int('width', 10)], [
    bad('1024 frames of 4096 x 4096 (too many elements)', () => [1024, 4096, 4096]),
  ]),
  entry('FrameStack.reset', (f) => new lib.FrameStack(2, 10, 10).reset(f), [custom('frame', frame, () => [['99 values', new Float32Array(99)], ['42', 42]])]),
  entry('FrameStack.push', (f, started) => {
    const s = new lib.FrameStack(2, 10, 10);
    if (started) s.reset(frame());
    return s.push(f);
  }, [custom('frame', frame, () => [['99 values', new Float32Array(99)], ['a NaN value', new Float32Array(100).fill(NaN)]]), fixed('started', () => true)], [
    bad('push before reset', () => [frame(), false]),
  ]),
  entry('stackFrames', (f, h, w) => lib.stackFrames(f, h, w), [
    array('frames', () => [frame(), frame()], { of: custom('frames[0]', frame, () => [['99 values', new Float32Array(99)]]) }),
    int('height', 10),
    int('width', 10),
  ]),
  entry('preprocessFrame', (f, o) => lib.preprocessFrame(f, o), [
    tensor('frame', () => tf.zeros([20, 16, 3]), { rank: 3 }),
    opts('opts', [
      int('cropTop', U, { min: 0, optional: true }),
      int('cropBottom', U, { min: 0, optional: true }),
      custom('size', () => U, () => [['[84]', [84]], ['[0, 84]', [0, 84]], ['[1e5, 1e5] (too many elements)', [1e5, 1e5]]], { optional: true }),
      num('scale', U, { above: 0, optional: true }),
    ]),
  ], [
    bad('a frame of 2 channels', () => [tf.zeros([20, 16, 2]), U]),
    bad('crops that leave no row', () => [tf.zeros([20, 16, 3]), { cropTop: 10, cropBottom: 10 }]),
  ]),
  entry('ReplayBuffer', (c, s, o) => new lib.ReplayBuffer(c, s, o), [
    int('capacity', 10, { max: 2 ** 28 }),
    int('stateSize', 2, { max: 2 ** 28 }),
    opts('opts', [custom('seed', () => U, () => [['NaN', NaN], ['-1', -1]], { optional: true }), custom('rng', () => U, () => [['42', 42]], { optional: true, types: false })]),
  ], [bad('1e5 x 1e5 values (too many elements)', () => [1e5, 1e5, U])]),
  entry('ReplayBuffer.add', (t) => new lib.ReplayBuffer(4, 2).add(t), [
    opts('t', [
      custom('state', () => [0, 0], () => [['3 values', [0, 0, 0]], ['[NaN, 0]', [NaN, 0]]]),
      int('action', 1, { min: 0 }),
      num('reward', 0),
      custom('nextState', () => [0, 0], () => [['3 values', [0, 0, 0]], ['[0, Infinity]', [0, Infinity]]]),
      { name: 'done', valid: () => false, kind: { t: 'bool' } },
    ], { optional: false, valid: transition, open: true }),
  ]),
  entry('ReplayBuffer.sample', (b, filled) => {
    const buf = new lib.ReplayBuffer(4, 2);
    if (filled) buf.add(transition());
    return buf.sample(b);
  }, [int('batchSize', 2, { max: 2 ** 27 }), fixed('filled', () => true)], [bad('an empty buffer', () => [2, false])]),
];
