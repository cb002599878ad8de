import { describe, expect, it } from 'vitest';
import { Executed } from './executed';

/** The test's own LRN of one pixel's channel vector (tf.localResponseNormalization's formula). */
function lrnPixel(a: number[], r: number, k: number, alpha: number, beta: number): number[] {
  return a.map((v, c) => {
    let sq = 0;
    for (let j = Math.max(0, c - r); j <= Math.min(a.length - 1, c + r); j++) sq += a[j] * a[j];
    return v / (k + alpha * sq) ** beta;
  });
}

describe('q10-local-response-normalization', () => {
  const nb = new Executed('q10-local-response-normalization');

  it('runs clean', () => {
    nb.expectOk();
  });

  it("normalizes the seed's channel profile as the formula does, hand-written and tf alike", () => {
    const profile = [0.5, 2, 10, 2, 0.5, 0.5, 0.5, 0.5];
    const expected = lrnPixel(profile, 2, 2, 1e-4, 0.75);
    expected.forEach((v, c) => {
      const m = nb.stdout.match(new RegExp(`Channel ${c}: ${profile[c].toFixed(2)} -> (\\S+) \\| (\\S+)`))!;
      expect(Number(m[1])).toBeCloseTo(v, 4);
      expect(Number(m[2])).toBeCloseTo(v, 4);
    });
    expect(expected[2]).toBeCloseTo(5.922, 3); // not the seed's 4.97
    expect(nb.number('max |hand - tf|:')).toBeLessThanOrEqual(1e-5);
    expect(nb.number('bias alone gives 2^0.75 =')).toBeCloseTo(2 ** 0.75, 4);
    expect(nb.markdown).toMatch(/\*\*Errata\.\*\*.*4\.97.*5\.92/s);
  });

  it('suppresses around the strong channel with alpha = 0.01, consistently with the formula', () => {
    const before = [5, 4, 6].map((c) => nb.number(new RegExp(`Before LRN, position \\(5,5\\):[\\s\\S]*?Channel ${c}: (\\S+)`)));
    const after = [5, 4, 6].map((c) => nb.number(new RegExp(`After LRN \\(hand-written \\| tf\\):[\\s\\S]*?Channel ${c}: (\\S+)`)));
    // all three share the window of channel 5 only partly; channel 5's own divisor is at least sqrt(1 + 0.01 a5^2)
    expect(after[0]).toBeLessThan(before[0] / Math.sqrt(1 + 0.01 * before[0] ** 2) + 1e-3);
    expect(after[0]).toBeLessThan(10);
    for (let i = 0; i < 3; i++) expect(after[i]).toBeLessThan(before[i]);
    expect(nb.number('max |hand - tf|, 1600 values:')).toBeLessThanOrEqual(1e-5);
  });

  it('counts the parameters of the three models by formula', () => {
    const conv = (k: number, cin: number, cout: number) => (k * k * cin + 1) * cout;
    const base = conv(3, 1, 32) + conv(3, 32, 64) + (5 * 5 * 64 + 1) * 10;
    expect(nb.number('Total params:')).toBe(base);
    expect(nb.number('Model WITH LRN total params:')).toBe(base);
    const bn = 4 * 32 + 4 * 64;
    expect(nb.number(/Model WITH BATCH NORMALIZATION:[\s\S]*?Total params: ([\d,]+)/)).toBe(base + bn);
    expect(nb.number(/Model WITH BATCH NORMALIZATION:[\s\S]*?Non-trainable params: ([\d,]+)/)).toBe(bn / 2);
    expect(nb.stdout).toContain('  lrn1: [null,26,26,32]');
    expect(nb.stdout).toContain('  lrn2: [null,11,11,64]');
  });

  it('reproduces batch normalization by hand', () => {
    expect(nb.stdout).toContain('conv1 output: [64,26,26,32]');
    expect(nb.number('largest |mean| over the 32 channels after BN:')).toBeLessThan(1e-5);
    const [lo, hi] = nb.stdout.match(/variances after BN, min and max: (\S+) (\S+)/)!.slice(1).map(Number);
    const minVar = nb.number('smallest channel variance before BN:');
    // variance after normalization is var / (var + eps): the smallest input variance gives the smallest
    expect(lo).toBeCloseTo(minVar / (minVar + 1e-3), 2);
    expect(hi).toBeLessThan(1);
    expect(nb.number('max |hand conv+BN+ReLU - layers|:')).toBeLessThan(1e-3);
    expect(nb.number('momentum 0.99 ->')).toBeCloseTo(0.99 ** 30, 3);
    expect(nb.number('momentum 0.9 ->')).toBeCloseTo(0.9 ** 30, 3);
  });

  it('trains all three models above chance on MNIST', () => {
    for (const name of ['none', 'lrn', 'batchnorm']) {
      const acc = nb.number(`test accuracy (${name}):`);
      expect(acc).toBeGreaterThan(0.3); // chance is 0.1
      expect(acc).toBeLessThanOrEqual(1);
    }
  });
});
