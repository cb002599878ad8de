import { describe, expect, it } from 'vitest';
import { Executed } from './executed';

const MB = 1024 ** 2;
const conv = (k: number, cin: number, cout: number) => (k * k * cin + 1) * cout;
const dense = (nin: number, nout: number) => (nin + 1) * nout;

// The seed's networks on 224x224x3: a valid 3x3 conv gives 222x222x64, pooling 111x111x64.
const SHALLOW = {
  acts: 222 * 222 * 64 + 111 * 111 * 64 + 111 * 111 * 64 + 1000, // conv, pool, flatten, dense
  params: conv(3, 3, 64) + dense(111 * 111 * 64, 1000),
  macs: 222 * 222 * 27 * 64 + 111 * 111 * 64 * 1000,
};
const DEEP = {
  acts: 51 * 222 * 222 * 64 + 64 + 1000, // 51 convs at 222x222x64, GAP, dense
  params: conv(3, 3, 64) + 50 * conv(3, 64, 64) + dense(64, 1000),
  macs: 222 * 222 * 27 * 64 + 50 * 222 * 222 * 576 * 64 + 64 * 1000,
};

/**
 * Layer outputs of Keras's ResNet-50 per 224x224 image (input layer excluded). A bottleneck block of f
 * filters at s x s outputs: 1x1 conv, BN, ReLU (3 s^2 f), 3x3 conv, BN, ReLU (3 s^2 f), 1x1 conv, BN,
 * add, ReLU (4 x s^2 4f) = 22 s^2 f; the first block of a stage adds the projection conv and BN (8 s^2 f).
 */
const identityBlock = (s: number, f: number) => 22 * s * s * f;
const firstBlock = (s: number, f: number) => 30 * s * s * f;
const STAGES: [number, number, number][] = [[56, 64, 3], [28, 128, 4], [14, 256, 6], [7, 512, 3]];
const resnetActs = (blocks: number[]) =>
  230 * 230 * 3 + 3 * 112 * 112 * 64 + 114 * 114 * 64 + 56 * 56 * 64 + // pad, conv/bn/relu, pad, pool
  STAGES.reduce((a, [s, f], i) => a + firstBlock(s, f) + (blocks[i] - 1) * identityBlock(s, f), 0) +
  2048 + 1000; // avg pool, predictions
// Keras's published counts (keras.applications ResNet50 / ResNet152, include_top=True).
const R50_PARAMS = 25_636_712;
const R152_PARAMS = 60_419_944;

