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
    expect(tb.header).toEqual(['method', 'test IoU, seeds 1 2 3', 'mean IoU', 'min-max', 'mean Dice']);
    const row = (name: string) => tb.rows.find((r) => r[0] === name)!;
    expect(Number(row('pixel threshold')[2])).toBe(pixel);
    expect(Number(row('blur then threshold')[2])).toBe(blur);
    const stats: Record<string, { ious: number[]; mean: number; lo: number; hi: number }> = {};
    for (const kind of ['U-Net', 'no skips']) {
      const r = row(kind);
      const ious = r[1].split(/\s+/).map(Number);
      expect(ious).toHaveLength(3);
      const [lo, hi] = r[3].split('-').map(Number);
      expect(Number(r[2])).toBeCloseTo(ious.reduce((a, b) => a + b, 0) / 3, 2);
      expect(lo).toBe(Math.min(...ious));
      expect(hi).toBe(Math.max(...ious));
      stats[kind] = { ious, mean: Number(r[2]), lo, hi };
    }
    // The per-epoch log is the seed-1 U-Net; its last epoch is the table's first entry.
    const final = nb.number(/U-Net seed 1, epoch 5: loss [\d.]+, test IoU ([\d.]+)/);
    expect(final).toBe(stats['U-Net'].ious[0]);
    const dice = nb.number(/U-Net seed 1, epoch 5: loss [\d.]+, test IoU [\d.]+, Dice ([\d.]+)/);
    expect(dice).toBeCloseTo((2 * final) / (1 + final), 2); // Dice = 2 IoU / (1 + IoU) for the same masks
    expect(nb.number(/U-Net seed 1, epoch 1: loss [\d.]+, test IoU ([\d.]+)/)).toBe(0); // all background first
    // The prose: pixel threshold poor, blur recovers most, every U-Net seed beats both baselines.
    expect(pixel).toBeLessThan(0.5);
    expect(blur).toBeGreaterThan(pixel + 0.2);
    expect(stats['U-Net'].lo).toBeGreaterThan(blur);
    // Without skips: at most one seed leaves the all-background solution, and it ends below every U-Net seed.
    expect(stats['no skips'].ious.filter((v) => v > 0).length).toBeLessThanOrEqual(1);
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
    expect(nb.number('largest predicted probability on the test set:')).toBeGreaterThan(0.9);
    // Recall answers: the first decoder 3x3 conv of the reference answer's U-Net, and the foreground fraction.
    expect(nb.markdown).toContain('295{,}040');
    expect(conv(3, 256, 128)).toBe(295_040);
    expect(nb.number('foreground fraction:')).toBeCloseTo(0.122, 3);
    expect(nb.markdown.match(/<details><summary>Answer<\/summary>/g)).toHaveLength(5);
  });

  it('shows input, mask, probability and prediction for six test images', () => {
    const fig = nb.displays.find((d) => 'application/vnd.vegalite.v5+json' in d);
    const spec = fig!['application/vnd.vegalite.v5+json'] as { data: { values: { img: number }[] } };
    expect(new Set(spec.data.values.map((v) => v.img)).size).toBe(6 * 4);
    expect(String(fig!['image/png']).length).toBeGreaterThan(1000);
  });
});
