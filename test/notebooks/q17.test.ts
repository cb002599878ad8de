import { describe, expect, it } from 'vitest';
import { Executed } from './executed';

// Keras Applications' count_params() for the same calls (published; the notebook builds without downloads).
const KERAS_NO_TOP = { VGG16: 14_714_688, ResNet50: 23_587_712, InceptionV3: 21_802_784, EfficientNetB0: 4_049_571 };
const KERAS_TOP = { VGG16: 138_357_544, ResNet50: 25_636_712, InceptionV3: 23_851_784, EfficientNetB0: 5_330_571 };
const conv = (k: number, cin: number, cout: number, groups = 1) => (k * k * (cin / groups) + 1) * cout;
const dense = (nin: number, nout: number) => (nin + 1) * nout;
const count = (cell: string | undefined) => Number(cell?.replace(/,/g, ''));

describe('q17-popular-architectures', () => {
  const nb = new Executed('q17-popular-architectures');

  it('runs clean', () => {
    nb.expectOk();
  });

  it("prints Keras's parameter counts without and with the top", () => {
    for (const [name, n] of Object.entries(KERAS_NO_TOP)) expect(nb.number(`${name} params:`)).toBe(n);
    for (const [name, n] of Object.entries(KERAS_TOP)) {
      expect(nb.number(`${name} with top:`)).toBe(n);
      expect(nb.number(new RegExp(`${name} with top: .*classifier ([\\d,]+)`))).toBe(n - KERAS_NO_TOP[name as keyof typeof KERAS_TOP]);
    }
    expect(nb.stdout).toContain('EfficientNetB0 Normalization weights: [3] [3] [] -> 7 parameters');
  });

  it('prints the depths in weight layers on the longest path', () => {
    // VGG16: 13 conv + 3 dense. ResNet50: stem + 16 bottlenecks x 3 + dense.
    // InceptionV3: 5 stem convs, 3 per mixed0-2, 3 in mixed3, 5 per mixed4-7, 4 in mixed8, 3 per mixed9-10, dense.
    // EfficientNetB0: stem, block1a (dw, 2 SE convs, project), 15 blocks x 5 (expand too), top conv, dense.
    const depth = { VGG16: 13 + 3, ResNet50: 1 + 16 * 3 + 1, InceptionV3: 5 + 3 * 3 + 3 + 4 * 5 + 4 + 2 * 3 + 1, EfficientNetB0: 1 + 4 + 15 * 5 + 1 + 1 };
    for (const [name, d] of Object.entries(depth)) expect(nb.number(new RegExp(`${name} with top: .* depth (\\d+)`))).toBe(d);
  });

  it('counts LeNet-5 and AlexNet from their layer lists', () => {
    const lenet = conv(5, 1, 6) + conv(5, 6, 16) + dense(5 * 5 * 16, 120) + dense(120, 84) + dense(84, 10);
    expect(nb.number('LeNet-5 params:')).toBe(lenet);
    const alexnet =
      conv(11, 3, 96) + conv(5, 96, 256, 2) + conv(3, 256, 384) + conv(3, 384, 384, 2) + conv(3, 384, 256, 2) +
      dense(6 * 6 * 256, 4096) + dense(4096, 4096) + dense(4096, 1000);
    expect(nb.number('AlexNet params:')).toBe(alexnet);
    expect(alexnet).toBe(60_965_224); // the published AlexNet count
  });

  it('applies local response normalization as the formula says', () => {
    const a = [100, 1, 1, 1, 1, 1];
    const expected = a.map((v, c) => {
      let sq = 0;
      for (let d = Math.max(0, c - 2); d <= Math.min(5, c + 2); d++) sq += a[d] * a[d];
      return v / (2 + 1e-4 * sq) ** 0.75;
    });
    const printed = nb.stdout.match(/after LRN: +(.*)/)![1].split(' ').map(Number);
    printed.forEach((v, c) => expect(v).toBeCloseTo(expected[c], 3));
    expect(nb.number('LRN parameters:')).toBe(0);
  });

  it("puts most of ResNet50's weights in its last stage", () => {
    const bn = (c: number) => 4 * c;
    const bottleneck = (cin: number, f: number, projection: boolean) =>
      conv(1, cin, f) + conv(3, f, f) + conv(1, f, 4 * f) + bn(f) * 2 + bn(4 * f) + (projection ? conv(1, cin, 4 * f) + bn(4 * f) : 0);
    const conv5 = bottleneck(1024, 512, true) + 2 * bottleneck(2048, 512, false);
    expect(nb.table('ResNet50 stage').header).toEqual(['ResNet50 stage', 'params', 'share']);
    const stage = (name: string) => nb.table('ResNet50 stage').rows.find((c) => c[0] === name) ?? [];
    expect(count(stage('conv5')[1])).toBe(conv5);
    expect(count(stage('conv1')[1])).toBe(conv(7, 3, 64) + bn(64));
    expect(count(stage('classifier')[1])).toBe(dense(2048, 1000));
    expect(Number(stage('conv5')[2].replace('%', ''))).toBeCloseTo((100 * conv5) / KERAS_TOP.ResNet50, 1);
  });

  it('shows the timeline with every network', () => {
    const fig = nb.displays.find((d) => 'application/vnd.vegalite.v5+json' in d);
    expect(fig).toBeDefined();
    const spec = fig!['application/vnd.vegalite.v5+json'] as { data: { values: { name: string; params: number; depth: number }[] } };
    expect(spec.data.values.map((v) => v.name).sort()).toEqual(['AlexNet', 'EfficientNetB0', 'InceptionV3', 'LeNet-5', 'ResNet50', 'VGG16']);
    expect(spec.data.values.find((v) => v.name === 'VGG16')!.params).toBe(KERAS_TOP.VGG16);
    const timeline = nb.table('year');
    expect(timeline.header).toEqual(['year', 'network', 'params', 'depth']);
    for (const [name, n] of Object.entries(KERAS_TOP)) expect(count(timeline.rows.find((c) => c[1] === name)?.[2]), name).toBe(n);
    expect(count(timeline.rows.find((c) => c[1] === 'AlexNet')?.[2])).toBe(60_965_224);
    expect(String(fig!['image/svg+xml'])).toMatch(/^<svg/);
  });
});
