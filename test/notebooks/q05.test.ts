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
    const ratio = (conv(3, 16, 32) / (9 * 16 + 16 + conv(1, 16, 32))).toFixed(2);
    expect(nb.number('standard / separable parameters:').toFixed(2)).toBe(ratio);
    // the prose and answers quote it; Howard et al.'s factor 1/Dout + 1/k^2 (no biases) is close
    expect(nb.markdown.match(new RegExp(`${ratio.replace('.', '\\.')} times`, 'g'))!.length).toBeGreaterThanOrEqual(2);
    expect(Math.abs(1 / (1 / 32 + 1 / 9) - Number(ratio))).toBeLessThan(0.5);
    // 3.99 = Conv3 / Conv2 (recall 3)
    expect(nb.markdown).toContain(`${(conv(3, 64, 128) / conv(3, 32, 64)).toFixed(2)} times as many`);
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

  it('puts most of the deep stack in its last layer, about 320 times the shallow stack', () => {
    const deep = stack([64, 128, 256, 512]).params;
    expect(Math.round(deep / stack([16, 32]).params / 10) * 10).toBe(320);
    expect(conv(3, 256, 512) / deep).toBeGreaterThan(0.74);
    expect(conv(3, 256, 512) / deep).toBeLessThan(0.78);
    expect(nb.markdown).toContain(conv(3, 256, 512).toLocaleString('en-US').replace(/,/g, '{,}'));
  });

  it('measures accuracy against the number of filters over 3 seeds, with a baseline', () => {
    const { header, rows } = nb.table('filters');
    expect(header).toEqual(['filters', 'params', 'test acc % (seeds 1, 2, 3)', 'mean', 'min-max']);
    const widths = [1, 2, 4, 8, 16];
    expect(rows.map((r) => r[0])).toEqual(['none (pixels)', ...widths.map(String)]);
    const parsed = rows.map(([, params, seeds, mean, range]) => {
      const vals = seeds.split(', ').map(Number);
      const [min, max] = range.split('-').map(Number);
      expect(vals).toHaveLength(3);
      expect(Number(mean)).toBeCloseTo(vals.reduce((a, b) => a + b) / 3, 1);
      expect(min).toBe(Math.min(...vals));
      expect(max).toBe(Math.max(...vals));
      return { params: Number(params), mean: Number(mean), min, max, meanText: mean };
    });
    // params: pixels (784 + 1) * 10; F filters: (9 + 1) F + (13 * 13 * F + 1) * 10
    expect(parsed[0].params).toBe(785 * 10);
    widths.forEach((f, i) => expect(parsed[i + 1].params).toBe(10 * f + (169 * f + 1) * 10));
    const [base, ...byWidth] = parsed;
    const at = (f: number) => byWidth[widths.indexOf(f)];
    // what the prose says: means rise at every doubling; 1, 4, 16 ranges apart; 4 and 8 overlap;
    // 1 filter below the baseline and 16 above it on every seed
    for (let i = 1; i < widths.length; i++) expect(byWidth[i].mean).toBeGreaterThan(byWidth[i - 1].mean);
    expect(at(1).max).toBeLessThan(at(4).min);
    expect(at(4).max).toBeLessThan(at(16).min);
    expect(at(8).min).toBeLessThanOrEqual(at(4).max);
    expect(at(1).max).toBeLessThan(base.min);
    expect(at(16).min).toBeGreaterThan(base.max);
    const recall = nb.recall.text;
    for (const r of [at(1), base, at(16)]) expect(recall).toContain(`${r.meanText}%`);
    expect(recall).toContain(`${at(4).min.toFixed(1)}-${at(4).max.toFixed(1)} and ${at(8).min.toFixed(1)}-${at(8).max.toFixed(1)}`);
  });

  it('has recall answers a reader can reveal, one per question', () => {
    const { text: recall, questions, answers } = nb.recall;
    expect(questions.length).toBe(6);
    expect(answers).toHaveLength(questions.length);
    expect(recall).toContain(conv(3, 64, 128).toLocaleString('en-US').replace(/,/g, '{,}'));
    expect(recall).toContain(`${(26 * 26 * 9 * 16).toLocaleString('en-US')} MACs = ${(2 * 26 * 26 * 9 * 16).toLocaleString('en-US')} FLOPs`);
    const flat = nb.markdown.replace(/\s+/g, ' ');
    for (const cite of ['Simonyan & Zisserman 2014', 'Howard et al. 2017', 'He et al. 2016']) expect(flat).toContain(cite);
    expect(nb.markdown).not.toMatch(/wasm|thread|the seed\b/i);
  });

  it('shows the parameter bars and the feature maps', () => {
    const figs = nb.displays.filter((d) => 'application/vnd.vegalite.v5+json' in d);
    expect(figs.length).toBe(2);
    expect(nb.stdout).toContain('conv1 output for one digit: [1,26,26,32]');
  });
});
