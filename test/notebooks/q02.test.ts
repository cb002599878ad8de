import { describe, expect, it } from 'vitest';
import { Executed } from './executed';

// Parameter formulas: conv (k^2 C_in + 1) C_out, batch norm 4 C (2 C trainable), dense (n_in + 1) n_out.
const conv = (k: number, cin: number, cout: number) => (k * k * cin + 1) * cout;
const dense = (nin: number, nout: number) => (nin + 1) * nout;
const filters = [32, 64, 128];
const convs = conv(3, 3, 32) + conv(3, 32, 64) + conv(3, 64, 128);
const bns = 4 * (32 + 64 + 128);
// 224 -> 112 -> 56 -> 28 after three 2x2 pools; flatten 28 * 28 * 128.
const flat = (224 / 8) * (224 / 8) * 128;
const fc1 = dense(flat, 512);
const head = (n: number) => dense(n, 512) + dense(512, 256) + dense(256, 10);
const total = convs + bns + head(flat);

describe('q02-cnn-architecture', () => {
  const nb = new Executed('q02-cnn-architecture');

  it('runs clean', () => {
    nb.expectOk();
  });

  it('prints the totals the formulas give, in the summary and after it', () => {
    expect(nb.number('Total params:')).toBe(total);
    expect(nb.number('Total parameters:')).toBe(total);
    expect(nb.number('Non-trainable parameters:')).toBe(2 * (32 + 64 + 128));
    expect(nb.number('Trainable parameters:')).toBe(total - 2 * (32 + 64 + 128));
    expect(nb.stdout).toContain(`Total params: ${total.toLocaleString('en-US')}`);
  });

  it('prints each block halving the spatial size', () => {
    filters.forEach((f, i) => {
      const side = 224 / 2 ** (i + 1);
      expect(nb.stdout).toMatch(new RegExp(`pool${i + 1} +-> Output: \\[null,${side},${side},${f}\\]`));
    });
    expect(nb.stdout).toMatch(new RegExp(`flatten +-> Output: \\[null,${flat}\\]`));
  });

  it('locates the parameters in fc1 and the multiply-adds in the convolutions', () => {
    expect(nb.number('fc1 params:')).toBe(fc1);
    expect(nb.number('fc1 share of all parameters:')).toBeCloseTo((100 * fc1) / total, 2);
    expect(nb.number('all three conv layers together:')).toBe(convs);
    // conv2: 112 * 112 positions, 3 * 3 * 32 * 64 multiply-adds each.
    expect(nb.number('conv2   multiply-adds per image:')).toBe(112 * 112 * 9 * 32 * 64);
    expect(nb.number('fc1     multiply-adds per image:')).toBe(flat * 512);
  });

  it('shows the global-average-pooling head is much smaller', () => {
    const gap = convs + bns + head(128);
    expect(nb.number('Total params with global average pooling:')).toBe(gap);
    expect(nb.number('Reduction against flatten:')).toBeCloseTo(total / gap, 1);
  });

  it('shows the parameter bars and runs a forward pass', () => {
    const fig = nb.displays.find((d) => 'application/vnd.vegalite.v5+json' in d);
    expect(fig).toBeDefined();
    const spec = fig!['application/vnd.vegalite.v5+json'] as { data: { values: { name: string; params: number }[] } };
    expect(spec.data.values.find((v) => v.name === 'fc1')!.params).toBe(fc1);
    expect(String(fig!['image/png']).length).toBeGreaterThan(1000);
    expect(nb.stdout).toContain('q2_cnn: prediction shape [2,10], rows sum to 1.0000 1.0000');
  });

  it('shows conv parameters independent of the input size, fc1 not', () => {
    const fmt = (n: number) => n.toLocaleString('en-US');
    for (const side of [224, 64]) {
      const fc = dense((side / 8) * (side / 8) * 128, 512);
      expect(nb.stdout).toContain(`input ${side}x${side}: conv layers ${fmt(convs)} parameters, fc1 ${fmt(fc)}`);
    }
    // the prose says under 0.2%
    expect((100 * convs) / total).toBeLessThan(0.2);
    // conv2 and conv3 tie for the most multiply-adds (recall 5)
    expect(nb.number('conv3   multiply-adds per image:')).toBe(56 * 56 * 9 * 64 * 128);
    expect(56 * 56 * 9 * 64 * 128).toBe(112 * 112 * 9 * 32 * 64);
  });

  it('builds a residual block whose shape and parameters match the hand count', () => {
    // 16x16x32 -> 64 filters, stride 2: two 3x3 convs, a 1x1 projection, three batch norms (4 f each, 2 f trained)
    const f = 64;
    const params = conv(3, 32, f) + conv(3, f, f) + conv(1, 32, f) + 3 * 4 * f;
    const trainable = params - 3 * 2 * f;
    expect(nb.stdout).toContain(`residual block output shape: [null,${Math.ceil(16 / 2)},${Math.ceil(16 / 2)},${f}]`);
    expect(nb.stdout).toContain(`residual block parameters: ${params}, trainable: ${trainable}`);
    expect(nb.stdout).toContain(`Total params: ${params.toLocaleString('en-US')}`);
    const fmt = (n: number) => n.toLocaleString('en-US').replace(/,/g, '{,}');
    for (const n of [conv(3, 32, f), conv(3, f, f), conv(1, 32, f), params, trainable]) expect(nb.markdown).toContain(fmt(n));
    expect(nb.stdout).toMatch(/res_0_conv \(Conv2D\) +\(None, 8, 8, 64\) +2112/);
  });

  it('measures the input gradient of plain and residual stacks over 3 seeds', () => {
    const { header, rows } = nb.table('stack');
    expect(header).toEqual(['stack', 'conv layers', 'mean', 'min', 'max']);
    const at = (stack: string, layers: number) => {
      const r = rows.find((x) => x[0] === stack && Number(x[1]) === layers)!;
      const [mean, min, max] = r.slice(2).map(Number);
      expect(min).toBeLessThanOrEqual(mean);
      expect(mean).toBeLessThanOrEqual(max);
      return { mean, min, max };
    };
    const depths = [4, 16, 32];
    expect(rows.map((r) => `${r[0]} ${r[1]}`)).toEqual([...depths.map((d) => `plain ${d}`), ...depths.map((d) => `residual ${d}`)]);
    for (let i = 1; i < depths.length; i++) expect(at('plain', depths[i]).max).toBeLessThan(at('plain', depths[i - 1]).min);
    for (const d of depths) {
      expect(at('residual', d).min).toBeGreaterThan(at('plain', d).max);
      expect(at('residual', d).min).toBeGreaterThan(0.7);
      expect(at('residual', d).max).toBeLessThan(3);
    }
    expect(at('plain', 32).max).toBeLessThan(1e-6);
    // the per-convolution factor the prose quotes, from the means
    const factor = (a: number, b: number) => (at('plain', b).mean / at('plain', a).mean) ** (1 / (b - a));
    expect(factor(16, 32).toFixed(1)).toBe('0.6');
    expect(Math.abs(factor(4, 16) - factor(16, 32))).toBeLessThan(0.1);
    expect(nb.markdown).toContain('about 0.6 between 16');
  });

  it('has recall answers a reader can reveal, one per question, that agree with the cells', () => {
    const { text: recall, questions, answers } = nb.recall;
    expect(questions.length).toBe(7);
    expect(answers).toHaveLength(questions.length);
    const gap = convs + bns + head(128);
    expect(recall).toContain(gap.toLocaleString('en-US'));
    expect(recall).toContain(`${(total / gap).toFixed(1)} times fewer`);
    expect(recall).toContain(fc1.toLocaleString('en-US'));
    expect(recall).toContain(dense(8 * 8 * 128, 512).toLocaleString('en-US'));
    expect(recall).toContain((112 * 112 * 9 * 32 * 64).toLocaleString('en-US'));
    expect(recall).toContain(conv(3, 32, 64).toLocaleString('en-US').replace(/,/g, '{,}'));
    for (const cite of ['Simonyan & Zisserman 2014', 'He et al. 2016', 'Howard et al. 2017', 'Ioffe & Szegedy']) {
      expect(nb.markdown).toContain(cite);
    }
    expect(nb.markdown).not.toMatch(/wasm|thread|the seed\b/i);
  });

  it('corrects the seed about the total', () => {
    expect(nb.markdown).toMatch(/\*\*Errata\.\*\*.*~13M/);
  });
});
