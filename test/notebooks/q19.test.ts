import { describe, expect, it } from 'vitest';
import { Executed } from './executed';

describe('q19-capsule-networks', () => {
  const nb = new Executed('q19-capsule-networks');

  it('runs clean', () => {
    nb.expectOk();
  });

  it('squashes lengths to |s|^2 / (1 + |s|^2) and keeps the direction', () => {
    expect(nb.table('length in').header).toEqual(['length in', 'length out', 'direction']);
    for (const l of [0.1, 0.5, 1, 2, 3, 10]) {
      const row = nb.table('length in').rows.find((c) => c[0] === String(l));
      expect(row, `length ${l}`).toBeDefined();
      expect(Number(row![1])).toBeCloseTo((l * l) / (1 + l * l), 4);
      expect(row![2].match(/^\(([\d.]+), ([\d.]+)\)$/)!.slice(1).map(Number)).toEqual([0.6, 0.8]);
    }
  });

  it('has the capsule layer of the seed and uniform couplings in the first iteration', () => {
    expect(nb.number('capsule layer params:')).toBe(1152 * 10 * 8 * 16);
    expect(nb.stdout).toContain('output shape: [2,10,16]');
    expect(nb.stdout).toContain('iteration-1 couplings all equal 1/10: 0.1000 .. 0.1000');
    expect(nb.number('max |one-shot length - routing iteration-1 length|:')).toBe(0);
  });

  it('routes the parts to the whole they agree on, with agreement rising every iteration', () => {
    const rows = [...nb.stdout.matchAll(/iteration (\d): mean coupling to wholes ([\d.]+) ([\d.]+) ([\d.]+) \| lengths .* \| agreement ([\d.]+)/g)];
    expect(rows).toHaveLength(5);
    const toWhole0 = rows.map((r) => Number(r[2]));
    const agreement = rows.map((r) => Number(r[5]));
    expect(toWhole0[0]).toBeCloseTo(1 / 3, 3);
    for (let t = 1; t < 5; t++) {
      expect(toWhole0[t]).toBeGreaterThan(toWhole0[t - 1]);
      expect(agreement[t]).toBeGreaterThan(agreement[t - 1]);
    }
    expect(toWhole0[4]).toBeGreaterThan(0.9);
    for (const r of rows) expect(Number(r[2]) + Number(r[3]) + Number(r[4])).toBeCloseTo(1, 2);
  });

  it('builds and trains the CapsNet', () => {
    // conv1 9x9: 28 -> 20; primary caps 7x7 stride 3: 20 -> 5, 8 types of 8 dims; digit caps 10 x 16.
    const conv1 = (9 * 9 * 1 + 1) * 16;
    const primary = (7 * 7 * 16 + 1) * 8 * 8;
    const digitCaps = 5 * 5 * 8 * 10 * 8 * 16;
    expect(nb.number('Total params:')).toBe(conv1 + primary + digitCaps);
    expect(nb.stdout).toMatch(/primary_caps \(PrimaryCapsules\) +\(None, 200, 8\)/);
    expect(nb.number('epoch 2: margin loss')).toBeLessThan(nb.number('epoch 1: margin loss'));
    expect(nb.number('test accuracy (1000 digits):')).toBeGreaterThan(0.8);
  });

  it('replays routing in the trained network', () => {
    expect(nb.number(/routing iteration 1: agreement [\d.]+, mean largest coupling ([\d.]+)/)).toBeCloseTo(0.1, 3);
    const agreement = [1, 2, 3].map((t) => nb.number(`routing iteration ${t}: agreement`));
    expect(agreement[2]).toBeGreaterThan(agreement[0]);
    const fig = nb.displays.filter((d) => 'application/vnd.vegalite.v5+json' in d);
    expect(fig).toHaveLength(2);
    const spec = fig[1]['application/vnd.vegalite.v5+json'] as { data: { values: unknown[] } };
    expect(spec.data.values).toHaveLength(4 * 3 * 10); // 4 digits, 3 iterations, 10 capsules
  });

  it('measures whether the capsule direction carries pose', () => {
    const cos = nb.number('mean cosine between their capsule directions');
    expect(cos).toBeGreaterThanOrEqual(-1);
    expect(cos).toBeLessThanOrEqual(1);
    expect(nb.stdout).toMatch(/shifted 2 px: length [\d.]+ -> [\d.]+, cosine of directions [\d.]+/);
  });
});
