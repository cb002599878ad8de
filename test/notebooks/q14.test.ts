import { describe, expect, it } from 'vitest';
import { Executed } from './executed';

const CHANCE = 0.1; // 10 balanced classes

describe('q14-vanishing-gradients', () => {
  const nb = new Executed('q14-vanishing-gradients');
  const variant = (name: string) => {
    const esc = name.replace(/[+()]/g, '\\$&');
    const m = nb.stdout.match(new RegExp(`^${esc}: first-layer mean\\|g\\| ([\\d.e+-]+), last-layer ([\\d.e+-]+), first/last = ([\\d.e+-]+), test accuracy = ([\\d.]+)%`, 'm'));
    if (!m) throw new Error(`no line for ${name}`);
    return { first: Number(m[1]), last: Number(m[2]), ratio: Number(m[3]), accuracy: Number(m[4]) / 100 };
  };

  it('runs clean', () => {
    nb.expectOk();
  });

  it("reproduces the seed's comparison: the sigmoid stack's first layer gets almost no gradient", () => {
    const sig = nb.stdout.match(/Sigmoid: First layer grad = ([\d.e+-]+), last layer grad = ([\d.e+-]+), ratio first\/last = ([\d.e+-]+)/)!;
    const relu = nb.stdout.match(/ReLU: First layer grad = ([\d.e+-]+), last layer grad = ([\d.e+-]+), ratio first\/last = ([\d.e+-]+)/)!;
    // 21 sigmoid layers lie between the first kernel and the output; each multiplies by at most 1/4 times a
    // weight matrix of norm about 1, so the ratio must be far below 0.25^10.
    expect(Number(sig[3])).toBeLessThan(0.25 ** 10);
    expect(Number(relu[3])).toBeGreaterThan(0.01);
    expect(Number(relu[3])).toBeLessThan(100);
    expect(nb.stdout).toContain(`bound 0.25^20 = ${(0.25 ** 20).toExponential(2)}`);
    expect(nb.number('sigmoid: gradient shrinks by a factor of')).toBeLessThan(0.3);
  });

  it('measures the fixes: each keeps the first layer within 1e-4 of the last and learns, the plain sigmoid stack does not', () => {
    const plain = variant('sigmoid');
    expect(plain.ratio).toBeLessThan(1e-8);
    expect(plain.accuracy).toBeLessThan(CHANCE + 0.1);
    for (const name of ['relu (He init)', 'sigmoid + batch norm', 'sigmoid + residual']) {
      const v = variant(name);
      expect(v.ratio).toBeGreaterThan(1e-4);
      expect(v.accuracy).toBeGreaterThan(plain.accuracy + 0.2);
    }
  });

  it('shows the gradient-flow profiles and training curves', () => {
    const specs = nb.displays.map((d) => d['application/vnd.vegalite.v5+json'] as { title?: { text?: string } } | undefined).filter(Boolean);
    expect(specs.map((s) => s!.title?.text)).toEqual([
      'Gradient flow: 22 dense layers, random inputs',
      'Gradient flow at initialisation, 64 MNIST digits',
      'Accuracy while training, 22 dense layers',
    ]);
    expect(nb.markdown).toMatch(/\*\*Errata\.\*\*/);
  });
});
