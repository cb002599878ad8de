import { describe, expect, it } from 'vitest';
import { Executed } from './executed';

const conv = (k: number, cin: number, cout: number) => (k * k * cin + 1) * cout;
/** U-Net as the seed builds it: two 3x3 convs per level, upsample + 2x2 conv halving channels, concat, two 3x3 convs. */
function unetParams(cin: number, f: number, depth: number, classes: number) {
  const levels: Record<string, number> = {};
  let c = cin;
  for (let l = 0; l < depth; l++) {
    const fl = f * 2 ** l;
    levels[`enc${l + 1}`] = conv(3, c, fl) + conv(3, fl, fl);
    c = fl;
  }
  const fb = f * 2 ** depth;
  levels.bottleneck = conv(3, c, fb) + conv(3, fb, fb);
  c = fb;
  for (let l = depth - 1; l >= 0; l--) {
    const fl = f * 2 ** l;
    levels[`dec${l + 1}`] = conv(2, c, fl) + conv(3, 2 * fl, fl) + conv(3, fl, fl);
    c = fl;
  }
  levels.mask = conv(1, c, classes);
  return { levels, total: Object.values(levels).reduce((a, b) => a + b, 0) };
}

/**
 * Expected foreground fraction of the notebook's masks, by Monte Carlo in plain JS with its own generator:
 * two discs on an H x H grid, centres uniform in [5, H - 5), radii uniform in [3, 6), pixel (r, c) inside
 * when (c - cx)^2 + (r - cy)^2 < radius^2.
 */
function expectedForeground(H: number, images: number) {
  let state = 12345; // mulberry32
  const rand = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
  let inside = 0;
  for (let n = 0; n < images; n++) {
    const discs = [0, 1].map(() => ({ cx: 5 + rand() * (H - 10), cy: 5 + rand() * (H - 10), r: 3 + rand() * 3 }));
    for (let row = 0; row < H; row++) {
      for (let col = 0; col < H; col++) {
        if (discs.some((d) => (col - d.cx) ** 2 + (row - d.cy) ** 2 < d.r ** 2)) inside++;
      }
    }
  }
  return inside / (images * H * H);
}

const median = (vs: number[]) => [...vs].sort((a, b) => a - b)[(vs.length - 1) / 2];

