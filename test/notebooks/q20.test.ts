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

  it('trains the small U-Net to beat the best pixel threshold', () => {
    expect(nb.number('small U-Net:')).toBe(unetParams(1, 8, 2, 1).total);
    const threshold = nb.number(/best pixel threshold [\d.]+: IoU ([\d.]+)/);
    const final = nb.number(/epoch 5: loss [\d.]+, test IoU ([\d.]+)/);
    expect(threshold).toBeGreaterThan(0);
    expect(final).toBeGreaterThan(threshold + 0.2);
    const dice = nb.number(/epoch 5: loss [\d.]+, test IoU [\d.]+, Dice ([\d.]+)/);
    expect(dice).toBeCloseTo((2 * final) / (1 + final), 2); // Dice = 2 IoU / (1 + IoU) for the same masks
  });

  it('shows input, mask, probability and prediction for six test images', () => {
    const fig = nb.displays.find((d) => 'application/vnd.vegalite.v5+json' in d);
    const spec = fig!['application/vnd.vegalite.v5+json'] as { data: { values: { img: number }[] } };
    expect(new Set(spec.data.values.map((v) => v.img)).size).toBe(6 * 4);
    expect(String(fig!['image/png']).length).toBeGreaterThan(1000);
  });
});
