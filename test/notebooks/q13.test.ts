import { describe, expect, it } from 'vitest';
import { Executed } from './executed';

describe('q13-deep-vs-shallow', () => {
  const nb = new Executed('q13-deep-vs-shallow');
  const conv = (k: number, cin: number, cout: number) => (k * k * cin + 1) * cout;
  const dense = (nin: number, nout: number) => (nin + 1) * nout;
  // 'valid' sizes: shallow 32 -conv5-> 28 -pool-> 14; deep 32 -> 30 -> 28 -> 14 -> 12 -> 10 -> 5 -> 3 -> 1.
  const shallow = (cin: number, f = 128) => conv(5, cin, f) + dense(14 * 14 * f, 10);
  const deep = (cin: number, w = 1) =>
    conv(3, cin, 32 * w) + conv(3, 32 * w, 32 * w) + conv(3, 32 * w, 64 * w) + conv(3, 64 * w, 64 * w) +
    conv(3, 64 * w, 128 * w) + conv(3, 128 * w, 128 * w) + dense(128 * w, 10);
  // multiply-adds per image: out positions * filters * k * k * cin, dense nin * units
  const shallowMacs = (f: number) => 28 * 28 * f * 25 + 14 * 14 * f * 10;
  const deepMacs = (w: number) =>
    30 * 30 * 32 * w * 9 + 28 * 28 * 32 * w * 9 * 32 * w + 12 * 12 * 64 * w * 9 * 32 * w +
    10 * 10 * 64 * w * 9 * 64 * w + 3 * 3 * 128 * w * 9 * 64 * w + 1 * 1 * 128 * w * 9 * 128 * w + 128 * w * 10;

  it('runs clean', () => {
    nb.expectOk();
  });

  it('counts the 3x3-stack argument with real layers: (k^2 C + 1) C per layer', () => {
    const c = 64;
    const count = (label: string) => nb.number(`${label} (64 -> 64 channels):`);
    expect(count('two 3x3')).toBe(2 * conv(3, c, c));
    expect(count('one 5x5')).toBe(conv(5, c, c));
    expect(count('three 3x3')).toBe(3 * conv(3, c, c));
    expect(count('one 7x7')).toBe(conv(7, c, c));
    // "28% fewer weights": 18 C^2 against 25 C^2
    expect(1 - 18 / 25).toBeCloseTo(0.28, 2);
  });

  it("prints the seed models' parameter counts (32x32x3) and the dense layer's share", () => {
    expect(nb.number('Shallow params:')).toBe(shallow(3));
    expect(nb.number('Deep params:')).toBe(deep(3));
    expect(nb.number('Total params:')).toBe(deep(3));
    // the seed's claim "fewer parameters" is wrong for its own models
    expect(deep(3)).toBeGreaterThan(shallow(3));
    expect(deep(3) / shallow(3)).toBeCloseTo(1.106, 2); // "11% larger"
    const share = dense(14 * 14 * 128, 10) / shallow(3);
    expect(nb.number('share of parameters in the dense layer')).toBeCloseTo(100 * share, 1);
    expect(Math.round(100 * share)).toBe(96);
    expect(dense(128, 10)).toBe(1290);
  });

  it('prints receptive fields that follow r_l = r_{l-1} + (k_l - 1) * jump', () => {
    const rf = (name: string) => nb.number(new RegExp(`^${name}: receptive field (\\d+)x`, 'm'));
    expect(rf('shallow conv 5×5')).toBe(5);
    expect(rf('shallow pool')).toBe(6);
    // 3, 5, pool(2) -> 6, jump 2: 10, 14, pool -> 16, jump 4: 24, 32
    expect([1, 2, 3, 4, 5, 6].map((i) => rf(`deep conv${i}`))).toEqual([3, 5, 10, 14, 24, 32]);
  });

  it('matches the two MNIST models in parameters (within 10%) and counts their multiply-adds', () => {
    const params = { shallow: shallow(1, 36), deep: deep(1, 0.5) };
    const macs = { shallow: shallowMacs(36), deep: deepMacs(0.5) };
    for (const kind of ['shallow', 'deep'] as const) {
      const m = nb.stdout.match(new RegExp(`^matched ${kind}: (\\d+) params, (\\d+) multiply-adds per image`, 'm'))!;
      expect(m, kind).not.toBeNull();
      expect(Number(m[1])).toBe(params[kind]);
      expect(Number(m[2])).toBe(macs[kind]);
    }
    expect(params).toEqual({ shallow: 71506, deep: 72442 });
    const ratio = params.deep / params.shallow;
    expect(Math.abs(ratio - 1)).toBeLessThan(0.1);
    expect(nb.number('deep / shallow parameters:')).toBeCloseTo(ratio, 3);
    expect(macs.deep / macs.shallow).toBeCloseTo(4.8, 1); // "4.8 times the multiply-adds"
  });

  it('reports test accuracy per epoch for 3 seeds each, a spread table that agrees, and the claims of the prose', () => {
    const epochs = 4;
    const perSeed = (kind: string) =>
      [1, 2, 3].map((s) => {
        const m = nb.stdout.match(new RegExp(`^${kind} seed ${s}: test accuracy per epoch ([\\d. ]+)$`, 'm'))!;
        expect(m, `${kind} seed ${s}`).not.toBeNull();
        const v = m[1].trim().split(/\s+/).map(Number);
        expect(v).toHaveLength(epochs);
        for (const a of v) expect(Number.isInteger(Math.round(a * 500))).toBe(true);
        expect(v[epochs - 1]).toBeGreaterThan(0.6); // chance is 0.1
        return v;
      });
    const runs = { shallow: perSeed('shallow'), deep: perSeed('deep') };
    const table = nb.table('model');
    expect(table.header).toEqual(['model', 'epoch', 'mean', 'min', 'max']);
    expect(table.rows).toHaveLength(2 * epochs);
    const stats: Record<string, { mean: number; min: number; max: number }[]> = { shallow: [], deep: [] };
    for (const [kind, epoch, mean, min, max] of table.rows) {
      const col = runs[kind as 'shallow' | 'deep'].map((v) => v[Number(epoch) - 1]);
      expect(Number(mean)).toBeCloseTo(col.reduce((a, b) => a + b, 0) / 3, 3);
      expect(Number(min)).toBeCloseTo(Math.min(...col), 3);
      expect(Number(max)).toBeCloseTo(Math.max(...col), 3);
      stats[kind].push({ mean: Number(mean), min: Number(min), max: Number(max) });
    }
    const [s, d] = [stats.shallow, stats.deep];
    const last = epochs - 1;
    const gap = d[last].mean - s[last].mean;
    expect(nb.number('deep - shallow mean test accuracy')).toBeCloseTo(gap, 3);
    const spread = Math.max(d[last].max - d[last].min, s[last].max - s[last].min);
    expect(nb.number('largest min-max spread of one model')).toBeCloseTo(spread, 3);
    // prose: "after one epoch the deep model is behind on every seed"
    expect(d[0].max).toBeLessThan(s[0].min);
    // prose: "ahead on average after four, by less than the spread; its worst seed within the shallow range"
    expect(gap).toBeGreaterThan(0);
    expect(gap).toBeLessThan(spread);
    expect(d[last].min).toBeLessThanOrEqual(s[last].max);
    // prose: "between epochs 3 and 4 the shallow mean did not rise while the deep mean still climbed"
    expect(s[last].mean).toBeLessThanOrEqual(s[last - 1].mean);
    expect(d[last].mean).toBeGreaterThan(d[last - 1].mean);
  });

  it('shows parameter bars and test-accuracy curves of six trained runs, and an errata note', () => {
    const figures = nb.displays.filter((d) => 'application/vnd.vegalite.v5+json' in d);
    expect(figures.length).toBe(3);
    const curves = figures[2]['application/vnd.vegalite.v5+json'] as { data: { values: { series: string; step: number }[] } };
    expect(new Set(curves.data.values.map((p) => p.series)).size).toBe(6);
    expect(curves.data.values).toHaveLength(6 * 4);
    expect(nb.markdown).toMatch(/\*\*Errata\.\*\*/);
  });

  it('has recall answers a reader can reveal, one per question', () => {
    const { questions, answers } = nb.recall;
    expect(questions.length).toBe(5);
    expect(answers).toHaveLength(questions.length);
  });
});
