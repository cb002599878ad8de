import * as tf from '@tensorflow/tfjs';
import { createRequire } from 'module';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  encodeBundle,
  html,
  inKernel,
  LiveDisplay,
  plotlyBundle,
  show,
  showPlotly,
  showVegaLite,
  trainingMonitor,
  vegaLiteBundle,
} from '../../lib/display';
import { imageGrid } from '../../lib/viz/images';
import { PLOTLY_MIME, plotlyHeatmapSpec } from '../../lib/viz/plotly';
import { VEGA_LITE_MIME } from '../../lib/viz/render';

// tslab's hook for the running cell: setting it makes display.ts believe it runs in a kernel.
const jupyter = createRequire(__filename)('tslab/dist/jupyter') as { lastWriteDisplayData: unknown };
interface Write {
  content: { data: Record<string, unknown>; transient: { display_id?: string } };
  update: boolean;
}
function fakeKernel(): Write[] {
  const writes: Write[] = [];
  jupyter.lastWriteDisplayData = (content: Write['content'], update: boolean) => writes.push({ content, update });
  return writes;
}
afterEach(() => {
  jupyter.lastWriteDisplayData = null;
  vi.restoreAllMocks();
});

const digit = { values: [0, 1, 1, 0], height: 2, width: 2, title: 'x' };

describe('encodeBundle', () => {
  it('sends bytes as base64, JSON types as objects, text as strings, and adds text/plain', () => {
    const data = encodeBundle({ 'image/png': new Uint8Array([1, 2, 3]), 'application/vnd.vegalite.v5+json': { mark: 'bar' }, 'text/html': '<b>x</b>' });
    expect(data['image/png']).toBe('AQID');
    expect(data['application/vnd.vegalite.v5+json']).toEqual({ mark: 'bar' });
    expect(data['text/html']).toBe('<b>x</b>');
    expect(data['text/plain']).toBe('<figure: image/png, application/vnd.vegalite.v5+json, text/html>');
  });

  it('rejects empty bundles, bad MIME keys and objects under non-JSON types', () => {
    expect(() => encodeBundle({})).toThrow('encodeBundle: bundle must have at least one MIME type, got {}');
    expect(() => encodeBundle({ png: 'x' })).toThrow('encodeBundle: bundle keys must be MIME types like image/png, got "png"');
    expect(() => encodeBundle({ 'image/svg+xml': {} })).toThrow("encodeBundle: bundle['image/svg+xml'] must be a string or bytes");
  });
});

describe('show outside and inside a kernel', () => {
  it('prints the text/plain part outside a kernel', () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    expect(inKernel()).toBe(false);
    show({ 'image/svg+xml': '<svg/>', 'text/plain': 'a figure' });
    html('<table><tr><td>1</td></tr></table>');
    expect(log.mock.calls.map((c) => c[0])).toEqual(['a figure', '1']);
  });

  it('sends a Vega-Lite figure as one display_data with spec, SVG, PNG and text', async () => {
    const writes = fakeKernel();
    const spec = imageGrid([digit], { title: 'digits' });
    await showVegaLite(spec);
    expect(writes).toHaveLength(1);
    const data = writes[0].content.data;
    expect(Object.keys(data).sort()).toEqual([VEGA_LITE_MIME, 'image/png', 'image/svg+xml', 'text/plain'].sort());
    expect(data[VEGA_LITE_MIME]).toBe(spec);
    expect(String(data['image/svg+xml'])).toMatch(/^<svg/);
    expect(Buffer.from(String(data['image/png']), 'base64').subarray(1, 4).toString()).toBe('PNG');
    expect(data['text/plain']).toBe('<Vega-Lite figure: digits>');
  });

  it('replaces a LiveDisplay in place: one display id, update after the first', () => {
    const writes = fakeKernel();
    const live = new LiveDisplay();
    live.update({ 'text/plain': 'a' });
    live.update({ 'text/plain': 'b' });
    expect(writes.map((w) => w.update)).toEqual([false, true]);
    expect(new Set(writes.map((w) => w.content.transient.display_id))).toEqual(new Set([live.id]));
  });
});

