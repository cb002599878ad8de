// Sweep tables: gradient tools (statistics, saliency, Grad-CAM, receptive fields, attacks, adversarial
// training, memory probe, checkpointing).
import * as tf from '@tensorflow/tfjs';
import * as lib from '../../../lib/index';
import { array, bad, bool, custom, entry, fixed, fnP, int, labels, model, num, opts, str, tensor, throwing, type Entry, type Param } from './harness';
import { fixtures } from './fixtures';

const U = undefined;
const m = () => model('model', () => fixtures().model);
const xs = () => tensor('xs', () => fixtures().xs, { finite: true, nonEmpty: true });
const ys = () => labels('labels', () => fixtures().labels, 3);
const classIndex = (): Param =>
  custom('classIndex', () => U, () => [
    ['42 (of 3 classes)', 42],
    ['3 (of 3 classes)', 3],
    ['-1', -1],
    ['0.5', 0.5],
    ['NaN', NaN],
    ["'0'", '0'],
    ['[0] (one for 2 examples)', [0]],
    ['[0, 7]', [0, 7]],
  ], { optional: true, types: false });
const disposed = (shape: number[]) => {
  const t = tf.zeros(shape);
  t.dispose();
  return t;
};
const otherImages = () => tf.zeros([2, 5, 5, 1]);
const fitCases = (withLabels: boolean, rest: unknown[] = []) => [
  bad('xs of another image size', () => [fixtures().model, otherImages(), ...(withLabels ? [fixtures().labels] : []), ...rest]),
  bad('the logits model', () => [fixtures().logits, fixtures().xs, ...(withLabels ? [fixtures().labels] : []), ...rest], (r) => r !== undefined),
];

