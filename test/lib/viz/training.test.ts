import { describe, expect, it } from 'vitest';
import { trainingCurvesSpec } from '../../../lib/viz/training';
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