describe('q20-unet', () => {
  const nb = new Executed('q20-unet');

  it('runs clean', () => {
    nb.expectOk();
  });

  it("prints the seed's U-Net: same size in and out, and its parameters level by level", () => {
    const seed = unetParams(1, 64, 2, 1);
    expect(nb.number('Total params:')).toBe(seed.total);
    expect(nb.number("Reference answer's U-Net total:")).toBe(seed.total);
    expect(nb.table('level').rows.map((c) => c[0])).toEqual(Object.keys(seed.levels));
    for (const [level, p] of Object.entries(seed.levels)) {
      const row = nb.table('level').rows.find((c) => c[0] === level);
      expect(Number(row?.[1].replace(/,/g, '')), level).toBe(p);
    }
    expect(nb.stdout).toContain('input [null,256,256,1] -> output [null,256,256,1]');
  });

  it('prints the paper-size U-Net at about 31 million parameters', () => {
    const paper = unetParams(1, 64, 4, 2).total;
    expect(nb.number('Paper-size U-Net (depth 4, 64 filters, 2 classes):')).toBe(paper);
    expect(paper).toBeGreaterThan(31e6);
    expect(paper).toBeLessThan(31.1e6);
    expect(nb.stdout).toContain('bottleneck [null,16,16,1024]'); // 256 / 2^4
  });

  it('trains U-Nets with and without skips over 3 seeds against two baselines', () => {
    const withSkips = unetParams(1, 8, 2, 1).total;
    // Without the concatenations the first 3x3 conv of each decoder level sees fl channels, not 2 fl.
    const noSkips = withSkips - (conv(3, 32, 16) - conv(3, 16, 16)) - (conv(3, 16, 8) - conv(3, 8, 8));
    expect(nb.number('small U-Net:')).toBe(withSkips);
    expect(nb.number('without skips:')).toBe(noSkips);
    const pixel = nb.number(/best pixel threshold [\d.]+: IoU ([\d.]+)/);
    const blur = nb.number(/best blur then threshold: \dx\d box, threshold [\d.]+: IoU ([\d.]+)/);
    const tb = nb.table('method');
    expect(tb.header).toEqual(['method', 'test IoU, seeds 1 2 3', 'median IoU', 'min-max', 'median Dice']);
    const row = (name: string) => tb.rows.find((r) => r[0] === name)!;
    expect(Number(row('pixel threshold')[2])).toBe(pixel);
    expect(Number(row('blur then threshold')[2])).toBe(blur);
    const stats: Record<string, { ious: number[]; median: number; lo: number; hi: number }> = {};
    for (const kind of ['U-Net', 'no skips']) {
      const r = row(kind);
      const ious = r[1].split(/\s+/).map(Number);
      expect(ious).toHaveLength(3);
      const [lo, hi] = r[3].split('-').map(Number);
      expect(Number(r[2])).toBe(median(ious));
      expect(lo).toBe(Math.min(...ious));
      expect(hi).toBe(Math.max(...ious));
      // Dice = 2 IoU / (1 + IoU) run by run, and the map is increasing, so the median Dice is the median IoU's.
      expect(Number(r[4])).toBeCloseTo((2 * median(ious)) / (1 + median(ious)), 2);
      stats[kind] = { ious, median: Number(r[2]), lo, hi };
    }
    // The per-epoch log is the seed-1 U-Net, one line per epoch; its last epoch is the table's first entry.
    const log = [...nb.stdout.matchAll(/U-Net seed 1, epoch (\d+): loss [\d.]+, test IoU ([\d.]+), Dice ([\d.]+)/g)];
    expect(log.map((m) => Number(m[1]))).toEqual([1, 2, 3, 4]);
    const [final, dice] = [Number(log[3][2]), Number(log[3][3])];
    expect(final).toBe(stats['U-Net'].ious[0]);
    expect(dice).toBeCloseTo((2 * final) / (1 + final), 2); // Dice = 2 IoU / (1 + IoU) for the same masks
    // The prose: all background (IoU 0) in the first epoch, then the discs; the last epochs change little.
    expect(Number(log[0][2])).toBe(0);
    expect(Number(log[1][2])).toBeGreaterThan(0.5);
    expect(Math.abs(Number(log[3][2]) - Number(log[2][2]))).toBeLessThan(0.05);
    // The prose: pixel threshold poor, blur recovers most of the gap to the U-Net, every U-Net seed beats
    // both baselines, but by a few points only.
    expect(pixel).toBeLessThan(0.5);
    expect(blur - pixel).toBeGreaterThan(stats['U-Net'].hi - blur);
    expect(stats['U-Net'].lo).toBeGreaterThan(blur);
    expect(stats['U-Net'].hi).toBeLessThan(blur + 0.1);
    // Without skips the network finds the discs too (far above all background's 0 and the pixel threshold),
    // but its best seed ends below every U-Net seed.
    expect(stats['no skips'].lo).toBeGreaterThan(pixel + 0.2);
    expect(stats['no skips'].hi).toBeLessThan(stats['U-Net'].lo);
  });

  it('checks calibration: bins add up, ECE is the weighted gap, probabilities near calibrated', () => {
    const tb = nb.table('probability bin');
    expect(tb.rows.map((r) => r[0])).toEqual(['0.0-0.2', '0.2-0.4', '0.4-0.6', '0.6-0.8', '0.8-1.0']);
    const n = tb.rows.reduce((a, r) => a + Number(r[1]), 0);
    expect(n).toBe(128 * 32 * 32);
    let ece = 0;
    for (const [bin, count, p, y] of tb.rows) {
      if (p === '-') continue;
      const [lo, hi] = bin.split('-').map(Number);
      expect(Number(p)).toBeGreaterThanOrEqual(lo - 0.0005);
      expect(Number(p)).toBeLessThanOrEqual(hi + 0.0005);
      ece += (Number(count) / n) * Math.abs(Number(p) - Number(y));
      // The prose: within a few hundredths in every bin.
      expect(Math.abs(Number(p) - Number(y)), bin).toBeLessThan(0.08);
    }
    expect(nb.number('expected calibration error (5 bins):')).toBeCloseTo(ece, 2);
    // The prose: probabilities close to 0 and 1.
    expect(nb.number('largest predicted probability on the test set:')).toBeGreaterThan(0.9);
    expect(Number(tb.rows[0][2])).toBeLessThan(0.05);
    expect(Number(tb.rows[4][2])).toBeGreaterThan(0.9);
    // Recall answers: the first decoder 3x3 conv of the reference answer's U-Net, and the foreground fraction.
    expect(nb.markdown).toContain('295{,}040');
    expect(conv(3, 256, 128)).toBe(295_040);
    // 256 training masks: the fraction's sampling spread is about 0.003 (each image's about 0.05 / 16).
    const fg = nb.number('foreground fraction:');
    expect(Math.abs(fg - expectedForeground(32, 4000))).toBeLessThan(0.012);
    // The prose: "about an eighth of the pixels" and an empty mask right on "about 88%" of them.
    expect(Math.abs(fg - 1 / 8)).toBeLessThan(0.02);
    expect(Math.round((1 - fg) * 100)).toBe(88);
    expect(nb.markdown.match(/<details><summary>Answer<\/summary>/g)).toHaveLength(5);
  });

  it('shows input, mask, probability and prediction for six test images', () => {
    const fig = nb.displays.find((d) => 'application/vnd.vegalite.v5+json' in d);
    const spec = fig!['application/vnd.vegalite.v5+json'] as { data: { values: { img: number }[] } };
    expect(new Set(spec.data.values.map((v) => v.img)).size).toBe(6 * 4);
    expect(String(fig!['image/png']).length).toBeGreaterThan(1000);
  });
});
