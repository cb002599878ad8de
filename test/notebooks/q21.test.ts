import { describe, expect, it } from 'vitest';
import { Executed } from './executed';

describe('q21-attention', () => {
  const nb = new Executed('q21-attention');
  const conv = (k: number, cin: number, cout: number) => (k * k * cin + 1) * cout;
  const dense = (nin: number, nout: number) => (nin + 1) * nout;
  // Squeeze-and-excitation with biases: W1 [C, C/r] + b1 + W2 [C/r, C] + b2.
  const seParams = (c: number, r: number) => (2 * c * c) / r + c / r + c;
  // Spatial attention: a k x k convolution over [mean, max] (2 channels) to 1 channel, with a bias.
  const saParams = (k: number) => 2 * k * k + 1;
  const totals = () => [...nb.stdout.matchAll(/^Total params: ([\d,]+)$/gm)].map((m) => Number(m[1].replace(/,/g, '')));

  it('runs clean', () => {
    nb.expectOk();
  });

  it("counts the seed's CBAM model by the formulas", () => {
    const cbam = (c: number) => seParams(c, 8) + saParams(7);
    // 224x224x3 -> conv 64 -> CBAM -> pool -> conv 128 -> CBAM -> GAP -> dense 1000.
    const expected = conv(3, 3, 64) + cbam(64) + conv(3, 64, 128) + cbam(128) + dense(128, 1000);
    expect(totals()[0]).toBe(expected);
    expect(nb.stdout).toMatch(/^Model with attention mechanisms$/m);
    for (const [name, c] of [['cbam1', 64], ['cbam2', 128]] as const) {
      expect(nb.number(`${name} (C=${c}, r=8): layer params`)).toBe(cbam(c));
      expect(nb.number(new RegExp(`${name} .*2\\*C\\*C/r \\+ C/r \\+ C = (\\d+)`))).toBe(seParams(c, 8));
    }
    const attention = cbam(64) + cbam(128);
    expect(nb.number('attention parameters:')).toBe(attention);
    expect(nb.number(new RegExp(`attention parameters: \\d+ of \\d+ \\(([\\d.]+)%\\)`))).toBeCloseTo((100 * attention) / expected, 2);
    // The shared MLP serves both poolings: the paper's CBAM costs the same.
    expect(nb.number('CBAM as in the paper (average and max pooling) params:')).toBe(expected);
    expect(nb.number(/-> (\d+) class probabilities/)).toBe(1000);
    expect(nb.number(/class probabilities, sum ([\d.]+)/)).toBeCloseTo(1, 3);
  });

  it('tabulates the SE overhead by formula, and about 10% for SE-ResNet-50', () => {
    const rows = [...nb.stdout.matchAll(/^C=\s*(\d+): (r=.*)$/gm)];
    expect(rows.map((m) => Number(m[1]))).toEqual([64, 256, 512, 2048]);
    for (const [, cs, rest] of rows) {
      const c = Number(cs);
      for (const m of rest.matchAll(/r=(\d+): SE ([\d,]+) params = ([\d.]+)% of a 3x3 conv/g)) {
        const r = Number(m[1]);
        expect(Number(m[2].replace(/,/g, ''))).toBe(seParams(c, r));
        expect(Number(m[3])).toBeCloseTo((100 * seParams(c, r)) / conv(3, c, c), 2);
      }
    }
    // ResNet-50's 16 bottlenecks: 3, 4, 6, 3 blocks with 256, 512, 1024, 2048 output channels; r = 16.
    const seResnet = 3 * seParams(256, 16) + 4 * seParams(512, 16) + 6 * seParams(1024, 16) + 3 * seParams(2048, 16);
    expect(nb.number('SE blocks added to ResNet-50 (r=16):')).toBe(seResnet);
    // The SENet paper: ~2.5 million extra parameters, ~10% of ResNet-50's ~25 million.
    expect(seResnet).toBeGreaterThan(2.4e6);
    expect(seResnet).toBeLessThan(2.6e6);
    expect(nb.number(/relative to ResNet-50's [\d,]+: ([\d.]+)%/)).toBeCloseTo((100 * seResnet) / 25_636_712, 1);
  });

  it('builds the MNIST models with the parameter counts of the formulas', () => {
    // 28 -conv3-> 26 -pool-> 13 -conv3-> 11 -pool-> 5: the dense layer sees 5*5*32.
    const plain = conv(3, 1, 16) + conv(3, 16, 32) + dense(5 * 5 * 32, 10);
    expect(nb.number('plain model params:')).toBe(plain);
    expect(nb.number('SE layer params (C=32, r=4):')).toBe(seParams(32, 4));
    expect(nb.number('spatial attention params (k=7):')).toBe(saParams(7));
    expect(nb.number('attention model params:')).toBe(plain + seParams(32, 4) + saParams(7));
    expect(totals()[1]).toBe(plain + seParams(32, 4) + saParams(7));
  });

  it('reads the gates before and after training, consistently with the prose', () => {
    const before = nb.stdout.match(/before training: mean SE weight ([\d.]+), mean spatial weight ([\d.]+)/)!;
    const [seB, saB] = [Number(before[1]), Number(before[2])];
    for (const g of [seB, saB]) expect(g > 0 && g < 1).toBe(true);
    expect(nb.number('product of the two means (rough scaling of an activation by both gates):')).toBeCloseTo(seB * saB, 2);
    const after = nb.stdout.match(/after training: mean SE weight ([\d.]+), mean spatial weight ([\d.]+)/)!;
    // The notebook says training opened both gates.
    expect(Number(after[1])).toBeGreaterThan(seB);
    expect(Number(after[2])).toBeGreaterThan(saB);
    const plainAcc = nb.number('plain model: test accuracy');
    const attnAcc = nb.number('attention model: test accuracy');
    expect(plainAcc).toBeGreaterThan(0.85);
    expect(attnAcc).toBeGreaterThan(0.8);
    // The notebook says the attention model did not beat the plain one in this short run.
    expect(attnAcc).toBeLessThanOrEqual(plainAcc);
  });

  it('compares plain and attention models over 3 seeds with consistent statistics', () => {
    const tb = nb.table('model');
    expect(tb.header).toEqual(['model', 'test accuracy, seeds 210 211 212', 'mean', 'min-max']);
    const stats: Record<string, { mean: number; lo: number; hi: number; accs: number[] }> = {};
    for (const kind of ['plain', 'attention']) {
      const row = tb.rows.find((r) => r[0] === kind)!;
      expect(row, kind).toBeDefined();
      const accs = row[1].split(/\s+/).map(Number);
      expect(accs).toHaveLength(3);
      const [lo, hi] = row[3].split('-').map(Number);
      expect(Number(row[2])).toBeCloseTo(accs.reduce((a, b) => a + b, 0) / 3, 2);
      expect(lo).toBe(Math.min(...accs));
      expect(hi).toBe(Math.max(...accs));
      for (const a of accs) expect(a).toBeGreaterThan(0.7); // chance is 0.1
      stats[kind] = { mean: Number(row[2]), lo, hi, accs };
    }
    // The first seed is the run printed above.
    expect(stats.plain.accs[0]).toBeCloseTo(nb.number('plain model: test accuracy'), 3);
    expect(stats.attention.accs[0]).toBeCloseTo(nb.number('attention model: test accuracy'), 3);
    // The prose: attention is not the more accurate one, the ranges overlap, the gap is within the spread.
    expect(stats.attention.mean).toBeLessThanOrEqual(stats.plain.mean);
    expect(stats.attention.hi).toBeGreaterThanOrEqual(stats.plain.lo);
    expect(stats.plain.mean - stats.attention.mean).toBeLessThan(0.03);
  });

  it('builds the cluttered-canvas models with the parameter counts of the formulas', () => {
    expect(nb.stdout).toContain('cluttered canvases: train [1000,40,40,1], test [1000,40,40,1]');
    // conv 5x5/2 1->8, conv 3x3 8->12, pool, conv 3x3 12->24, pooling, dense 24->10.
    const plain = conv(5, 1, 8) + conv(3, 8, 12) + conv(3, 12, 24) + dense(24, 10);
    expect(nb.number('cluttered plain model params:')).toBe(plain);
    // Attention pooling: a 1x1 convolution scoring each position, C weights and a bias.
    expect(nb.number(/of which attention pooling (\d+)/)).toBe(24 + 1);
    expect(nb.number('cluttered attention model params:')).toBe(plain + 24 + 1);
    // The prose: 25 parameters, under 1% of the plain model's 3,950.
    expect(plain).toBe(3950);
    expect(25 / plain).toBeLessThan(0.01);
  });

  it('compares average pooling and attention pooling on cluttered canvases over 3 seeds; the ranges separate', () => {
    const tb = nb.table('cluttered canvas');
    expect(tb.header).toEqual(['cluttered canvas', 'test accuracy, seeds 210 211 212', 'median', 'min-max']);
    const stats: Record<string, { lo: number; hi: number; med: number }> = {};
    for (const kind of ['plain', 'attention']) {
      const row = tb.rows.find((r) => r[0] === kind)!;
      expect(row, kind).toBeDefined();
      const accs = row[1].split(/\s+/).map(Number);
      expect(accs).toHaveLength(3);
      const sorted = [...accs].sort((a, b) => a - b);
      const [lo, hi] = row[3].split('-').map(Number);
      expect(Number(row[2])).toBe(sorted[1]);
      expect(lo).toBe(sorted[0]);
      expect(hi).toBe(sorted[2]);
      for (const a of accs) expect(a).toBeGreaterThan(0.15); // chance is 0.1: both models learned something
      stats[kind] = { lo, hi, med: sorted[1] };
    }
    // The prose and the short answer: attention pooling beat average pooling for every seed, and its worst
    // run beat the plain model's best.
    expect(stats.attention.lo).toBeGreaterThan(stats.plain.hi);
    // ... and both stay far below the clean-digit runs (the first table).
    const clean = nb.table('model').rows.flatMap((r) => r[1].split(/\s+/).map(Number));
    expect(stats.attention.hi).toBeLessThan(Math.min(...clean) - 0.2);
    expect(nb.markdown).toMatch(/beat\s+global\s+average\s+pooling\s+in\s+the\s+same\s+network\s+for\s+each\s+of\s+3\s+random\s+seeds/);
  });

  it('measures the attention on the digit against the share average pooling gives it', () => {
    // 40x40 canvas, 10x10 map: each cell is a 4x4 block; a 28x28 box holds the centres of exactly 7 x 7 cells
    // wherever it sits (centres 4 px apart, box 28 px wide), so average pooling puts 49/100 on the digit.
    expect(nb.stdout).toContain('attention map shape: [1000,10,10,1]');
    const m = nb.stdout.match(/mean attention weight on the digit's box: ([\d.]+); average pooling: ([\d.]+)/)!;
    expect(Number(m[2])).toBeCloseTo((7 * 7) / 100, 3);
    const onDigit = Number(m[1]);
    expect(onDigit).toBeLessThanOrEqual(1);
    // The prose: most of the attention goes to the digit, far above the uniform share.
    expect(onDigit).toBeGreaterThan(0.8);
    const peak = nb.stdout.match(/canvases whose most-attended cell is on the digit: (\d+) of (\d+)/)!;
    expect(Number(peak[2])).toBe(1000);
    expect(Number(peak[1]) / 1000).toBeGreaterThan(0.9);
    // The prose: concentrated weights, a canvas's largest single weight above one half on average.
    const largest = nb.number("mean of each canvas's largest single weight:");
    expect(largest).toBeGreaterThan(0.5);
    expect(largest).toBeLessThanOrEqual(1);
    // The receptive field of one cell: kernels 5, 3, 2 (pool), 3 with strides 2, 1, 2, 1.
    const layers = [[5, 2], [3, 1], [2, 2], [3, 1]];
    let rf = 1;
    let jump = 1;
    for (const [k, st] of layers) {
      rf += (k - 1) * jump;
      jump *= st;
    }
    expect(rf).toBe(19);
    expect(nb.markdown).toMatch(new RegExp(`each\\s+cell\\s+sees\\s+a\\s+${rf}×${rf}\\s+window`));
  });

  it('counts ECA kernels by the paper formula', () => {
    const kOf = (c: number) => {
      const t = Math.floor((Math.log2(c) + 1) / 2);
      return t % 2 === 1 ? t : t + 1;
    };
    const rows = [...nb.stdout.matchAll(/^C=\s*(\d+): ECA k=(\d+), (\d+) params; SE \(r=16\) ([\d,]+) params$/gm)];
    expect(rows.map((m) => Number(m[1]))).toEqual([64, 256, 512, 1024, 2048]);
    for (const [, cs, k, p, se] of rows) {
      const c = Number(cs);
      expect(Number(k)).toBe(kOf(c));
      expect(Number(p)).toBe(kOf(c));
      expect(Number(se.replace(/,/g, ''))).toBe(seParams(c, 16));
    }
    expect(kOf(256)).toBe(5); // the recall answer
    const eca = 3 * kOf(256) + 4 * kOf(512) + 6 * kOf(1024) + 3 * kOf(2048);
    expect(nb.number('ECA blocks added to ResNet-50 (adaptive k):')).toBe(eca);
    expect(eca).toBeLessThan(100); // the prose: under a hundred
    expect(nb.markdown.match(/<details><summary>Answer<\/summary>/g)).toHaveLength(6);
  });

  it('shows per-digit SE weights: in (0, 1), input-dependent, and the layer is x * excitation', () => {
    const rows = [...nb.stdout.matchAll(/^digit (\d): SE weights ([\d. ]+)$/gm)];
    expect(rows.map((m) => Number(m[1]))).toEqual([0, 1, 4, 7]);
    const w = rows.map((m) => m[2].trim().split(/\s+/).map(Number));
    for (const row of w) {
      expect(row).toHaveLength(32);
      for (const v of row) expect(v >= 0 && v <= 1).toBe(true);
    }
    const flat = w.flat();
    const range = nb.stdout.match(/SE weight range: min ([\d.]+), max ([\d.]+)/)!;
    expect(Number(range[1])).toBeCloseTo(Math.min(...flat), 2);
    expect(Number(range[2])).toBeCloseTo(Math.max(...flat), 2);
    const spread = Math.max(...w[0].map((_, c) => Math.max(...w.map((r) => r[c])) - Math.min(...w.map((r) => r[c]))));
    expect(nb.number("largest difference of one channel's weight between two digits:")).toBeCloseTo(spread, 1);
    expect(spread).toBeGreaterThan(0.02);
    // The prose: the '0' gets the most extreme weights, the '1' the flattest profile.
    const extremity = w.map((row) => row.reduce((a, v) => a + Math.abs(v - 0.5), 0) / row.length);
    expect(extremity[0]).toBe(Math.max(...extremity));
    expect(extremity[1]).toBe(Math.min(...extremity));
    // Channels listed as below 0.5 for every digit (two-decimal printing: allow the rounding).
    const low = nb.stdout.match(/channels below 0.5 for all four digits: ([\d, ]+)$/m)![1].split(', ').map(Number);
    for (let c = 0; c < 32; c++) {
      if (low.includes(c)) expect(w.every((r) => r[c] <= 0.505), `channel ${c}`).toBe(true);
      else expect(w.some((r) => r[c] >= 0.495), `channel ${c}`).toBe(true);
    }
    expect(nb.number('max |SE(x) - x * excitation(x)|:')).toBeLessThan(1e-6);
  });

  it('shows spatial attention maps of the pooled size, higher over the digit', () => {
    // conv 3x3 valid then pool 2: floor((28 - 3 + 1) / 2) = 13.
    const side = Math.floor((28 - 3 + 1) / 2);
    expect(nb.stdout).toContain(`spatial map shape: [4,${side},${side},1]`);
    const range = nb.stdout.match(/spatial weight range: min ([\d.]+), max ([\d.]+)/)!;
    expect(Number(range[1])).toBeGreaterThan(0);
    expect(Number(range[2])).toBeLessThan(1.0001);
    const m = nb.stdout.match(/over the digit: ([\d.]+), over the background: ([\d.]+)/)!;
    expect(Number(m[1])).toBeGreaterThan(Number(m[2]));
  });

  it('explains four predictions with Grad-CAM and integrated gradients; the attributions are complete', () => {
    // conv1 3x3 valid: 28 -> 26, pool 2: 13, conv2 3x3 valid: 11.
    const side = (28 - 3 + 1) / 2 - 3 + 1;
    expect(nb.stdout).toMatch(new RegExp(`^Grad-CAM: layer conv2, a ${side}x${side} map resized to 28x28, classes explained \\d, \\d, \\d, \\d$`, 'm'));
    const cam = nb.stdout.match(/^mean Grad-CAM value on ink pixels: ([\d.]+), on background pixels: ([\d.]+)$/m)!;
    for (const v of cam.slice(1).map(Number)) expect(v).toBeGreaterThanOrEqual(0); // ReLU, scaled to [0, 1]
    for (const v of cam.slice(1).map(Number)) expect(v).toBeLessThanOrEqual(1);
    const rows = [...nb.stdout.matchAll(/^digit (\d): F\(x\) = ([\d.]+), F\(black\) = ([\d.]+), sum of attributions = (-?[\d.]+)$/gm)];
    expect(rows.map((r) => Number(r[1]))).toEqual([0, 1, 4, 7]);
    let largest = 0;
    for (const [, , fx, fb, sum] of rows) {
      // Completeness (Sundararajan et al.): the attributions add up to F(x) - F(baseline); 4-decimal rounding aside.
      const diff = Number(fx) - Number(fb);
      expect(Math.abs(Number(sum) - diff)).toBeLessThan(0.05 * Math.abs(diff) + 2e-4);
      largest = Math.max(largest, Math.abs(Number(sum) - diff) / Math.abs(diff));
      for (const v of [fx, fb]) expect(Number(v)).toBeLessThanOrEqual(1); // softmax probabilities
    }
    expect(nb.number('largest completeness gap:')).toBeCloseTo(100 * largest, 1);
  });

  it('shows the cluttered attention maps, the SE weights, the spatial maps, Grad-CAM and integrated gradients as figures', () => {
    const figs = nb.displays.filter((d) => 'application/vnd.vegalite.v5+json' in d);
    expect(figs).toHaveLength(5);
    for (const fig of figs) {
      expect(String(fig['image/svg+xml'])).toMatch(/^<svg/);
      expect(String(fig['image/png']).length).toBeGreaterThan(1000);
    }
    const [clutter, bars, ...overlays] = figs.map((f) => f['application/vnd.vegalite.v5+json'] as Record<string, any>);
    expect(clutter.vconcat).toHaveLength(4); // four cluttered test canvases with their attention weights
    expect(JSON.stringify(clutter)).toContain('Attention pooling on cluttered test canvases');
    expect(bars.mark.type).toBe('bar');
    expect(bars.data.values).toHaveLength(4 * 32);
    for (const overlay of overlays) expect(overlay.vconcat).toHaveLength(4);
  });

  it('has an errata note and recall questions', () => {
    expect(nb.markdown).toMatch(/\*\*Errata\.\*\*/);
    expect(nb.markdown).toMatch(/## Recall/);
  });
});
