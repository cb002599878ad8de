import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { JUPYTER_DISPLAY, modelBundle, tensorBundle } from '../../../lib/display/rich-results';

describe('what a cell ending in a tensor or a model shows', () => {
  it('a matrix: tfjs print as text, its values as a table', () => {
    const t = tf.tensor([[1, 2.5], [-3, 4]]);
    const b = tensorBundle(t);
    expect(b['text/plain']).toBe(t.toString());
    const html = b['text/html'] as string;
    expect(html).toContain('<caption>Tensor [2,2] float32</caption>');
    // 2 rows of 2 cells, in row-major order
    expect(html.match(/<tr>/g)).toHaveLength(2);
    expect([...html.matchAll(/<td>([^<]*)<\/td>/g)].map((m) => Number(m[1]))).toEqual([1, 2.5, -3, 4]);
    // the method the kernel calls gives the same bundle
    expect((t as unknown as Record<symbol, () => unknown>)[JUPYTER_DISPLAY]()).toEqual(b);
    expect(JUPYTER_DISPLAY).toBe(Symbol.for('Jupyter.display'));
  });

  it('a scalar, a vector; large or higher-rank tensors as text', () => {
    expect([...(tensorBundle(tf.scalar(7, 'int32'))['text/html'] as string).matchAll(/<td>/g)]).toHaveLength(1);
    expect([...(tensorBundle(tf.range(0, 5))['text/html'] as string).matchAll(/<td>/g)]).toHaveLength(5);
    const big = tf.zeros([30, 30]);
    expect(tensorBundle(big)['text/html']).toMatch(/^<pre>/);
    expect([...(tensorBundle(big, { maxCells: 900 })['text/html'] as string).matchAll(/<td>/g)]).toHaveLength(900);
    expect(tensorBundle(tf.zeros([2, 2, 2]))['text/html']).toMatch(/^<pre>Tensor/);
    const gone = tf.ones([3]);
    gone.dispose();
    expect((gone as unknown as Record<symbol, () => unknown>)[JUPYTER_DISPLAY]()).toEqual({ 'text/plain': 'Tensor [3] float32 (disposed)' });
    expect(() => tensorBundle(gone)).toThrow('tensorBundle: t');
  });

  it('a model: its summary, whose parameter count is the hand count', () => {
    const m = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [3] })] });
    const text = modelBundle(m)['text/plain'] as string;
    expect(text).toContain(`Total params: ${3 * 2 + 2}`);
    expect((m as unknown as Record<symbol, () => { 'text/plain': string }>)[JUPYTER_DISPLAY]()['text/plain']).toBe(text);
  });

  it('names bad input', () => {
    expect(() => tensorBundle([1, 2] as never)).toThrow('tensorBundle: t must be a');
    expect(() => tensorBundle(tf.ones([1]), { maxCells: 0 })).toThrow('tensorBundle: opts.maxCells must be');
    expect(() => modelBundle({} as never)).toThrow('modelBundle: model must be a tf.LayersModel');
  });
});