describe('plotly', () => {
  const fig = plotlyHeatmapSpec({ values: [1, 2, 3, 4], shape: [2, 2] }, { title: 'x </script><script>alert(1)</script>' });

  it('bundles the plotly JSON, HTML with a static fallback image, SVG and PNG', async () => {
    const b = await plotlyBundle(fig);
    expect(b[PLOTLY_MIME]).toEqual({ data: fig.data, layout: fig.layout });
    const page = String(b['text/html']);
    expect(page).toContain('<img alt="static view of the figure" src="data:image/png;base64,');
    expect(page).toContain('window.Plotly.newPlot');
    expect(page.length).toBeLessThan(100_000);
    // The title is data: it cannot close the script element.
    expect(page.match(/<\/script>/g)).toHaveLength(1);
    expect(page).toContain('\\u003c/script>');
    expect(String(b['image/svg+xml'])).toContain('&lt;/script&gt;');
  });

  it('inlines plotly.js in the first figure of a kernel session only', async () => {
    const writes = fakeKernel();
    await showPlotly(fig);
    await showPlotly(fig);
    const [first, second] = writes.map((w) => String(w.content.data['text/html']));
    expect(first.length).toBeGreaterThan(1_000_000);
    expect(first).toContain('window.Plotly = Plotly');
    expect(second.length).toBeLessThan(100_000);
    expect(second).not.toContain('window.Plotly = Plotly');
  });
});

describe('trainingMonitor', () => {
  function tinyModel() {
    const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [4], units: 3, activation: 'softmax' })] });
    model.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    return model;
  }

  it('updates one display in place during fit and ends on the final frame', async () => {
    const writes = fakeKernel();
    const model = tinyModel();
    const xs = tf.randomNormal([32, 4], 0, 1, 'float32', 1);
    const ys = tf.oneHot(tf.tensor1d(Array.from({ length: 32 }, (_, i) => i % 3), 'int32'), 3);
    const monitor = trainingMonitor({ title: 'tiny', every: 'batch', minIntervalMs: 0 });
    await model.fit(xs, ys, { epochs: 2, batchSize: 8, validationSplit: 0.25, callbacks: monitor, verbose: 0 });
    expect(new Set(writes.map((w) => w.content.transient.display_id)).size).toBe(1);
    expect(writes[0].update).toBe(false);
    expect(writes.slice(1).every((w) => w.update)).toBe(true);
    const texts = writes.map((w) => String(w.content.data['text/plain']));
    expect(texts.some((t) => /epoch 1\/2 .*ETA/.test(t))).toBe(true);
    expect(texts[texts.length - 1]).toMatch(/^tiny: done: 2 epochs in .* \| final loss \d/);
    const last = writes[writes.length - 1].content.data;
    expect(last[VEGA_LITE_MIME]).toBeDefined();
    const points = monitor.points;
    // 24 training examples / batch 8 = 3 batches per epoch, 2 epochs.
    expect(points.filter((p) => p.series === 'train (batch)')).toHaveLength(6);
    expect(points.filter((p) => p.panel === 'loss' && p.series === 'validation').map((p) => p.step)).toEqual([1, 2]);
    expect(points.filter((p) => p.panel === 'accuracy' && p.series === 'train')).toHaveLength(2);
    tf.dispose([xs, ys]);
    model.dispose();
  });

  it('prints one progress line per epoch outside a kernel', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const model = tinyModel();
    const xs = tf.zeros([8, 4]);
    const ys = tf.oneHot(tf.zeros([8], 'int32') as tf.Tensor1D, 3);
    await model.fit(xs, ys, { epochs: 3, batchSize: 4, callbacks: trainingMonitor(), verbose: 0 });
    const lines = log.mock.calls.map((c) => String(c[0]));
    expect(lines.filter((l) => /^Training: epoch \d\/3 \| loss/.test(l))).toHaveLength(3);
    expect(lines[lines.length - 1]).toMatch(/^Training: done: 3 epochs/);
    tf.dispose([xs, ys]);
    model.dispose();
  });

  it('rejects unknown options', () => {
    expect(() => trainingMonitor({ every: 'step' as 'batch' })).toThrow("trainingMonitor: opts.every must be one of 'epoch', 'batch', got \"step\"");
  });
});

describe('vegaLiteBundle', () => {
  it('uses the title object text for text/plain', async () => {
    const b = await vegaLiteBundle({ ...imageGrid([digit]), title: { text: 'T', subtitle: 's' } });
    expect(b['text/plain']).toBe('<Vega-Lite figure: T>');
  });
});
