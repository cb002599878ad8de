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

  it('corrects the seed about the total', () => {
    expect(nb.markdown).toMatch(/\*\*Errata\.\*\*.*~13M/);
  });
});
