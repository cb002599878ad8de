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
    // the prose: below 1, increasing, 1 -> 0.5, ~|s|^2 for short vectors
    const outs = nb.table('length in').rows.map((c) => Number(c[1]));
    for (let k = 1; k < outs.length; k++) expect(outs[k]).toBeGreaterThan(outs[k - 1]);
    for (const o of outs) expect(o).toBeLessThan(1);
    expect(Number(nb.table('length in').rows.find((c) => c[0] === '1')![1])).toBe(0.5);
    expect(0.01 / 1.01).toBeCloseTo(0.0099, 4);
    expect(100 / 101).toBeCloseTo(0.9901, 4);
    expect(nb.markdown).toContain('0.1 → 0.0099');
    expect(nb.markdown).toContain('10 → 0.9901');
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
    // "as they lose votes their sums shrink and so do their outputs"; v_0 stays long
    const lengths = [...nb.stdout.matchAll(/iteration \d: .* \| lengths ([\d.]+) ([\d.]+) ([\d.]+) \|/g)].map((r) => r.slice(1).map(Number));
    for (let t = 1; t < 5; t++) {
      expect(lengths[t][1]).toBeLessThan(lengths[t - 1][1]);
      expect(lengths[t][2]).toBeLessThanOrEqual(lengths[t - 1][2]);
      expect(lengths[t][0]).toBeGreaterThan(0.9);
    }
    expect(nb.markdown).toContain('from 1/3 to 0.99 in 5 iterations');
    expect(toWhole0[4].toFixed(2)).toBe('0.99');
  });

  it("counts the paper's CapsNet as the paper does", () => {
    // conv1 256 9x9 on 28x28x1 -> 20x20; primary 9x9 stride 2 -> 6x6, 32 types x 8 dims; W_ij 8x16 per pair
    const conv1 = 256 * (81 + 1);
    const primary = 256 * (81 * 256 + 1);
    const caps = 6 * 6 * 32 * 10 * 16 * 8;
    const decoder = 512 * (160 + 1) + 1024 * (512 + 1) + 784 * (1024 + 1);
    expect(Math.floor((20 - 9) / 2) + 1).toBe(6);
    expect(nb.number('paper CapsNet without decoder:')).toBe(conv1 + primary + caps);
    expect(nb.number('paper CapsNet with decoder:')).toBe(conv1 + primary + caps + decoder);
    // the paper's rounded numbers (section 5)
    expect(((conv1 + primary + caps) / 1e6).toFixed(1)).toBe('6.8');
    expect(((conv1 + primary + caps + decoder) / 1e6).toFixed(1)).toBe('8.2');
    expect(nb.markdown).toContain('8.2M\nparameters, 6.8M without the decoder');
  });

  it('builds and trains the CapsNet', () => {
    // conv1 9x9: 28 -> 20; primary caps 7x7 stride 3: 20 -> 5, 8 types of 8 dims; digit caps 10 x 16.
    const conv1 = (9 * 9 * 1 + 1) * 16;
    const primary = (7 * 7 * 16 + 1) * 8 * 8;
    const digitCaps = 5 * 5 * 8 * 10 * 8 * 16;
    expect(nb.number('Total params:')).toBe(conv1 + primary + digitCaps);
    expect(nb.stdout).toMatch(/primary_caps \(PrimaryCapsules\) +\(None, 200, 8\)/);
    expect(nb.number('epoch 2: margin loss')).toBeLessThan(nb.number('epoch 1: margin loss'));
    // 2 epochs on 1,024 digits: far above chance (0.1) on any machine
    expect(nb.number('test accuracy (1000 digits):')).toBeGreaterThan(0.6);
    expect(nb.stdout).not.toMatch(/samples\/s|\d ms\b/);
  });

  it('replays routing in the trained network', () => {
    expect(nb.number(/routing iteration 1: agreement [\d.]+, mean largest coupling ([\d.]+)/)).toBeCloseTo(0.1, 3);
    const agreement = [1, 2, 3].map((t) => nb.number(`routing iteration ${t}: agreement`));
    // "agreement rises each iteration ... couplings stay close to uniform ... dot products tiny"
    expect(agreement[1]).toBeGreaterThan(agreement[0]);
    expect(agreement[2]).toBeGreaterThan(agreement[1]);
    expect(nb.number(/routing iteration 3: agreement [\d.]+, mean largest coupling ([\d.]+)/)).toBeLessThan(0.15);
    expect(nb.number('mean |agreement| added to the logits:')).toBeLessThan(0.05);
    expect(nb.number('mean prediction length |u_hat|:')).toBeLessThan(0.2);
    // "changes the accuracy on these 500 digits by at most 0.02"
    const accs = [1, 2, 3].map((t) => nb.number(new RegExp(`routing iteration ${t}: .* accuracy ([\\d.]+)`)));
    expect(Math.max(...accs) - Math.min(...accs)).toBeLessThanOrEqual(0.02 + 1e-9);
    expect(nb.markdown).toContain('by at most 0.02');
    const fig = nb.displays.filter((d) => 'application/vnd.vegalite.v5+json' in d);
    expect(fig).toHaveLength(2);
    const spec = fig[1]['application/vnd.vegalite.v5+json'] as { data: { values: unknown[] } };
    expect(spec.data.values).toHaveLength(4 * 3 * 10); // 4 digits, 3 iterations, 10 capsules
    // "in each, the true digit's capsule is the longest at every iteration"
    const rows = spec.data.values as { example: string; iteration: number; length: number; isLabel: string }[];
    for (const ex of new Set(rows.map((r) => r.example))) {
      for (const t of [1, 2, 3]) {
        const at = rows.filter((r) => r.example === ex && r.iteration === t);
        const best = at.reduce((a, b) => (b.length > a.length ? b : a));
        expect(best.isLabel, `${ex} iteration ${t}`).toBe('true digit');
      }
    }
  });

  it('measures whether the capsule direction carries pose', () => {
    const cos = nb.number('mean cosine between their capsule directions');
    expect(cos).toBeGreaterThanOrEqual(-1);
    expect(cos).toBeLessThanOrEqual(1);
    expect(nb.stdout).toMatch(/shifted 2 px: length [\d.]+ -> [\d.]+, cosine of directions [\d.]+/);
    // "the length drops as the digit moves, and the direction hardly moves"
    const shift = (px: number) => nb.stdout.match(new RegExp(`shifted ${px} px: length ([\\d.]+) -> ([\\d.]+), cosine of directions ([\\d.]+)`))!.slice(1).map(Number);
    const [l0, l2, c2] = shift(2);
    const [, l4, c4] = shift(4);
    expect(l2).toBeLessThan(l0);
    expect(l4).toBeLessThan(l2);
    expect(c2).toBeGreaterThan(0.99);
    expect(c4).toBeGreaterThan(0.99);
    expect(cos).toBeGreaterThan(0.9); // "different handwritten examples ... point almost the same way"
  });

  it('cites the paper for every number it does not compute', () => {
    for (const cite of ['Sabour et al. 2017, table 1', 'section 7', 'Sabour et al. 2017, eq. 1', 'eq. 4', 'Procedure 1',
      'Sabour et al. 2017, section 4.1', 'Sabour et al. 2017, section 3', '(section 5)']) {
      expect(nb.markdown, cite).toContain(cite);
    }
    for (const n of ['0.25%', '5.2%', '0.39%', '8.1%', '10.6%', '0.34%', '0.35%', '0.29%']) expect(nb.markdown).toContain(n);
  });

  it('has recall answers a reader can reveal, one per question', () => {
    const { questions, answers } = nb.recall;
    expect(questions.length).toBe(5);
    expect(answers).toHaveLength(questions.length);
  });
});
