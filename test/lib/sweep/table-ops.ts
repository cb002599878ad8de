// Sweep tables: errors/check vocabulary, the seeded generator, timing, and the hand-written ops.
import * as lib from '../../../lib/index';
import { array, bad, bool, covering, custom, entry, fixed, fnP, int, nd, num, opts, pair, shape, str, throwing, type Entry, type Param } from './harness';

const U = undefined;
const img = () => lib.ndRandom([1, 4, 4, 2], { seed: 1 });
const k3 = () => lib.ndRandom([3, 3, 2, 2], { seed: 2 });
const dw3 = () => lib.ndRandom([3, 3, 2, 1], { seed: 4 });
const pool2dy = () => lib.ndZeros([1, 2, 2, 2]);
const conv2dy = () => lib.ndZeros([1, 2, 2, 2]);
const mat = (r: number, c: number) => () => lib.ndRandom([r, c], { seed: r * 10 + c });

const safeSeed = (name: string, valid: unknown, optional = true): Param =>
  custom(name, () => valid, () => [['NaN', NaN], ['Infinity', Infinity], ['2.5', 2.5], ['2^53', 2 ** 53]], { optional });
const padding = (name: string): Param =>
  custom(name, () => U, () => [['-1', -1], ['2.5', 2.5], ["'full'", 'full'], ['[[0, 1]]', [[0, 1]]], ['1e9 (too many elements)', 1e9]], { optional: true });
const convOpts = (withGroups: boolean, withBias: number | false) =>
  opts('opts', [
    pair('strides', U, true),
    padding('padding'),
    pair('dilations', U, true),
    ...(withGroups ? [int('groups', U, { optional: true })] : []),
    ...(withBias ? [array('bias', () => new Array(withBias).fill(0), { of: num('bias[0]', 0), optional: true })] : []),
  ]);
const poolOpts = () => opts('opts', [pair('strides', U, true), padding('padding')]);
const perChannel = (name: string, optional = false) => array(name, () => [0, 0], { of: num(`${name}[0]`, 0), optional });
const layerList = () => [{ type: 'conv2d', filters: 4, kernelSize: 3 }, { type: 'maxPooling2d' }, { type: 'flatten' }, { type: 'dense', units: 2 }];
const layersP = () =>
  custom('layers', layerList, () => [
    ['[null]', [null]],
    ["[{ type: 'bogus' }]", [{ type: 'bogus' }]],
    ['[a conv with filters 0]', [{ type: 'conv2d', filters: 0, kernelSize: 3 }]],
    ['[a conv with kernel 30 on 20x20]', [{ type: 'conv2d', filters: 2, kernelSize: 30 }]],
    ["[a conv with useBias 'no']", [{ type: 'conv2d', filters: 2, kernelSize: 3, useBias: 'no' }]],
    ["[a dense with useBias 'no']", [{ type: 'dense', units: 2, useBias: 'no' }]],
  ]);
// An empty stack is a stack: no rows, 0 parameters, 0 FLOPs.
const EMPTY_STACK = ['layers an array'];
const inShape = () => shape('inputShape', () => [20, 20, 1]);

export const checkAndErrorEntries: Entry[] = [
  covering('checkPositiveInt', entry('f', (v) => lib.checkPositiveInt('f', 'a', v), [int('value', 3)])),
  covering('checkNonNegativeInt', entry('f', (v) => lib.checkNonNegativeInt('f', 'a', v), [int('value', 0, { min: 0 })])),
  covering('checkFinite', entry('f', (v) => lib.checkFinite('f', 'a', v), [num('value', 0.5)])),
  covering('checkInRange', entry('f', (v) => lib.checkInRange('f', 'a', v, 0, 1), [num('value', 0.5, { min: 0, max: 1 })])),
  covering('checkOneOf', entry('f', (v) => lib.checkOneOf('f', 'a', v, ['p', 'q']), [str('value', 'p', ['p', 'q'], false)])),
  covering('checkOptionKeys', entry('f', (v) => lib.checkOptionKeys('f', 'opts', v, ['p']), [opts('value', [fixed('p', () => 1)])])),
  covering('checkRank', entry('f', (v) => lib.checkRank('f', 'x', v, 2), [custom('shape', () => [2, 3], () => [['[2] (rank 1)', [2]]])])),
  covering('checkAllFinite', entry('f', (v) => lib.checkAllFinite('f', 'x', v), [custom('values', () => [1, 2], () => [['[NaN]', [NaN]], ['[1, Infinity]', [1, Infinity]]])], [], [
    'values an array', // [] holds no non-finite number
  ])),
  covering('checkElementCount', entry('f', (n) => lib.checkElementCount('f', 'shape', n), [custom('count', () => 2 ** 28, () => [['2^28 + 1', 2 ** 28 + 1], ['NaN', NaN], ['1e18', 1e18]], { types: false })])),
  covering('checkBoolean', entry('f', (v) => lib.checkBoolean('f', 'a', v), [{ name: 'value', valid: () => true, kind: { t: 'bool' } }])),
  covering('checkString', entry('f', (v) => lib.checkString('f', 'a', v), [str('value', 'x', undefined, false)])),
  covering('checkFunction', entry('f', (v) => lib.checkFunction('f', 'a', v), [fnP('value', () => 1)])),
  covering('checkNumbers', entry('f', (v, m) => lib.checkNumbers('f', 'a', v, m), [
    custom('value', () => [1, 2], () => [['[NaN]', [NaN]], ["['1']", ['1']], ['[1, Infinity]', [1, Infinity]]]),
    fixed('minLength', () => 1),
  ], [bad('an empty array with minLength 1', () => [[], 1])])),
  covering('checkShape', entry('f', (a, b) => lib.checkShape('f', 'x', a, b), [
    custom('actual', () => [2, 3], () => [['[3, 2]', [3, 2]]]),
    fixed('expected', () => [2, 3]),
  ])),
];

