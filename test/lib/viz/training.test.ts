import { describe, expect, it } from 'vitest';
import { movingAverage, trainingCurvesSpec } from '../../../lib/viz/training';
import { marks, renderQuietly, rows } from './helpers';

describe('trainingCurvesSpec', () => {
  it('puts loss and accuracy in separate panels, train and validation as separate lines', async () => {
    const spec = trainingCurvesSpec({ loss: [1, 0.5], val_loss: [1.2, 0.7], acc: [0.6, 0.8], val_acc: [0.5, 0.75] });
    expect(marks(spec)).toEqual(['line']);
    const r = rows(spec);
    expect(r).toHaveLength(8);
    expect(new Set(r.map((p) => p.panel))).toEqual(new Set(['loss', 'accuracy']));
    expect(r.find((p) => p.panel === 'accuracy' && p.series === 'validation' && p.step === 2)!.value).toBe(0.75);
    expect((spec.facet as { column: { sort: string[] } }).column.sort).toEqual(['loss', 'accuracy']);
    expect(spec.resolve).toEqual({ scale: { y: 'independent' } });
    expect((await renderQuietly(spec)).warnings).toEqual([]);
  });

  it('overlays named runs and accepts curve points (fractional steps for batches)', async () => {
    const runs = trainingCurvesSpec([
      { name: 'relu', history: { loss: [1, 0.5] } },
      { name: 'sigmoid', history: { loss: [2, 1.9] } },
    ]);
    expect(new Set(rows(runs).map((p) => p.series))).toEqual(new Set(['relu / train', 'sigmoid / train']));
    const pts = trainingCurvesSpec([
      { step: 0.5, panel: 'loss', series: 'train (batch)', value: 1 },
      { step: 1, panel: 'loss', series: 'train', value: 0.8 },
    ], { title: 'live', subtitle: 'epoch 1/2' });
    expect(pts.title).toEqual({ text: 'live', subtitle: 'epoch 1/2' });
    expect((await renderQuietly(pts)).warnings).toEqual([]);
  });

  it('rejects non-finite values and empty input', () => {
    expect(() => trainingCurvesSpec({ loss: [1, NaN] })).toThrow('trainingCurvesSpec: history.loss must contain only finite numbers (index 1), got NaN');
    expect(() => trainingCurvesSpec({})).toThrow('trainingCurvesSpec: input must contain at least one value, got {}');
  });
});

describe('movingAverage', () => {
  it('averages the last span values, fewer at the start', () => {
    expect(movingAverage([1, 2, 3, 4], 2)).toEqual([1, 1.5, 2.5, 3.5]);
    expect(movingAverage([4, 8, 6], 5)).toEqual([4, 6, 6]);
    expect(movingAverage([], 3)).toEqual([]);
    // Against the definition, on a longer series.
    const xs = Array.from({ length: 50 }, (_, i) => Math.sin(i) * 10);
    const def = xs.map((_, i) => {
      const w = xs.slice(Math.max(0, i - 6), i + 1);
      return w.reduce((a, b) => a + b, 0) / w.length;
    });
    movingAverage(xs, 7).forEach((v, i) => expect(v).toBeCloseTo(def[i], 10));
  });
  it('rejects a bad span or a non-finite value', () => {
    expect(() => movingAverage([1, 2], 0)).toThrow('movingAverage: span must be a positive integer, got 0');
    expect(() => movingAverage([1, NaN], 2)).toThrow('movingAverage: values must contain only finite numbers (index 1), got NaN');
  });
});
