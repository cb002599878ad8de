import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { miniGoogLeNet } from '../../../lib/models/mini-googlenet';
import { q1Cnn, q2Cnn } from '../../../lib/models/seed-cnns';
import { formatCount, modelDepth, parameterTable, summary } from '../../../lib/models/summary';

describe('summary', () => {
  it("prints Keras's layout for a sequential model: header, one row per layer, separated totals", () => {
    const m = q1Cnn();
    const text = summary(m, { print: false });
    const lines = text.split('\n');
    expect(lines[0]).toBe('Model: "q1_cnn"');
    expect(lines[2]).toMatch(/^ Layer \(type\) +Output Shape +Param #$/);
    expect(text).toMatch(/^ conv2d \(Conv2D\) +\(None, 26, 26, 32\) +320$/m);
    expect(text).toMatch(/^ flatten \(Flatten\) +\(None, 1600\) +0$/m);
    expect(text).toMatch(/^ dense_1 \(Dense\) +\(None, 10\) +650$/m);
    expect(text).toContain('Total params: 121,930\nTrainable params: 121,930\nNon-trainable params: 0');
    expect(text).not.toContain('Connected to');
    // Column alignment: every row's shape starts where the header's does.
    const col = lines[2].indexOf('Output Shape');
    expect(lines.filter((l) => l.includes('(None')).every((l) => l.indexOf('(None') === col)).toBe(true);
    m.dispose();
  });

  it('counts batch-norm moving statistics as non-trainable', () => {
    const m = q2Cnn({ inputShape: [32, 32, 3] });
    const text = summary(m, { print: false });
    const nonTrainable = 2 * (32 + 64 + 128);
    const total = m.countParams();
    expect(text).toContain(`Total params: ${formatCount(total)}`);
    expect(text).toContain(`Trainable params: ${formatCount(total - nonTrainable)}`);
    expect(text).toContain(`Non-trainable params: ${formatCount(nonTrainable)}`);
    m.dispose();
  });

  it('adds a Connected to column for branching models, and returns what it printed', () => {
    const m = miniGoogLeNet({ inputShape: [32, 32, 3], classes: 10 });
    const logs: string[] = [];
    const orig = console.log;
    console.log = (s: string) => logs.push(s);
    let text: string;
    try {
      text = summary(m);
    } finally {
      console.log = orig;
    }
    expect(logs).toEqual([text]);
    expect(text).toMatch(/Layer \(type\) +Output Shape +Param # +Connected to/);
    expect(text).toMatch(/^ inception3a_concat \(Concatenate\) +\(None, 8, 8, 256\) +0 +inception3a_1x1\[0\]\[0\]\n +inception3a_3x3\[0\]\[0\]\n/m);
    m.dispose();
  });

  it('formats counts with thousands separators', () => {
    expect(formatCount(0)).toBe('0');
    expect(formatCount(121930)).toBe('121,930');
    expect(formatCount(138357544)).toBe('138,357,544');
  });

  it('rejects what is not a model', () => {
    expect(() => summary({} as never)).toThrow('summary: model must be a tf.LayersModel (tf.sequential or tf.model), got {}');
  });
});

describe('parameterTable', () => {
  it('has one row per layer whose params add up to countParams, with trainable parts', () => {
    const m = q2Cnn({ inputShape: [32, 32, 3] });
    const rows = parameterTable(m);
    expect(rows.map((r) => r.name)).toEqual(m.layers.map((l) => l.name));
    expect(rows.reduce((s, r) => s + r.params, 0)).toBe(m.countParams());
    const bn1 = rows.find((r) => r.name === 'bn1')!;
    expect(bn1).toMatchObject({ className: 'BatchNormalization', params: 4 * 32, trainable: 2 * 32, outputShape: [null, 32, 32, 32] });
    expect(rows.find((r) => r.name === 'conv1')).toMatchObject({ params: (27 + 1) * 32, trainable: (27 + 1) * 32 });
    m.dispose();
  });

  it('lists the inputs of each layer', () => {
    const m = miniGoogLeNet({ inputShape: [32, 32, 3], classes: 10 });
    const rows = parameterTable(m);
    expect(rows.find((r) => r.name === 'inception3a_3x3')!.inbound).toEqual(['inception3a_3x3_reduce']);
    expect(rows.find((r) => r.name === 'inception3a_concat')!.inbound).toEqual([
      'inception3a_1x1', 'inception3a_3x3', 'inception3a_5x5', 'inception3a_pool_proj',
    ]);
    m.dispose();
  });
});

describe('modelDepth', () => {
  it('counts weight layers on the longest path', () => {
    const q1 = q1Cnn();
    expect(modelDepth(q1)).toBe(4); // conv, conv, dense, dense
    q1.dispose();
    const g = miniGoogLeNet({ inputShape: [32, 32, 3], classes: 10 });
    expect(modelDepth(g)).toBe(1 + 2 + 2 + 1); // stem, two convs per module, dense
    g.dispose();
    const x = tf.input({ shape: [4] });
    const a = tf.layers.dense({ units: 3 }).apply(x) as tf.SymbolicTensor;
    const b = tf.layers.dense({ units: 3 }).apply(tf.layers.dense({ units: 3 }).apply(x)) as tf.SymbolicTensor;
    const m = tf.model({ inputs: x, outputs: tf.layers.add().apply([a, b]) as tf.SymbolicTensor });
    expect(modelDepth(m)).toBe(2);
    m.dispose();
  });
});

describe('checkModel, the one model check of models/ and grad/', () => {
  it('gives the same one-line message from a model tool and a gradient tool', async () => {
    const { saliencyMap } = await import('../../../lib/grad/saliency');
    const { checkModel } = await import('../../../lib/models/check-model');
    const msg = (fn: string) => `${fn}: model must be a tf.LayersModel (tf.sequential or tf.model), got {}`;
    expect(() => checkModel('summary', {})).toThrow(msg('summary'));
    expect(() => saliencyMap({} as never, tf.zeros([1, 2]))).toThrow(msg('saliencyMap'));
  });
});