export const randomTimingEntries: Entry[] = [
  entry('seededRandom', (s) => lib.seededRandom(s), [safeSeed('seed', 1, false)]),
  entry('seed', (n) => lib.seed(n), [safeSeed('n', 20261202, false)]),
  entry('overSeeds', (s, r) => lib.overSeeds(s, r), [
    custom('seeds', () => [1, 2], () => [['[]', []], ['[1, 1]', [1, 1]], ['[2.5]', [2.5]], ['[NaN]', [NaN]], ["['1']", ['1']]]),
    fnP('run', () => 0.5),
  ], [
    bad('a run that returns NaN', () => [[1], () => NaN]),
    bad('a run that returns an empty array', () => [[1], () => []]),
    bad('runs that return arrays of different lengths', () => [[1, 2], (s: number) => (s === 1 ? [1] : [1, 2])]),
    throwing('a run that throws', () => [[1], () => { throw new Error('boom'); }], 'boom'),
  ]),
  entry('bestTimeMs', (run, o) => lib.bestTimeMs(run, o), [
    fnP('run', () => 0),
    opts('opts', [int('repeats', 1, { max: 100_000, optional: true }), int('warmup', 0, { min: 0, max: 100_000, optional: true })], { valid: () => ({ repeats: 1, warmup: 0 }) }),
  ]),
  entry('bestTimesMs', (runs, o) => lib.bestTimesMs(runs, o), [
    array('runs', () => [() => 0], { of: fnP('runs[0]', () => 0) }),
    opts('opts', [int('repeats', 1, { max: 100_000, optional: true }), int('warmup', 0, { min: 0, max: 100_000, optional: true })], { valid: () => ({ repeats: 1, warmup: 0 }) }),
  ]),
];

