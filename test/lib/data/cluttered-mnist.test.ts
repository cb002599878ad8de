import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { clutteredMnist } from '../../../lib/data/cluttered-mnist';
import { loadMnistArrays } from '../../../lib/data/mnist';

describe('clutteredMnist', () => {
  const raw = loadMnistArrays('test');

  it('puts the real digit, pixel for pixel, at the reported position on a canvas of the asked size', () => {
    const c = clutteredMnist('test', { count: 20, offset: 100, canvasSize: 44, fragments: 0, seed: 3 });
    expect(c.xs.shape).toEqual([20, 44, 44, 1]);
    expect(c.sources).toEqual(Array.from({ length: 20 }, (_, i) => 100 + i));
    const px = c.xs.dataSync();
    const labels = c.labels.dataSync();
    for (let n = 0; n < 20; n++) {
      expect(labels[n]).toBe(raw.labels[100 + n]);
      const [top, left] = c.positions[n];
      expect(top >= 0 && top <= 44 - 28 && left >= 0 && left <= 44 - 28).toBe(true);
      let inside = 0;
      let total = 0;
      for (let y = 0; y < 44; y++) {
        for (let x = 0; x < 44; x++) {
          const v = px[n * 44 * 44 + y * 44 + x];
          total += v;
          const [dy, dx] = [y - top, x - left];
          if (dy >= 0 && dy < 28 && dx >= 0 && dx < 28) {
            inside += v;
            expect(v).toBeCloseTo(raw.images[(100 + n) * 784 + dy * 28 + dx] / 255, 6);
          }
        }
      }
      expect(total).toBeCloseTo(inside, 4); // without clutter, nothing outside the digit's box
    }
    // The positions spread over the range (a digit that never moves would make a different task).
    expect(new Set(c.positions.map((p) => p[0])).size).toBeGreaterThan(5);
    tf.dispose([c.xs, c.labels]);
  });

  it('adds clutter outside the digit: the canvas is the pixelwise max of digit and fragments', () => {
    const clean = clutteredMnist('test', { count: 30, fragments: 0, seed: 5 });
    const busy = clutteredMnist('test', { count: 30, fragments: 6, fragmentSize: 8, seed: 5 });
    const a = clean.xs.dataSync();
    const b = busy.xs.dataSync();
    let outside = 0;
    for (let n = 0; n < 30; n++) {
      const [top, left] = busy.positions[n];
      for (let y = 0; y < 40; y++) {
        for (let x = 0; x < 40; x++) {
          const i = n * 1600 + y * 40 + x;
          const inBox = y >= top && y < top + 28 && x >= left && x < left + 28;
          if (inBox) {
            const v = raw.images[n * 784 + (y - top) * 28 + (x - left)] / 255;
            expect(b[i]).toBeGreaterThanOrEqual(v - 1e-6); // the digit is never dimmed
          } else {
            outside += b[i];
          }
        }
      }
    }
    // Six 8x8 crops per canvas: at most 6 * 64 ink pixels outside, and (MNIST crops carry ink) some.
    expect(outside / 30).toBeGreaterThan(5);
    expect(outside / 30).toBeLessThanOrEqual(6 * 64);
    for (const v of b) expect(v >= 0 && v <= 1).toBe(true);
    // A different random seed gives different canvases; the same seed the same ones.
    const again = clutteredMnist('test', { count: 30, fragments: 6, fragmentSize: 8, seed: 5 });
    expect(Array.from(again.xs.dataSync())).toEqual(Array.from(b));
    const other = clutteredMnist('test', { count: 30, fragments: 6, fragmentSize: 8, seed: 6 });
    expect(other.positions).not.toEqual(busy.positions);
    tf.dispose([clean.xs, clean.labels, busy.xs, busy.labels, again.xs, again.labels, other.xs, other.labels]);
  });

  it('rejects bad options with one-line messages, before reading any file', () => {
    expect(() => clutteredMnist('test', { canvasSize: 20 })).toThrow('clutteredMnist: opts.canvasSize must be at least 28 (the digit), got 20');
    expect(() => clutteredMnist('test', { fragmentSize: 29 })).toThrow('clutteredMnist: opts.fragmentSize must be at most 28, got 29');
    expect(() => clutteredMnist('test', { seed: 1.5 })).toThrow('clutteredMnist: opts.seed must be a safe integer, got 1.5');
    expect(() => clutteredMnist('test', { count: 9000, offset: 2000 })).toThrow(
      "clutteredMnist: offset + count must be at most the 10000 digits of 'test', got 11000",
    );
    expect(() => clutteredMnist('test', { count: 60000, canvasSize: 256 })).toThrow(/must hold at most 268435456 elements/);
    expect(() => clutteredMnist('valid' as 'test')).toThrow(/^clutteredMnist: split must be one of/);
  });
});
