// bench.ts's convMsPerStep times the convolution kernels of one training step, each alone: the
// floor under a step that the README's speed section rests on. It must time exactly the
// convolution kernels (names and input shapes) that a real trainOnBatch runs, no more, no fewer.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { BENCH_MODELS, convMsPerStep } from '../../bench/bench';

const CONV = new Set(['Conv2D', 'Conv2DBackpropFilter', 'Conv2DBackpropInput', '_FusedConv2D']);
const key = (k: { name: string; inputShapes: (number[] | null)[] }) =>
  `${k.name} ${JSON.stringify(k.inputShapes.filter((s) => s !== null))}`;

describe('convMsPerStep', () => {
  for (const name of ['q1', 'q7'] as const) {
    it(`times the convolution kernels of a ${name} training step`, async () => {
      const model = BENCH_MODELS[name]();
      model.compile({ optimizer: tf.train.adam(), loss: 'categoricalCrossentropy' });
      const x = tf.randomUniform([32, 28, 28, 1]);
      const y = tf.oneHot(tf.randomUniform([32], 0, 10, 'int32'), 10).toFloat();
      const step = await tf.profile(() => model.trainOnBatch(x, y));
      const stepConvs = step.kernels.filter((k) => CONV.has(k.name)).map(key).sort();
      let ms = 0;
      const timed = await tf.profile(() => {
        ms = convMsPerStep(model, 32, 1);
      });
      // each kernel runs once to make dy, then bestTimeMs's warm-up and timed run: keep one of each
      const timedConvs = [...new Set(timed.kernels.filter((k) => CONV.has(k.name)).map(key))].sort();
      expect(timedConvs).toEqual([...new Set(stepConvs)].sort());
      // Q1: 2 convs forward and filter-gradient, 1 input gradient; Q7: 3, 3 and 2
      expect(stepConvs).toHaveLength(name === 'q1' ? 5 : 8);
      expect(ms).toBeGreaterThan(0);
      tf.dispose([x, y]);
      model.dispose();
    });
  }
});