export const opsEntries: Entry[] = [
  entry('shapeSize', (s) => lib.shapeSize(s), [custom('shape', () => [2, 3], () => [['[NaN]', [NaN]], ['[-1]', [-1]], ['[2.5]', [2.5]], ["['2']", ['2']]], { types: true })], [], [
    'shape an array', // [] is the scalar shape: 1 element
  ]),
  entry('ndarray', (v, s) => lib.ndarray(v, s), [
    custom('values', () => [1, 2, 3, 4], () => [['[NaN, 1, 2, 3]', [NaN, 1, 2, 3]], ['[1, 2, 3] (3 for 4)', [1, 2, 3]], ["['1', 2, 3, 4]", ['1', 2, 3, 4]]]),
    shape('shape', () => [2, 2], { optional: true, max: true }),
  ], [
    bad('ragged nested values', () => [[[1, 2], [3]], U]),
    bad('an empty nested array', () => [[[]], U]),
    bad('an empty flat array', () => [new Float32Array(0), U]),
  ]),
  entry('ndZeros', (s) => lib.ndZeros(s), [shape('shape', () => [2, 2], { max: true })]),
  entry('ndReshape', (x, s) => lib.ndReshape(x, s), [nd('x', () => lib.ndZeros([2, 2])), shape('shape', () => [4])], [bad('shape [3] for 4 elements', () => [lib.ndZeros([2, 2]), [3]])]),
  entry('ndToArray', (x, o) => lib.ndToArray(x, o), [nd('x', () => lib.ndZeros([2, 2])), opts('opts', [bool('squeeze')])]),
  entry('maxAbsDiff', (a, b) => lib.maxAbsDiff(a, b), [
    custom('a', () => lib.ndZeros([2]), () => [['42', 42]]),
    custom('b', () => lib.ndZeros([2]), () => [['42', 42], ['shape [3]', lib.ndZeros([3])]]),
  ]),
  entry('ndRandom', (s, o) => lib.ndRandom(s, o), [
    shape('shape', () => [2, 2], { max: true }),
    opts('opts', [safeSeed('seed', U), num('low', U, { optional: true }), num('high', U, { optional: true })]),
  ], [bad('low >= high', () => [[2], { low: 1, high: 1 }])]),
  entry('convOutputSize', (i, k, o) => lib.convOutputSize(i, k, o), [
    int('inputSize', 28),
    int('kernelSize', 3),
    opts('opts', [int('strides', U, { optional: true }), padding('padding'), int('dilations', U, { optional: true })]),
  ], [
    bad("opts 'same' (a string, not { padding: 'same' })", () => [28, 3, 'same']),
    bad('kernel 30 on 28', () => [28, 30, U]),
    bad('dilated kernel 3 x 20 on 28', () => [28, 3, { dilations: 20 }]),
  ], [
    'opts .padding 1e9 (too many elements)', // arithmetic only: the answer 2e9 + 26 is correct
  ]),
  entry('conv2d', (x, w, o) => lib.conv2d(x, w, o), [nd('x', img, 4), nd('w', k3, 4), convOpts(true, 2)], [
    bad('w with 3 input channels for x with 2', () => [img(), lib.ndRandom([3, 3, 3, 2]), U]),
    bad('kernel 5 on 4x4', () => [img(), lib.ndRandom([5, 5, 2, 2]), U]),
  ]),
  entry('conv2dBackward', (x, w, dy, o) => lib.conv2dBackward(x, w, dy, o), [nd('x', img, 4), nd('w', k3, 4), nd('dy', conv2dy, 4), convOpts(true, 2)], [
    bad('dy of the wrong shape', () => [img(), k3(), lib.ndZeros([1, 3, 3, 2]), U]),
  ]),
  entry('depthwiseConv2d', (x, w, o) => lib.depthwiseConv2d(x, w, o), [nd('x', img, 4), nd('w', dw3, 4), convOpts(false, 2)], [
    bad('w for 3 channels', () => [img(), lib.ndRandom([3, 3, 3, 1]), U]),
  ]),
  entry('depthwiseConv2dBackward', (x, w, dy, o) => lib.depthwiseConv2dBackward(x, w, dy, o), [nd('x', img, 4), nd('w', dw3, 4), nd('dy', conv2dy, 4), convOpts(false, 2)]),
  entry('im2col', (x, k, o) => lib.im2col(x, k, o), [nd('x', img, 4), pair('kernelSize', 3), opts('opts', [pair('strides', U, true), padding('padding'), pair('dilations', U, true)])], [
    bad('kernel 5 on 4x4', () => [img(), 5, U]),
  ]),
  entry('matMul', (a, b) => lib.matMul(a, b), [nd('a', mat(2, 3), 2), nd('b', mat(3, 2), 2)], [bad('inner sizes 3 and 2', () => [mat(2, 3)(), mat(2, 2)()])]),
  entry('conv2dIm2col', (x, w, o) => lib.conv2dIm2col(x, w, o), [
    nd('x', img, 4),
    nd('w', k3, 4),
    opts('opts', [pair('strides', U, true), padding('padding'), pair('dilations', U, true), array('bias', () => [0, 0], { of: num('bias[0]', 0), optional: true })]),
  ]),
  ...(['maxPool2d', 'avgPool2d', 'maxPool2dWithArgmax'] as const).map((name) =>
    entry(name, (x, p, o) => (lib[name] as (...a: unknown[]) => unknown)(x, p, o), [nd('x', img, 4), pair('poolSize', 2), poolOpts()], [
      bad('pool 5 on 4x4', () => [img(), 5, U]),
      bad('padding as large as the pool', () => [img(), 2, { padding: 2 }]),
    ]),
  ),
  ...(['maxPool2dBackward', 'avgPool2dBackward'] as const).map((name) =>
    entry(name, (x, dy, p, o) => (lib[name] as (...a: unknown[]) => unknown)(x, dy, p, o), [nd('x', img, 4), nd('dy', pool2dy, 4), pair('poolSize', 2), poolOpts()], [
      bad('dy of the wrong shape', () => [img(), lib.ndZeros([1, 3, 3, 2]), 2, U]),
    ]),
  ),
  entry('globalAvgPool2d', (x) => lib.globalAvgPool2d(x), [nd('x', img, 4)]),
  entry('globalMaxPool2d', (x) => lib.globalMaxPool2d(x), [nd('x', img, 4)]),
  entry('dense', (x, w, b) => lib.dense(x, w, b), [nd('x', mat(2, 3), 2), nd('w', mat(3, 2), 2), array('b', () => [0, 0], { of: num('b[0]', 0), optional: true })], [
    bad('w for 4 inputs', () => [mat(2, 3)(), mat(4, 2)(), U]),
    bad('b of 3 for 2 outputs', () => [mat(2, 3)(), mat(3, 2)(), [0, 0, 0]]),
  ]),
  entry('denseBackward', (x, w, dy) => lib.denseBackward(x, w, dy), [nd('x', mat(2, 3), 2), nd('w', mat(3, 2), 2), nd('dy', mat(2, 2), 2)]),
  entry('relu', (x) => lib.relu(x), [nd('x', img)]),
  entry('reluBackward', (x, dy) => lib.reluBackward(x, dy), [nd('x', img), nd('dy', img)], [bad('dy of another shape', () => [img(), lib.ndZeros([2])])]),
  entry('sigmoid', (x) => lib.sigmoid(x), [nd('x', img)]),
  entry('softmax', (x) => lib.softmax(x), [nd('x', img)]),
  entry('lrn', (x, o) => lib.lrn(x, o), [
    nd('x', img, 4),
    opts('opts', [int('depthRadius', U, { min: 0, optional: true }), num('bias', U, { above: 0, optional: true }), num('alpha', U, { min: 0, optional: true }), num('beta', U, { min: 0, optional: true })]),
  ]),
  entry('batchNorm', (x, m, v, o) => lib.batchNorm(x, m, v, o), [
    nd('x', img),
    perChannel('mean'),
    custom('variance', () => [1, 1], () => [['[-1, 1]', [-1, 1]], ['[NaN, 1]', [NaN, 1]], ['[1]', [1]]]),
    opts('opts', [perChannel('offset', true), perChannel('scale', true), num('varianceEpsilon', U, { above: 0, optional: true })]),
  ]),
  entry('batchMoments', (x) => lib.batchMoments(x), [nd('x', img)], [bad('rank 1', () => [lib.ndZeros([3])])]),
  entry('batchNormTraining', (x, o) => lib.batchNormTraining(x, o), [
    nd('x', img),
    opts('opts', [perChannel('gamma', true), perChannel('beta', true), num('epsilon', U, { above: 0, optional: true })]),
  ]),
  entry('updateMovingMoments', (m, b, mom) => lib.updateMovingMoments(m, b, mom), [
    custom('moving', () => lib.batchMoments(img()), () => [['{ mean: [0] } (no variance)', { mean: new Float32Array(2) }]]),
    custom('batch', () => lib.batchMoments(img()), () => [['moments of 3 channels', lib.batchMoments(lib.ndZeros([2, 3]))]]),
    num('momentum', U, { min: 0, max: 1, optional: true }),
  ]),
  entry('squash', (s, o) => lib.squash(s, o), [nd('s', img), opts('opts', [num('epsilon', U, { above: 0, optional: true })])]),
  ...(['layerShapes', 'layerStats', 'paramCount', 'flopCount'] as const).map((name) =>
    entry(name, (i, l) => (lib[name] as (...a: unknown[]) => unknown)(i, l), [inShape(), layersP()], [], EMPTY_STACK),
  ),
  entry('activationMemory', (i, l, o) => lib.activationMemory(i, l, o), [
    inShape(),
    layersP(),
    opts('opts', [int('batchSize', U, { optional: true }), int('bytesPerElement', U, { optional: true }), bool('includeInput')]),
  ], [], EMPTY_STACK),
  entry('conv2dParamCount', (k, c, f, o) => lib.conv2dParamCount(k, c, f, o), [pair('kernelSize', 3), int('inChannels', 4), int('filters', 8), opts('opts', [bool('useBias'), int('groups', U, { optional: true })])], [
    bad('groups 3 for 4 channels', () => [3, 4, 8, { groups: 3 }]),
  ]),
  entry('denseParamCount', (i, u, o) => lib.denseParamCount(i, u, o), [int('inputs', 10), int('units', 2), opts('opts', [bool('useBias')])]),
  entry('receptiveField', (l, o) => lib.receptiveField(l, o), [
    custom('layers', () => [{ kernelSize: 3 }, { kernelSize: 3, strides: 2 }], () => [
      ['[null]', [null]],
      ['[{ kernelSize: 0 }]', [{ kernelSize: 0 }]],
      ["[{ type: 'dense' }]", [{ type: 'dense', units: 2 }]],
    ]),
    opts('opts', [str('axis', U, ['height', 'width'])]),
  ], [], EMPTY_STACK),
];