export const gradEntries: Entry[] = [
  entry('layerGradientStats', (mm, x, l, o) => lib.layerGradientStats(mm, x, l, o), [
    m(),
    xs(),
    ys(),
    opts('opts', [bool('training'), fnP('loss', U, true)]),
  ], [
    ...fitCases(true, [U]),
    bad('a loss returning a vector', () => [fixtures().model, fixtures().xs, fixtures().labels, { loss: (o: tf.Tensor) => tf.sum(o, 1) }]),
    bad('a loss returning a number', () => [fixtures().model, fixtures().xs, fixtures().labels, { loss: () => 1 }]),
    throwing('a loss that throws', () => [fixtures().model, fixtures().xs, fixtures().labels, { loss: () => { throw new Error('boom'); } }], 'boom'),
  ]),
  entry('saliencyMap', (mm, x, o) => lib.saliencyMap(mm, x, o), [m(), xs(), opts('opts', [classIndex()])], fitCases(false, [U])),
  entry('smoothGrad', (mm, x, o) => lib.smoothGrad(mm, x, o), [
    m(),
    xs(),
    opts('opts', [classIndex(), int('samples', U, { max: 100_000, optional: true }), num('noise', U, { min: 0, optional: true }), int('seed', U, { min: 0, optional: true })], { valid: () => ({ samples: 2 }) }),
  ]),
  entry('gradientTimesInput', (mm, x, o) => lib.gradientTimesInput(mm, x, o), [m(), xs(), opts('opts', [classIndex()])]),
  entry('integratedGradients', (mm, x, o) => lib.integratedGradients(mm, x, o), [
    m(),
    xs(),
    opts('opts', [
      classIndex(),
      custom('baseline', () => U, () => [
        ['a NaN baseline', tf.fill([2, 6, 6, 1], NaN)],
        ['a disposed tensor', disposed([2, 6, 6, 1])],
        ["'x'", 'x'],
        ['null', null],
      ], { optional: true, types: false }),
      int('steps', U, { max: 100_000, optional: true }),
      int('batchSize', U, { optional: true }),
    ], { valid: () => ({ steps: 4 }) }),
  ], [bad('a baseline of another shape', () => [fixtures().model, fixtures().xs, { baseline: tf.zeros([1, 6, 6, 1]), steps: 4 }])]),
  entry('gradCam', (mm, x, o) => lib.gradCam(mm, x, o), [
    m(),
    xs(),
    opts('opts', [custom('layerName', () => U, () => [['42', 42], ["'nope'", 'nope'], ["'dense' (not 4-D)", 'dense']], { optional: true, types: false }), classIndex(), bool('upsample')]),
  ]),
  entry('empiricalReceptiveField', (mm, o) => lib.empiricalReceptiveField(mm, o), [
    m(),
    opts('opts', [
      custom('layerName', () => U, () => [['42', 42], ["'nope'", 'nope']], { optional: true, types: false }),
      custom('unit', () => U, () => [['[9, 0, 0] (outside 4x4)', [9, 0, 0]], ['[0, 0]', [0, 0]], ['[0.5, 0, 0]', [0.5, 0, 0]], ['42', 42]], { optional: true, types: false }),
      int('trials', U, { max: 100_000, optional: true }),
      int('seed', U, { min: 0, optional: true }),
      str('method', U, ['auto', 'gradient', 'perturbation']),
    ], { valid: () => ({ trials: 1 }) }),
  ]),
  entry('fgsm', (mm, x, l, e) => lib.fgsm(mm, x, l, e), [m(), xs(), ys(), num('epsilon', 0.1, { min: 0, max: 1 })], fitCases(true, [0.1])),
  entry('pgd', (mm, x, l, e, o) => lib.pgd(mm, x, l, e, o), [
    m(),
    xs(),
    ys(),
    num('epsilon', 0.1, { min: 0, max: 1 }),
    opts('opts', [int('steps', U, { max: 100_000, optional: true }), num('alpha', U, { min: 0, max: 1, optional: true }), bool('randomStart'), int('seed', U, { min: 0, optional: true })], { valid: () => ({ steps: 2 }) }),
  ]),
  entry('deepfool', (mm, x, o) => lib.deepfool(mm, x, o), [
    m(),
    xs(),
    opts('opts', [num('overshoot', U, { min: 0, max: 1, optional: true }), int('maxIter', U, { max: 100_000, optional: true })], { valid: () => ({ maxIter: 2 }) }),
  ], fitCases(false, [U])),
  entry('epsilonSweep', (mm, x, l, e, o) => lib.epsilonSweep(mm, x, l, e, o), [
    m(),
    xs(),
    ys(),
    array('epsilons', () => [0, 0.1], { of: num('epsilons[0]', 0, { min: 0, max: 1 }) }),
    opts('opts', [str('attack', U, ['fgsm', 'pgd']), int('batchSize', U, { optional: true }), int('steps', U, { max: 100_000, optional: true }), int('seed', U, { min: 0, optional: true })], { valid: () => ({ steps: 2 }) }),
  ]),
  entry('adversarialTraining', (mm, x, l, o) => lib.adversarialTraining(mm, x, l, o), [
    m(),
    xs(),
    ys(),
    opts('opts', [
      num('epsilon', U, { min: 0, max: 1, optional: true }),
      num('adversarialWeight', U, { min: 0, max: 1, optional: true }),
      int('epochs', U, { max: 100_000, optional: true }),
      int('batchSize', U, { optional: true }),
      int('seed', U, { min: 0, optional: true }),
      fnP('onEpochEnd', U, true),
    ], { valid: () => ({ epochs: 1 }) }),
  ], [bad('a model that is not compiled', () => [fixtures().logits, fixtures().xs, fixtures().labels, { epochs: 1 }])]),
  entry(['memoryProbe', 'MemoryProbe'], (x) => lib.memoryProbe()(x), [tensor('x', () => tf.ones([2]))]),
  entry('MemoryProbe.reset', (b) => lib.memoryProbe().reset(b), [num('baseBytes', U, { min: 0, optional: true })]),
  entry('checkpointedGradients', (input, segs, head, hv, o) => lib.checkpointedGradients(input, segs, head, hv, o), [
    tensor('input', () => tf.ones([2, 3])),
    custom('segments', () => [{ apply: (h: tf.Tensor) => tf.relu(h), variables: [] }], () => [['[null]', [null]], ['[{ apply: 42 }]', [{ apply: 42, variables: [] }]]]),
    fnP('head', (h: tf.Tensor) => tf.sum(h)),
    custom('headVariables', () => [], () => [["['w']", ['w']]], { types: false }),
    opts('opts', [fnP('afterForward', U, true), custom('probe', () => U, () => [['42', 42]], { optional: true, types: false })]),
  ], [
    bad('a head returning a vector', () => [tf.ones([2, 3]), [{ apply: (h: tf.Tensor) => tf.relu(h), variables: [] }], (h: tf.Tensor) => tf.sum(h, 1), [], U]),
    bad('a segment returning a number', () => [tf.ones([2, 3]), [{ apply: () => 1, variables: [] }], (h: tf.Tensor) => tf.sum(h), [], U]),
    throwing('a head that throws', () => [tf.ones([2, 3]), [{ apply: (h: tf.Tensor) => tf.relu(h), variables: [] }], () => { throw new Error('boom'); }, [], U], 'boom'),
    throwing('a segment that throws in the backward pass', () => {
      let calls = 0;
      const apply = (h: tf.Tensor) => {
        if (++calls > 1) throw new Error('boom');
        return tf.relu(h);
      };
      return [tf.ones([2, 3]), [{ apply, variables: [] }], (h: tf.Tensor) => tf.sum(h), [], U];
    }, 'boom'),
  ]),
  entry('memoryProbe', () => lib.memoryProbe(), [fixed('none', () => U)]),
];
