import { describe, expect, it } from 'vitest';
import { Executed } from './executed';

describe('q06-fully-connected-vs-convolutional', () => {
  const nb = new Executed('q06-fully-connected-vs-convolutional');
  const dense = (nin: number, nout: number) => (nin + 1) * nout;
  const conv = (k: number, cin: number, cout: number) => (k * k * cin + 1) * cout;

  it('runs clean', () => {
    nb.expectOk();
  });

  it('prints the parameter counts of the seed layers', () => {
    expect(nb.number('FC Layer Parameters:')).toBe(dense(28 * 28, 128));
    expect(nb.number('Conv Layer Parameters:')).toBe(conv(3, 1, 128));
    expect(nb.number('Reduction:')).toBe(Number((dense(784, 128) / conv(3, 1, 128)).toFixed(1)));
    const totals = [...nb.stdout.matchAll(/^Total params: ([\d,]+)/gm)].map((m) => Number(m[1].replace(/,/g, '')));
    expect(totals).toEqual([dense(784, 128), conv(3, 1, 128)]);
  });

  it('counts connections: parameters are not multiply-adds', () => {
    expect(nb.number('FC connections (multiply-adds):')).toBe(784 * 128);
    // 'valid' 3x3 on 28x28 gives 26x26 outputs per filter, each reading 9 pixels
    expect(nb.number('Conv connections (multiply-adds):')).toBe(26 * 26 * 128 * 9);
    expect(nb.stdout).toMatch(/^Conv output shape: \[26, 26, 128\]$/m);
    expect(nb.stdout).toMatch(/^FC output shape: \[1,128\]$/m);
  });

  it('measures equivariance: the conv map of the moved square is the moved map', () => {
    expect(nb.number('conv: max |conv(img2) - shift(conv(img1))| =')).toBe(0);
    const m = nb.stdout.match(/strongest response img1 at (\d+), img2 at (\d+)/)!;
    // a move of 15 rows and 15 columns in a 26-wide map
    expect(Number(m[2]) - Number(m[1])).toBe(15 * 26 + 15);
    expect(nb.number('FC: cosine similarity of the two 128-d outputs =')).toBeLessThan(0.99);
  });

  it('trains a CNN and an MLP that both learn MNIST', () => {
    expect(nb.stdout).toMatch(new RegExp(`^CNN: ${conv(3, 1, 16) + conv(3, 16, 32) + dense(5 * 5 * 32, 64) + dense(64, 10)} params`, 'm'));
    expect(nb.stdout).toMatch(new RegExp(`^MLP: ${dense(784, 128) + dense(128, 64) + dense(64, 10)} params`, 'm'));
  });

  it('tests on shifted digits: accuracy consistent with counts, falling with the shift, CNN ahead', () => {
    const rows = [...nb.stdout.matchAll(/^shift (\d) px: CNN accuracy ([\d.]+) \((\d+) of 1000\), MLP accuracy ([\d.]+) \((\d+) of 1000\)$/gm)];
    expect(rows.map((r) => Number(r[1]))).toEqual([0, 1, 2, 3, 4, 5, 6]);
    for (const r of rows) {
      expect(Number(r[2])).toBeCloseTo(Number(r[3]) / 1000, 3);
      expect(Number(r[4])).toBeCloseTo(Number(r[5]) / 1000, 3);
    }
    const cnn = rows.map((r) => Number(r[2]));
    const mlp = rows.map((r) => Number(r[4]));
    // Unshifted, both are well above chance (10%); a few pixels of shift hurts both.
    expect(cnn[0]).toBeGreaterThan(0.85);
    expect(mlp[0]).toBeGreaterThan(0.8);
    expect(cnn[4]).toBeLessThan(cnn[0] - 0.3);
    expect(mlp[4]).toBeLessThan(mlp[0] - 0.3);
    // Weight sharing and pooling: the CNN keeps more accuracy at small shifts.
    expect(cnn[1]).toBeGreaterThan(mlp[1]);
    expect(cnn[2]).toBeGreaterThan(mlp[2]);
  });

  it('shows its figures, an errata note and recall questions', () => {
    expect(nb.displays.filter((d) => 'application/vnd.vegalite.v5+json' in d).length).toBeGreaterThanOrEqual(3);
    expect(nb.markdown).toMatch(/\*\*Errata\.\*\*/);
    expect(nb.markdown).toMatch(/## Recall/);
  });
});