describe('q22-computational-challenges', () => {
  const nb = new Executed('q22-computational-challenges');

  it('runs clean', () => {
    nb.expectOk();
  });

  it("reproduces the seed's memory estimates and counts, with the compute ratio it gets wrong", () => {
    expect(nb.number('Shallow network memory:')).toBeCloseTo((32 * 4 * SHALLOW.acts) / MB, 1);
    expect(nb.number('Deep network memory:')).toBeCloseTo((32 * 4 * DEEP.acts) / MB, 1);
    expect(nb.number('Shallow: 4 layers,')).toBe(SHALLOW.params);
    expect(nb.number('Deep: 53 layers,')).toBe(DEEP.params);
    expect(nb.number('Deep network takes ~')).toBe(Math.round(53 / 4));
    expect(nb.number('Shallow:')).toBe(4);
    expect(nb.number(/Shallow: ([\d,]+) MACs per image/)).toBe(SHALLOW.macs);
    expect(nb.number(/Deep: ([\d,]+) MACs per image/)).toBe(DEEP.macs);
    expect(nb.number('compute ratio deep / shallow:')).toBeCloseTo(DEEP.macs / SHALLOW.macs, 1);
    expect(nb.number('parameter ratio shallow / deep:')).toBeCloseTo(SHALLOW.params / DEEP.params, 1);
    expect(nb.number(/Shallow: [\d,]+ MACs per image; weights ([\d.]+) MB/)).toBeCloseTo((4 * SHALLOW.params) / MB, 1);
    expect(nb.number(/Shallow: .*weights \+ gradients \+ Adam ([\d.]+) MB/)).toBeCloseTo((16 * SHALLOW.params) / MB, 1);
    expect(nb.number('largest layer of the shallow net: dense,')).toBe(dense(111 * 111 * 64, 1000));
    expect(nb.markdown).toMatch(/\*\*Errata\.\*\*.*13x.*104/s);
  });

  it('sums ResNet-50 activations by layer and extends them to ResNet-152', () => {
    const r50 = resnetActs([3, 4, 6, 3]);
    const r152 = resnetActs([3, 8, 36, 3]);
    expect(nb.number('ResNet-50:')).toBe(R50_PARAMS);
    expect(nb.number(/ResNet-50: [\d,]+ params, ([\d,]+) activation values/)).toBe(r50);
    expect(nb.number('identity block of stage 3:')).toBe(identityBlock(28, 128));
    expect(nb.number('of stage 4:')).toBe(identityBlock(14, 256));
    expect(nb.number('ResNet-152:')).toBe(R152_PARAMS);
    expect(nb.number(/ResNet-152: [\d,]+ params, ([\d,]+) activation values/)).toBe(r152);
    expect(nb.number(/ResNet-152: .* per image = ([\d.]+) MB/)).toBeCloseTo((4 * r152) / MB, 1);
    const state = (16 * R152_PARAMS) / MB;
    expect(nb.number(/batch 1: .* = ([\d.]+) GB/)).toBeCloseTo((state + (4 * r152) / MB) / 1024, 2);
    expect(nb.number(/batch 32: .* = ([\d.]+) GB/)).toBeCloseTo((state + (32 * 4 * r152) / MB) / 1024, 2);
    expect(nb.number('largest batch in float32')).toBe(Math.floor((16 * 1024 - state) / ((4 * r152) / MB)));
    expect(nb.number('with float16 activations')).toBe(Math.floor((16 * 1024 - state) / ((2 * r152) / MB)));
    expect(nb.markdown).toMatch(/\*\*Errata\.\*\*.*ResNet-152.*0\.3 GB/s);
  });

  // The measured stacks: batch 16 of 32x32x3, L convs 3x3 'same' with 16 filters, GAP, dense 10.
  const B = 16;
  const out = B * 32 * 32 * 16 * 4; // bytes of one layer output
  const input = B * 32 * 32 * 3 * 4;
  const num = (cell: string) => Number(cell.replace(/[,x%+]/g, ''));
  // Three tables start with the column 'depth L': the measured steps, checkpointing, the projection.
  const table = () =>
    nb.table('depth L', 0).rows.map((m) => ({
      L: num(m[0]), params: num(m[1]), macs: num(m[2]), estimate: num(m[3]), held: num(m[4]), ms: num(m[5]), forward: num(m[6]),
    }));

  it('measures memory that grows by three layer outputs per layer, as the tape keeps conv, add and relu outputs', () => {
    const rows = table();
    expect(rows.map((r) => r.L)).toEqual([2, 4, 8, 16]);
    for (const r of rows) {
      expect(r.params).toBe(conv(3, 3, 16) + (r.L - 1) * conv(3, 16, 16) + dense(16, 10));
      expect(r.macs).toBe(32 * 32 * 9 * (3 * 16 + (r.L - 1) * 16 * 16));
      expect(r.estimate).toBeCloseTo((r.L * out) / MB, 2);
      const expected = (3 * r.L * out + input) / MB; // plus a few KB of saved weight handles
      expect(Math.abs(r.held - expected) / expected).toBeLessThan(0.02);
    }
    expect(nb.number(/= ([\d.]+) layer outputs of/)).toBeCloseTo(3, 1);
    expect(nb.number('held at L=16 / estimate:')).toBeCloseTo((3 * 16 * out + input) / (16 * out), 1);
    // Times vary on a shared machine: only the printed ratio is checked against the printed times.
    for (const r of nb.table('depth L', 0).rows) expect(Math.abs(num(r[7]) - num(r[5]) / num(r[6]))).toBeLessThan(0.06 * num(r[7]) + 0.06);
  });

  it('measures what checkpointing keeps, as predicted segment by segment', () => {
    expect(nb.table('depth L', 1).header.slice(0, 6)).toEqual(['depth L', 'segment s', 'checkpoints MB', 'held plain MB', 'held checkpointed MB', 'saving']);
    const rows = nb.table('depth L', 1).rows.map((m) => ({
      L: num(m[0]), s: num(m[1]), kept: num(m[2]), plain: num(m[3]), ckpt: num(m[4]), saving: num(m[5]),
    }));
    expect(rows).toHaveLength(4);
    for (const r of rows) {
      expect(r.s).toBe(Math.round(Math.sqrt(r.L)));
      const segments = Math.ceil(r.L / r.s);
      expect(r.kept).toBeCloseTo((segments * out) / MB, 2);
      // Backward of segment k (last first): checkpoints 1..k+1 alive (later ones freed), the segment's tape of
      // 3 tensors per layer, the gradient at its output, and the tape's second handle on its input.
      let peak = 0;
      for (let k = segments - 1; k >= 0; k--) {
        const n = Math.min(r.L, (k + 1) * r.s) - k * r.s;
        const bytes = (k + 1) * out + 3 * n * out + out + (k > 0 ? out : input);
        peak = Math.max(peak, bytes);
      }
      expect(Math.abs(r.ckpt - peak / MB) / (peak / MB)).toBeLessThan(0.02);
      expect(r.saving).toBeCloseTo(r.plain / r.ckpt, 1);
    }
    expect(rows[3].saving).toBeGreaterThan(2.5);
    expect(rows[0].saving).toBeLessThan(1);
  });

  it('extrapolates checkpointing and mixed precision from the measured slope', () => {
    const slope = nb.number('measured memory per added layer:');
    expect(nb.table('depth L', 2).header).toEqual(['depth L', 'plain MB', 'segment s', 'checkpointed MB', 'saving', 'mixed precision MB', 'both MB']);
    const projected = nb.table('depth L', 2).rows;
    expect(projected.map((r) => num(r[0]))).toEqual([16, 50, 152, 1000]);
    for (const row of projected) {
      const L = num(row[0]);
      const s = Math.round(Math.sqrt(L));
      const m = [row[0], row[1], row[2], row[3], row[5], row[6]];
      expect(Number(m[2])).toBe(s);
      expect(Number(m[1])).toBeCloseTo(slope * L, -1);
      const ckpt = Math.ceil(L / s) * (out / MB) + slope * s;
      expect(Math.abs(Number(m[3]) - ckpt)).toBeLessThanOrEqual(1);
      expect(Math.abs(Number(m[4]) - (slope * L) / 2)).toBeLessThanOrEqual(1);
      expect(Math.abs(Number(m[5]) - ckpt / 2)).toBeLessThanOrEqual(1);
    }
  });

  it('shows the depth figure', () => {
    const figs = nb.displays.filter((d) => 'application/vnd.vegalite.v5+json' in d);
    expect(figs).toHaveLength(1);
    const spec = JSON.stringify(figs[0]['application/vnd.vegalite.v5+json']);
    for (const series of ['plain', 'checkpointed', 'estimate (formula)', 'float16 (computed)', 'forward only']) expect(spec).toContain(series);
  });
  it('has recall answers a reader can reveal, one per question, that agree with the cells', () => {
    const { text: recall, questions, answers } = nb.recall;
    expect(questions.length).toBe(5);
    expect(answers).toHaveLength(questions.length);
    // Answer 4: the deep network does about 104x the multiply-adds (printed ratio).
    expect(recall).toContain('about 104 times the MACs');
    expect(nb.number('compute ratio deep / shallow:')).toBeGreaterThan(100);
    // No timing conclusion beyond the trend: the prose names the run-to-run variation instead.
    expect(nb.markdown).toContain('vary by up to 2×');
  });
});
