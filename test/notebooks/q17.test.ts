import { describe, expect, it } from 'vitest';
import { Executed } from './executed';

// Keras Applications' count_params() for the same calls (published; the notebook builds without downloads).
const KERAS_NO_TOP = { VGG16: 14_714_688, ResNet50: 23_587_712, InceptionV3: 21_802_784, EfficientNetB0: 4_049_571 };
const KERAS_TOP = { VGG16: 138_357_544, ResNet50: 25_636_712, InceptionV3: 23_851_784, EfficientNetB0: 5_330_571 };
const conv = (k: number, cin: number, cout: number, groups = 1) => (k * k * (cin / groups) + 1) * cout;
const dense = (nin: number, nout: number) => (nin + 1) * nout;
const count = (cell: string | undefined) => Number(cell?.replace(/,/g, ''));
// ViT-B/16 and ConvNeXt-T with their 1000-class heads: torchvision's published num_params (the papers
// round them to 86M and 28M).
const VIT_B16 = 86_567_656;
const CONVNEXT_T = 28_589_128;

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
    expect(spec.data.values.map((v) => v.name).sort()).toEqual(['AlexNet', 'ConvNeXt-T', 'EfficientNetB0', 'InceptionV3', 'LeNet-5', 'ResNet50', 'VGG16', 'ViT-B/16']);
    expect(spec.data.values.find((v) => v.name === 'VGG16')!.params).toBe(KERAS_TOP.VGG16);
    const timeline = nb.table('year');
    expect(timeline.header).toEqual(['year', 'network', 'params', 'depth']);
    for (const [name, n] of Object.entries(KERAS_TOP)) expect(count(timeline.rows.find((c) => c[1] === name)?.[2]), name).toBe(n);
    expect(count(timeline.rows.find((c) => c[1] === 'AlexNet')?.[2])).toBe(60_965_224);
    expect(String(fig!['image/svg+xml'])).toMatch(/^<svg/);
    expect(spec.data.values.find((v) => v.name === 'ViT-B/16')!.params).toBe(VIT_B16);
    expect(spec.data.values.find((v) => v.name === 'ConvNeXt-T')!.params).toBe(CONVNEXT_T);
    expect(count(timeline.rows.find((c) => c[1] === 'ViT-B/16')?.[2])).toBe(VIT_B16);
    expect(count(timeline.rows.find((c) => c[1] === 'ConvNeXt-T')?.[2])).toBe(CONVNEXT_T);
    expect(timeline.rows.find((c) => c[1] === 'ViT-B/16')?.[0]).toBe('2020');
    expect(timeline.rows.find((c) => c[1] === 'ConvNeXt-T')?.[0]).toBe('2022');
  });

  it('counts ViT-B/16 and ConvNeXt-T by formula, matching the papers and torchvision', () => {
    // ViT-B/16, written per weight matrix: patch embedding 768 x (16*16*3) + bias, class token, 197
    // position embeddings; per layer W_q, W_k, W_v, W_o (768x768 + bias), MLP 768x3072 and 3072x768
    // (+ biases), two LayerNorms; final LayerNorm; head 768 -> 1000.
    const d = 768;
    const layer = 4 * d * (d + 1) + d * 3072 + 3072 + 3072 * d + d + 2 * 2 * d;
    const vit = d * (768 + 1) + d + 197 * d + 12 * layer + 2 * d + dense(d, 1000);
    expect(vit).toBe(VIT_B16);
    expect(Math.round(vit / 1e6)).toBe(87); // the paper's "86M" (table 1) truncates 86.6M
    expect(Math.floor(vit / 1e6)).toBe(86);
    expect(nb.number('ViT-B/16 params:')).toBe(vit);
    expect(nb.number(/per layer ([\d,]+)/)).toBe(layer);
    expect(nb.number(/ViT-B\/16 params: .* depth (\d+)/)).toBe(1 + 12 * 4 + 1);
    // ConvNeXt-T: per block 8C^2 + 58C; stem conv 4x4x3 -> 96 with LayerNorm; downsamplings LN + 2x2 conv.
    const block = (c: number) => 8 * c * c + 58 * c;
    const ws = [96, 192, 384, 768];
    const body = 3 * block(96) + 3 * block(192) + 9 * block(384) + 3 * block(768);
    const down = [1, 2, 3].reduce((s, i) => s + 2 * ws[i - 1] + conv(2, ws[i - 1], ws[i]), 0);
    const convnext = conv(4, 3, 96) + 2 * 96 + body + down + 2 * 768 + dense(768, 1000);
    expect(convnext).toBe(CONVNEXT_T);
    expect(Math.round(convnext / 1e6)).toBe(29); // the paper's "28M" (table 1) truncates 28.6M
    expect(nb.number('ConvNeXt-T params:')).toBe(convnext);
    expect(nb.number(/ConvNeXt-T params: .* depth (\d+)/)).toBe(1 + 3 * 18 + 3 + 1);
    expect(nb.markdown).toContain('$8C^2 + 58C$');
    // the cited paper numbers appear with their citations
    expect(nb.markdown).toMatch(/Dosovitskiy et al\. 2020, table 1: 12 layers, width \$D = 768\$, MLP 3072, 86M/);
    expect(nb.markdown).toMatch(/table 1: 28M\nparameters/);
    expect(nb.markdown).toContain('86.6 million');
  });

  it('backs the prose numbers with the printed counts', () => {
    // "26 times fewer parameters than VGG16"
    expect(Math.round(KERAS_TOP.VGG16 / KERAS_TOP.EfficientNetB0)).toBe(26);
    expect(nb.markdown).toContain('26 times fewer parameters than VGG16');
    // "about 62 thousand" LeNet-5 weights, "61 million" AlexNet, "138 million" VGG16
    expect(Math.round(nb.number('LeNet-5 params:') / 1000)).toBe(62);
    expect(Math.round(60_965_224 / 1e6)).toBe(61);
    expect(Math.round(KERAS_TOP.VGG16 / 1e6)).toBe(138);
    // VGG16's 124-million-weight classifier, 89% of the network; 553 MB in float32
    expect(Math.round((KERAS_TOP.VGG16 - KERAS_NO_TOP.VGG16) / 1e6)).toBe(124);
    expect(Math.round((100 * (KERAS_TOP.VGG16 - KERAS_NO_TOP.VGG16)) / KERAS_TOP.VGG16)).toBe(89);
    expect(dense(7 * 7 * 512, 4096)).toBe(102_764_544);
    expect(Math.round((4 * KERAS_TOP.VGG16) / 1e6)).toBe(553);
    expect(nb.markdown).toContain('123,642,856 of VGG16');
    // AlexNet: 11x11 stride 4 gives 55 from 227 and no integer from 224
    expect(nb.stdout).toContain(`from 227, ${(227 - 11) / 4 + 1}; from 224, ${(224 - 11) / 4 + 1}`);
    expect((227 - 11) / 4 + 1).toBe(55);
    // EfficientNet's constants: 1.2 * 1.1^2 * 1.15^2 ~ 2
    expect(nb.number("alpha * beta^2 * gamma^2 =")).toBeCloseTo(1.2 * 1.1 ** 2 * 1.15 ** 2, 2);
    expect(nb.markdown).toContain('(1.92 for the paper');
    // LRN damping factors in the prose: (2 + 1e-4 * 1e4)^0.75 ~ 2.3 and 2^0.75 ~ 1.7
    expect((2 + 1e-4 * 1e4) ** 0.75).toBeCloseTo(2.3, 1);
    expect(2 ** 0.75).toBeCloseTo(1.7, 1);
    // depth runs 5 -> 82 by 2019; ResNet50's last stage holds more than half (58.5%)
    expect(nb.number(/EfficientNetB0 with top: .* depth (\d+)/)).toBe(82);
    const share = nb.table('ResNet50 stage').rows.find((c) => c[0] === 'conv5')![2];
    expect(nb.markdown).toContain(`(${share} in the table)`);
    expect(Number(share.replace('%', ''))).toBeGreaterThan(50);
  });

  it('cites every number it does not compute', () => {
    for (const cite of [
      'LeCun et al. 1998', 'Krizhevsky et al. 2012', 'Simonyan & Zisserman 2014', 'Szegedy et al. 2014',
      'He et al. 2015', 'Huang et al. 2017', 'Howard et al. 2017', 'Tan & Le 2019', 'Dosovitskiy et al. 2020',
      'Liu et al. 2022', 'Ma et al. 2018', 'Ioffe & Szegedy 2015', 'Keras Applications',
    ]) {
      expect(nb.markdown, cite).toContain(cite);
    }
  });

  it('has recall answers a reader can reveal, one per question', () => {
    const { text: recall, questions, answers } = nb.recall;
    expect(questions.length).toBe(5);
    expect(answers).toHaveLength(questions.length);
    // answer 1: ResNet50's 2048 -> 1000 head
    expect(recall).toContain(`${dense(2048, 1000).toLocaleString('en-US')}`);
  });
});
