import { describe, expect, it } from 'vitest';
import { Executed } from './executed';

describe('q15-transfer-learning', () => {
  const nb = new Executed('q15-transfer-learning');
  const conv = (k: number, cin: number, cout: number) => (k * k * cin + 1) * cout;
  const dense = (nin: number, nout: number) => (nin + 1) * nout;
  // Keras Applications VGG16 without top: 14,714,688 parameters (published); 13 convs in 5 blocks.
  const vggBase = conv(3, 3, 64) + conv(3, 64, 64) + conv(3, 64, 128) + conv(3, 128, 128) +
    conv(3, 128, 256) + 2 * conv(3, 256, 256) + conv(3, 256, 512) + 2 * conv(3, 512, 512) + 3 * conv(3, 512, 512);
  const vggHead = dense(512, 256) + dense(256, 10);
  const block5 = 3 * conv(3, 512, 512);

  it('runs clean', () => {
    nb.expectOk();
  });

  it('counts the seed recipe on VGG16: frozen base, then block 5 unfrozen', () => {
    expect(vggBase).toBe(14714688);
    expect(nb.stdout).toMatch(new RegExp(`^VGG16 base: 19 layers, ${vggBase} params$`, 'm'));
    expect(nb.number('Strategy 1 trainable params:')).toBe(vggHead);
    expect(nb.number('Strategy 1 non-trainable params:')).toBe(vggBase);
    expect(nb.number('Strategy 2 trainable params:')).toBe(vggHead + block5);
    expect(nb.number('Strategy 2 non-trainable params:')).toBe(vggBase - block5);
    expect(nb.stdout).toMatch(/^Strategy 2 trainable layers of the base: block5_conv1, block5_conv2, block5_conv3$/m);
  });

  it('pretrains on digits 0-4 and reports frozen/trainable counts of each strategy', () => {
    expect(nb.number('pretraining on digits 0-4: ')).toBeGreaterThan(0);
    expect(nb.number(/pretraining on digits 0-4: [\d.]+ s, test accuracy ([\d.]+)/)).toBeGreaterThan(0.9);
    const features = conv(3, 1, 16) + conv(3, 16, 32) + dense(5 * 5 * 32, 64);
    const head = dense(64, 5);
    const counts = (label: string) => nb.stdout.match(new RegExp(`^${label}: trainable params (\\d+), frozen params (\\d+)$`, 'm'))!.slice(1).map(Number);
    expect(counts('from scratch')).toEqual([features + head, 0]);
    expect(counts('feature extraction')).toEqual([head, features]);
    expect(counts('fine-tuning')).toEqual([features + head, 0]);
  });

  it('learns digits 5-9 from 200 examples; the pretrained model is ahead early', () => {
    for (const label of ['from scratch', 'feature extraction', 'fine-tuning']) {
      expect(nb.number(`${label} test accuracy:`)).toBeGreaterThan(0.6); // chance is 0.2
    }
    const rows = [...nb.stdout.matchAll(/^after (\d+) epochs: from scratch ([\d.]+), pretrained ([\d.]+)$/gm)];
    expect(rows.map((r) => Number(r[1]))).toEqual([1, 3, 5, 10, 15, 20]);
    // transfer learning's known effect with little data: a better start
    for (const r of rows.slice(1, 3)) expect(Number(r[3])).toBeGreaterThan(Number(r[2]));
    // ... and the prose's "catches up": after 20 epochs from scratch, within 3 points of the frozen features after 15
    expect(Number(rows[5][2])).toBeGreaterThan(Number(rows[4][3]) - 0.03);
  });

  it('shows the learning curves, an errata note and recall questions', () => {
    expect(nb.displays.filter((d) => 'application/vnd.vegalite.v5+json' in d).length).toBe(1);
    expect(nb.markdown).toMatch(/\*\*Errata\.\*\*/);
    expect(nb.markdown).toMatch(/## Recall/);
  });
});
