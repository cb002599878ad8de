import { describe, expect, it } from 'vitest';
import { Executed } from './executed';

const conv = (k: number, din: number, dout: number) => (k * k * din + 1) * dout;
/** Parameters, MACs and activation elements of a stack of 3x3 valid convs on 28x28x1, by the formulas. */
function stack(depths: number[]) {
  let size = 28;
  let din = 1;
  let params = 0;
  let macs = 0;
  let acts = 0;
  for (const d of depths) {
    size -= 2;
    params += conv(3, din, d);
    macs += size * size * 9 * din * d;
    acts += size * size * d;
    din = d;
  }
  return { params, macs, acts, size };
}

describe('q05-depth', () => {
  const nb = new Executed('q05-depth');

  it('runs clean', () => {
    nb.expectOk();
  });

  it("prints the seed model's depths, shapes and parameter counts", () => {
    expect(nb.number('Total params:')).toBe(conv(3, 1, 32) + conv(3, 32, 64) + conv(3, 64, 128));
    for (const [i, d, s] of [[1, 32, 26], [2, 64, 24], [3, 128, 22]]) {
      expect(nb.stdout).toContain(`Layer ${i}: conv${i}\n  Number of filters (depth): ${d}\n  Output shape: [null,${s},${s},${d}]\n  Output depth: ${d}`);
    }
    expect(nb.number('Conv1 parameters:')).toBe(320);
    expect(nb.number('Conv2 parameters:')).toBe(conv(3, 32, 64));
    expect(nb.number('Conv3 parameters:')).toBe(conv(3, 64, 128));
    expect(nb.stdout).toContain('Conv3: 22x22x128');
  });

  it('shows that one output value sums over every input channel', () => {
    const m = nb.stdout.match(/per-channel contributions to y\[0,0,0\]: (.*) = (\S+)/)!;
    const parts = m[1].split(' + ').map(Number);
    expect(parts).toHaveLength(3);
    expect(parts.reduce((a, b) => a + b, 0)).toBeCloseTo(Number(m[2]), 4);
    expect(nb.number('y[0,0,0] from conv2d:')).toBeCloseTo(Number(m[2]), 4);
    expect(nb.number('max |hand - tf.conv2d|:')).toBeLessThanOrEqual(1e-5);
    expect(nb.number('max |hand - tf.depthwiseConv2d|:')).toBeLessThanOrEqual(1e-5);
  });

  it('compares a standard conv with a depthwise separable one by formula', () => {
    // 8x8x16 -> 8x8x32, 'same'
    expect(nb.number('standard 3x3 conv 16->32: params')).toBe(conv(3, 16, 32));
    expect(nb.number(/standard 3x3 conv 16->32: params \d+, MACs (\d+)/)).toBe(8 * 8 * 9 * 16 * 32);
    expect(nb.number('depthwise 3x3 + 1x1 16->32: params')).toBe(9 * 16 + 16 + conv(1, 16, 32));
    expect(nb.number(/depthwise 3x3 \+ 1x1 16->32: params \d+, MACs (\d+)/)).toBe(8 * 8 * 9 * 16 + 8 * 8 * 16 * 32);
  });

  it("prints the seed's operation counts h*w*din*dout*k*k", () => {
    for (const d of [16, 32, 64, 128]) {
      const macs = 26 * 26 * 1 * d * 9;
      expect(nb.number(`Depth=${String(d).padStart(3)}:`)).toBe(macs);
      expect(nb.stdout).toContain(`(${(2 * macs).toLocaleString('en-US')} FLOPs)`);
    }
    expect(nb.markdown).toMatch(/\*\*Errata\.\*\*.*FLOPs/s);
  });

  it('counts the shallow, medium and deep stacks', () => {
    for (const [name, depths] of [['Shallow', [16, 32]], ['Medium', [32, 64, 128]], ['Deep', [64, 128, 256, 512]]] as const) {
      const s = stack([...depths]);
      expect(nb.number(`${name} network:`)).toBe(s.params);
      expect(nb.number(new RegExp(`${name} network: [\\d,]+ parameters \\(formula: ([\\d,]+)\\)`))).toBe(s.params);
      expect(nb.stdout).toContain(`${name} output [${s.size},${s.size},${depths[depths.length - 1]}]`);
      expect(nb.number(new RegExp(`${name} output \\S+, ([\\d,]+) MACs`))).toBe(s.macs);
      expect(nb.number(new RegExp(`${name} output .* activations ([\\d.]+) KiB`))).toBeCloseTo((s.acts * 4) / 1024, 1);
    }
  });

  it('shows the parameter bars and the feature maps', () => {
    const figs = nb.displays.filter((d) => 'application/vnd.vegalite.v5+json' in d);
    expect(figs.length).toBe(2);
    expect(nb.stdout).toContain('conv1 output for one digit: [1,26,26,32]');
  });
});
