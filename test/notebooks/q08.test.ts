import { describe, expect, it } from 'vitest';
import { Executed } from './executed';

const INPUT5 = [
  [1, 1, 1, 0, 0],
  [1, 1, 1, 0, 0],
  [1, 1, 1, 0, 0],
  [0, 0, 0, 1, 1],
  [0, 0, 0, 1, 1],
];

describe('q08-parameter-sharing', () => {
  const nb = new Executed('q08-parameter-sharing');

  it('runs clean', () => {
    nb.expectOk();
  });

  it("prints the seed's counts with and without sharing, from the formulas", () => {
    const conv = (3 * 3 * 1 + 1) * 32;
    const out = 28 - 3 + 1;
    const fc = 28 * 28 * out * out * 32;
    expect(nb.number('Filter weights: 3x3x1 =')).toBe(9);
    expect(nb.number('Conv total parameters:')).toBe(conv);
    expect(nb.stdout).toContain(`Output size: ${out}x${out}x32`);
    expect(nb.number(`Same 3x3 weights used ${out}x${out} =`)).toBe(out * out);
    expect(nb.number('Fully connected weights:')).toBe(fc);
    expect(nb.number('with one bias per output:')).toBe(fc + out * out * 32);
    expect(nb.number('Locally connected (no sharing, 3x3 patches):')).toBe(out * out * 32 * 10);
    expect(nb.number('With sharing:')).toBe(conv);
    expect(nb.number('Without sharing:')).toBe(fc);
    expect(nb.number('Reduction:')).toBe(Math.round(fc / conv));
    // The prose: sharing (local / conv = positions) cuts more than local connectivity (dense / local).
    const local = out * out * 32 * 10;
    expect(nb.number('Dense / locally connected:')).toBe(Math.round(fc / local));
    expect(out * out).toBeGreaterThan(fc / local);
    expect(nb.markdown).toMatch(/\*\*Errata\.\*\*.*16,646,400/s);
  });

  it('applies the edge detector to the 5x5 input as the test computes it', () => {
    const k = [1, 0, -1];
    const out = [0, 1, 2].map((i) => [0, 1, 2].map((j) => [0, 1, 2].reduce((a, m) => a + k.reduce((b, w, n) => b + w * INPUT5[i + m][j + n], 0), 0)));
    expect(nb.stdout).toContain(`output (3x3), same filter at all 9 positions: ${JSON.stringify(out)}`);
    expect(nb.stdout).toContain(`dense layer output: ${JSON.stringify(out.flat())}`);
    expect(nb.number('max |hand - tf.conv2d|:')).toBeLessThanOrEqual(1e-6);
    expect(nb.number('Total unique weights:')).toBe(9);
    expect(nb.number('Output positions:')).toBe(9);
    expect(nb.number('Total weight applications:')).toBe(81);
    // 6 non-zero kernel taps at each of 9 positions
    expect(nb.number('non-zero entries of the 25x9 matrix:')).toBe(54);
  });

  it('shows that the kernel gradient is the sum of the tied gradients', () => {
    expect(nb.number('max |conv2dBackward - sum of tied dense gradients|:')).toBeLessThanOrEqual(1e-5);
    expect(nb.number('max |conv2dBackward - sum over positions of dy * patch|:')).toBeLessThanOrEqual(1e-5);
    expect(nb.number('max |conv2dBackward - tf.grad|:')).toBeLessThanOrEqual(1e-5);
  });

  it('computes the memory footprint of the 224x224 example', () => {
    const conv = 3 * 3 * 3 * 64;
    const fc = 224 * 224 * 3 * 222 * 222 * 64;
    expect(nb.number(/Conv layer: (\d+) weights/)).toBe(conv);
    expect(nb.number(/Conv layer: \d+ weights, ([\d.]+) MB/)).toBeCloseTo((conv * 4) / 2 ** 20, 4);
    expect(nb.number('FC equivalent:')).toBe(fc);
    expect(nb.number('Memory saved:')).toBe(Math.round(fc / conv));
  });

  it('finds the same peak at the shifted position, and the digit map shifts with the digit', () => {
    expect(nb.number('Max activation in output 1:')).toBe(9);
    expect(nb.number('Max activation in output 2:')).toBe(9);
    expect(nb.stdout).toContain('(row 1, col 1)');
    expect(nb.stdout).toContain('(row 3, col 3)');
    expect(nb.number(/max \|map\(shifted\)\[r, c\] - map\(digit\)\[r, c - 3\]\| = (\S+)/)).toBeLessThanOrEqual(1e-6);
    expect(nb.displays.filter((d) => 'application/vnd.vegalite.v5+json' in d).length).toBe(1);
  });

  it('has recall answers a reader can reveal, one per question', () => {
    const { questions, answers } = nb.recall;
    expect(questions.length).toBe(4);
    expect(answers).toHaveLength(questions.length);
  });
});
