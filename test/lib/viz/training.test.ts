import { describe, expect, it } from 'vitest';
import * as vega from 'vega';
import { compile } from 'vega-lite';
import { HOVER_PARAM, movingAverage, trainingCurvesSpec } from '../../../lib/viz/training';
import { marks, renderQuietly, rows } from './helpers';

describe('trainingCurvesSpec', () => {
  it('puts loss and accuracy in separate panels, train and validation as separate lines', async () => {
    const spec = trainingCurvesSpec({ loss: [1, 0.5], val_loss: [1.2, 0.7], acc: [0.6, 0.8], val_acc: [0.5, 0.75] });
    expect(marks(spec)).toEqual(['line', 'rule']); // the lines, and the hover rule
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

/** The tooltips of every rule mark in the rendered scene (the hover rules, one per panel and step). */
async function ruleTooltips(spec: object): Promise<Record<string, string>[]> {
  const view = new vega.View(vega.parse(compile(spec as never).spec), { renderer: 'none' });
  await view.runAsync();
  const out: Record<string, string>[] = [];
  const walk = (item: { items?: unknown[]; marktype?: string; tooltip?: Record<string, string> }) => {
    if (item.marktype === 'rule') for (const r of item.items as { tooltip?: Record<string, string> }[]) if (r.tooltip) out.push(r.tooltip);
    for (const i of (item.items ?? []) as never[]) walk(i);
  };
  walk((view.scenegraph() as unknown as { root: never }).root);
  view.finalize();
  return out;
}

describe('the hover of trainingCurvesSpec', () => {
  it("shows every line's value at the hovered epoch, in each panel", async () => {
    const h = { loss: [1, 0.5, 0.25], val_loss: [1.2, 0.7, 0.4], acc: [0.6, 0.8, 0.9], val_acc: [0.5, 0.75, 0.85] };
    const spec = trainingCurvesSpec(h);
    const layers = (spec.spec as { layer: { params?: { name: string; select: { nearest: boolean } }[] }[] }).layer;
    expect(layers[1].params?.[0]).toMatchObject({ name: HOVER_PARAM, select: { nearest: true } });
    expect((await renderQuietly(spec)).warnings).toEqual([]);
    const tips = await ruleTooltips(spec);
    // loss panel first, then accuracy; one tooltip per epoch with the history's numbers
    const expected = [
      ...h.loss.map((v, i) => ({ epoch: String(i + 1), train: String(v), validation: String(h.val_loss[i]) })),
      ...h.acc.map((v, i) => ({ epoch: String(i + 1), train: String(v), validation: String(h.val_acc[i]) })),
    ];
    expect(tips).toEqual(expected);
  });

  it('names runs with dots or brackets safely', async () => {
    const spec = trainingCurvesSpec([
      { name: 'lr 0.01', history: { loss: [1, 0.5] } },
      { name: 'w[1]', history: { loss: [2, 1.5] } },
    ], { x: 'step' });
    const tips = await ruleTooltips(spec);
    expect(tips).toEqual([
      { step: '1', 'lr 0.01 / train': '1', 'w[1] / train': '2' },
      { step: '2', 'lr 0.01 / train': '0.5', 'w[1] / train': '1.5' },
    ]);
  });
});

describe('trainingCurvesSpec on a log scale', () => {
  it('puts the y axis on a log scale and refuses values that are not positive', async () => {
    const spec = trainingCurvesSpec([{ name: 'conv1', history: { loss: [1e-3, 1e-1, 10] } }], { yScale: 'log' });
    const y = (spec.spec as { layer: { encoding: { y?: { scale: unknown } } }[] }).layer[0].encoding.y!;
    expect(y.scale).toEqual({ type: 'log' });
    expect((await renderQuietly(spec)).warnings).toEqual([]);
    expect(() => trainingCurvesSpec({ loss: [1, 0] }, { yScale: 'log' })).toThrow('trainingCurvesSpec: input must hold only positive values on a log scale, got 0');
    expect(() => trainingCurvesSpec({ loss: [1] }, { yScale: 'ln' as never })).toThrow("trainingCurvesSpec: opts.yScale must be 'linear' or 'log'");
  });
});
