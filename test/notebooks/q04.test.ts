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

  it('sends a tied window\'s gradient to its first maximum in row-major order', () => {
    const T = [
      [7, 7, 0, 0],
      [2, 5, 3, 3],
      [1, 9, 4, 1],
      [9, 1, 4, 4],
    ];
    const up = [
      [1, 2],
      [3, 4],
    ];
    // the test's own rule: scan each window top row first, left to right, keep the first strict maximum
    const g = T.map((row) => row.map(() => 0));
    for (let i = 0; i < 2; i++)
      for (let j = 0; j < 2; j++) {
        let [br, bc] = [2 * i, 2 * j];
        for (let r = 2 * i; r < 2 * i + 2; r++) for (let c = 2 * j; c < 2 * j + 2; c++) if (T[r][c] > T[br][bc]) [br, bc] = [r, c];
        g[br][bc] += up[i][j];
      }
    // every window of this map is tied, so a rule that split or picked the last maximum would differ
    expect(g).toEqual([
      [1, 0, 0, 0],
      [0, 0, 2, 0],
      [0, 3, 4, 0],
      [0, 0, 0, 0],
    ]);
    const block = nb.stdout.split('gradient of tf.maxPool:\n')[1].split('\n').slice(0, 4);
    expect(block.map((l) => l.trim().split(' ').map(Number))).toEqual(g);
    expect(nb.number('max |maxPool2dBackward - tf.grad| on ties:')).toBe(0);
    // average pooling: a quarter of 1 to each cell of the first window, a quarter of 2 to the second
    expect(nb.stdout).toContain('gradient of tf.avgPool, first row: 0.25 0.25 0.5 0.5');
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
    const b = nb.stdout.match(/brightest pixel: input (\S+), after 2 max pools (\S+), after 2 average pools (\S+)/)!;
    const [bIn, bMax, bAvg] = b.slice(1).map(Number);
    expect(bMax).toBe(bIn);
    expect(bAvg).toBeLessThan(bIn);
  });

  it('makes the next convolution cheaper and widens its view, by the formulas', () => {
    // conv 3x3, 32 -> 64 filters: out^2 * 9 * 32 * 64 multiply-adds; 28 -> 26 -> (pool) 13 -> 11, or 26 -> 24
    const macs = (out: number) => out * out * 9 * 32 * 64;
    expect(nb.number('conv2 multiply-adds per image: after 2x2 pooling')).toBe(macs(11));
    expect(nb.number('without pooling')).toBe(macs(24));
    expect(nb.number(/\(ratio ([\d.]+)\)/)).toBeCloseTo(macs(24) / macs(11), 2);
    // rf: 3, then +1 (pool), then +2*2 (conv after a jump of 2) = 8; without the pool 3 + 2 = 5
    expect(nb.stdout).toContain('conv2 receptive field: after 2x2 pooling 8x8, without pooling 5x5');
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
    // 40 -conv3-> 38 -pool2-> 19 -conv3-> 17 -avgpool2-> 8
    expect(nb.stdout).toContain(`classifier weights for a 40x40 input: global pooling head ${dense(64, 10)} flatten head ${dense(8 * 8 * 64, 10)}`);
  });

  it('trains max pooling, average pooling and a strided conv under 3 seeds, and the prose matches', () => {
    const t = nb.table('downsampling');
    expect(t.header).toEqual(['downsampling', 'params', 'test acc % (seeds 1, 2, 3)', 'mean', 'min-max']);
    expect(t.rows.map((r) => r[0])).toEqual(['max pooling', 'average pooling', 'strided conv']);
    const conv = (k: number, cin: number, cout: number) => (k * k * cin + 1) * cout;
    const pooled = conv(3, 1, 8) + conv(3, 8, 16) + (5 * 5 * 16 + 1) * 10;
    expect(t.rows.map((r) => Number(r[1]))).toEqual([pooled, pooled, pooled + conv(2, 8, 8) + conv(2, 16, 16)]);
    expect(pooled + conv(2, 8, 8) + conv(2, 16, 16) - pooled).toBe(1304);
    const accs = t.rows.map((r) => r[2].split(', ').map(Number));
    t.rows.forEach((r, i) => {
      const a = accs[i];
      expect(a.length).toBe(3);
      for (const v of a) expect(v).toBeGreaterThan(75);
      expect(Number(r[3])).toBeCloseTo(a.reduce((x, y) => x + y, 0) / 3, 1);
      expect(r[4]).toBe(`${Math.min(...a).toFixed(1)}-${Math.max(...a).toFixed(1)}`);
    });
    const [mx, av, st] = accs;
    const mean = (v: number[]) => v.reduce((x, y) => x + y, 0) / v.length;
    // the prose: max pooling above average pooling under every seed; the strided conv no better than max
    // pooling (mean) and within max pooling's range
    mx.forEach((v, k) => expect(v).toBeGreaterThan(av[k]));
    expect(mean(st)).toBeLessThanOrEqual(mean(mx));
    expect(mean(st)).toBeGreaterThanOrEqual(Math.min(...mx));
  });

  it('has recall answers a reader can reveal, one per question', () => {
    const { questions, answers } = nb.recall;
    expect(questions.length).toBe(6);
    expect(answers).toHaveLength(questions.length);
  });

  it('shows three figures', () => {
    expect(nb.displays.filter((d) => 'application/vnd.vegalite.v5+json' in d).length).toBe(3);
  });
});
