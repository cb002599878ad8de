import { describe, expect, it } from 'vitest';
import { Executed } from './executed';

const MAP = [
  [1, 3, 2, 4, 1, 2],
  [2, 5, 1, 3, 2, 1],
  [1, 2, 4, 6, 3, 2],
  [3, 1, 2, 5, 4, 1],
  [2, 4, 3, 2, 1, 3],
  [1, 2, 1, 3, 2, 4],
];

/** The test's own pooling: windows of k x k with stride s, reduced by f. */
function pool(m: number[][], k: number, s: number, f: (v: number[]) => number): number[][] {
  const n = Math.floor((m.length - k) / s) + 1;
  return Array.from({ length: n }, (_, i) =>
    Array.from({ length: n }, (_, j) => f(m.slice(i * s, i * s + k).flatMap((row) => row.slice(j * s, j * s + k)))),
  );
}
const max = (v: number[]) => Math.max(...v);
const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;

describe('q04-pooling', () => {
  const nb = new Executed('q04-pooling');

  it('runs clean', () => {
    nb.expectOk();
  });

  it('prints max and average pooling of the seed map, equal to the layers', () => {
    expect(nb.stdout).toContain(`max pooling (2x2, stride 2): ${JSON.stringify(pool(MAP, 2, 2, max))}`);
    expect(nb.stdout).toContain(`average pooling (2x2, stride 2): ${JSON.stringify(pool(MAP, 2, 2, mean))}`);
    expect(nb.stdout).toContain('max pooling output shape: [1,3,3,1]');
    expect(nb.number('max |hand - MaxPooling2D|:')).toBeLessThanOrEqual(1e-5);
    expect(nb.number('max |hand - AveragePooling2D|:')).toBeLessThanOrEqual(1e-5);
    expect(nb.stdout).toContain(`overlapping max pooling (3x3, stride 2): ${JSON.stringify(pool(MAP, 3, 2, max))} shape [1,2,2,1]`);
  });

  it('prints global pooling values', () => {
    const all = MAP.flat();
    expect(nb.number('global max pooling:')).toBe(max(all));
    expect(nb.number('global average pooling:')).toBeCloseTo(mean(all), 5);
    expect(nb.number('(GlobalAveragePooling2D:')).toBeCloseTo(mean(all), 5);
  });

  it('routes the max-pool gradient to the argmax of each window', () => {
    // the test's own argmax: first maximum in row-major window order, as a flat index into the 6x6 map
    const winners: number[] = [];
    for (let i = 0; i < 3; i++)
      for (let j = 0; j < 3; j++) {
        let best = -1;
        for (let r = 2 * i; r < 2 * i + 2; r++) for (let c = 2 * j; c < 2 * j + 2; c++) if (best < 0 || MAP[r][c] > MAP[Math.floor(best / 6)][best % 6]) best = r * 6 + c;
        winners.push(best);
      }
    expect(nb.stdout).toContain(`winning cells (flat indices): ${JSON.stringify(winners)}`);
    expect(nb.number('max |hand backward - tf.grad|:')).toBeLessThanOrEqual(1e-6);
    expect(nb.number('cells that receive gradient:')).toBe(9);
  });

  it('shows invariance only within a window', () => {
    expect(nb.stdout).toMatch(/same window: .* unchanged: true/);
    expect(nb.stdout).toMatch(/next window: .* unchanged: false/);
  });

  it('keeps the mean under average pooling and raises it under max pooling', () => {
    const m = nb.stdout.match(/mean pixel: input (\S+), after 2 max pools (\S+), after 2 average pools (\S+)/)!;
    const [input, maxed, averaged] = m.slice(1).map(Number);
    expect(averaged).toBeCloseTo(input, 3);
    expect(maxed).toBeGreaterThan(input);
    expect(nb.stdout).toContain('digit shapes: [[1,28,28,1],[1,14,14,1],[1,7,7,1]]');
  });

  it("counts the seed model's parameters as the formulas do", () => {
    const conv = (k: number, cin: number, cout: number) => (k * k * cin + 1) * cout;
    const dense = (nin: number, nout: number) => (nin + 1) * nout;
    // 28 -conv3-> 26 -pool2-> 13 -conv3-> 11 -avgpool2-> 5; GAP -> 64
    const body = conv(3, 1, 32) + conv(3, 32, 64);
    expect(nb.number('Total params:')).toBe(body + dense(64, 10));
    expect(nb.number('Total params (global average pooling head):')).toBe(body + dense(64, 10));
    expect(nb.table('layer').header).toEqual(['layer', 'output shape', 'params']);
    expect(nb.table('layer').rows).toEqual([
      ['conv2d', '[26,26,32]', String(conv(3, 1, 32))],
      ['maxPooling2d', '[13,13,32]', '0'],
      ['conv2d', '[11,11,64]', String(conv(3, 32, 64))],
      ['averagePooling2d', '[5,5,64]', '0'],
      ['globalAveragePooling2d', '[64]', '0'],
      ['dense', '[10]', String(dense(64, 10))],
    ]);
    expect(nb.number('model.countParams():')).toBe(body + dense(64, 10));
    expect(nb.number('Total params (flatten head):')).toBe(body + dense(5 * 5 * 64, 10));
    expect(nb.number('classifier weights: global pooling head')).toBe(dense(64, 10));
    expect(nb.number('flatten head')).toBe(dense(1600, 10));
  });

  it('shows three figures', () => {
    expect(nb.displays.filter((d) => 'application/vnd.vegalite.v5+json' in d).length).toBe(3);
  });
});
