import { describe, expect, it } from 'vitest';
import { Executed } from './executed';

describe('q13-deep-vs-shallow', () => {
  const nb = new Executed('q13-deep-vs-shallow');
  const conv = (k: number, cin: number, cout: number) => (k * k * cin + 1) * cout;
  const dense = (nin: number, nout: number) => (nin + 1) * nout;
  // 'valid' sizes: shallow 32 -conv5-> 28 -pool-> 14; deep 32 -> 30 -> 28 -> 14 -> 12 -> 10 -> 5 -> 3 -> 1.
  const shallow = (cin: number) => conv(5, cin, 128) + dense(14 * 14 * 128, 10);
  const deep = (cin: number, w = 1) =>
    conv(3, cin, 32 * w) + conv(3, 32 * w, 32 * w) + conv(3, 32 * w, 64 * w) + conv(3, 64 * w, 64 * w) +
    conv(3, 64 * w, 128 * w) + conv(3, 128 * w, 128 * w) + dense(128 * w, 10);

  it('runs clean', () => {
    nb.expectOk();
  });

  it("prints the seed models' parameter counts (32x32x3)", () => {
    expect(nb.number('Shallow params:')).toBe(shallow(3));
    expect(nb.number('Deep params:')).toBe(deep(3));
    expect(nb.number('Total params:')).toBe(deep(3));
    // the seed's claim "fewer parameters" is wrong for its own models
    expect(deep(3)).toBeGreaterThan(shallow(3));
  });

  it('prints receptive fields that follow r_l = r_{l-1} + (k_l - 1) * jump', () => {
    const rf = (name: string) => nb.number(new RegExp(`^${name}: receptive field (\\d+)x`, 'm'));
    expect(rf('shallow conv 5×5')).toBe(5);
    expect(rf('shallow pool')).toBe(6);
    // 3, 5, pool(2) -> 6, jump 2: 10, 14, pool -> 16, jump 4: 24, 32
    expect([1, 2, 3, 4, 5, 6].map((i) => rf(`deep conv${i}`))).toEqual([3, 5, 10, 14, 24, 32]);
  });

  it('trains the three models on padded MNIST and reports accuracy per parameter consistently', () => {
    const expected: Record<string, number> = { shallow: shallow(1), deep: deep(1), 'deep-narrow': deep(1, 0.5) };
    for (const [kind, params] of Object.entries(expected)) {
      const m = nb.stdout.match(new RegExp(`^${kind}: (\\d+) params, test accuracy ([\\d.]+) \\((\\d+) of 1000\\)`, 'm'))!;
      expect(m, kind).not.toBeNull();
      expect(Number(m[1])).toBe(params);
      const acc = Number(m[3]) / 1000;
      expect(Number(m[2])).toBeCloseTo(acc, 3);
      expect(acc).toBeGreaterThan(0.6); // chance is 0.1
      const per = nb.number(new RegExp(`^${kind}: test accuracy per 100k parameters ([\\d.]+)`, 'm'));
      expect(per).toBeCloseTo((acc / params) * 1e5, 3);
    }
  });

  it('shows parameter bars and training curves, an errata note and recall questions', () => {
    expect(nb.displays.filter((d) => 'application/vnd.vegalite.v5+json' in d).length).toBe(3);
    expect(nb.markdown).toMatch(/\*\*Errata\.\*\*/);
    expect(nb.markdown).toMatch(/## Recall/);
  });
});
