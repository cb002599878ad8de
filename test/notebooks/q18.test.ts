import { describe, expect, it } from 'vitest';
import { Executed } from './executed';

const conv = (k: number, cin: number, cout: number) => (k * k * cin + 1) * cout;
const dense = (nin: number, nout: number) => (nin + 1) * nout;
// GoogLeNet's modules 3a and 3b (Szegedy et al. 2014, table 1), on the 64-channel stem of the seed.
const A = { cin: 64, f1: 64, r3: 96, f3: 128, r5: 16, f5: 32, fp: 32 };
const B = { cin: 256, f1: 128, r3: 128, f3: 192, r5: 32, f5: 96, fp: 64 };
type M = typeof A;
const branches = (m: M, reduce: boolean) => ({
  '1x1': conv(1, m.cin, m.f1),
  '3x3': reduce ? conv(1, m.cin, m.r3) + conv(3, m.r3, m.f3) : conv(3, m.cin, m.f3),
  '5x5': reduce ? conv(1, m.cin, m.r5) + conv(5, m.r5, m.f5) : conv(5, m.cin, m.f5),
  pool: conv(1, m.cin, m.fp),
});
const sum = (o: Record<string, number>) => Object.values(o).reduce((a, b) => a + b, 0);
const stem = conv(7, 3, 64);
const head = dense(480, 1000);
const total = (reduce: boolean) => stem + sum(branches(A, reduce)) + sum(branches(B, reduce)) + head;

describe('q18-inception-module', () => {
  const nb = new Executed('q18-inception-module');

  it('runs clean', () => {
    nb.expectOk();
  });

  it("prints the seed's model size and shapes", () => {
    expect(nb.number('Model with Inception modules:')).toBe(total(true));
    expect(nb.number('Total params:')).toBe(total(true));
    // 224 -> 112 (7x7/2) -> 56 (3x3/2 pool); channels 64+128+32+32 and 128+192+96+64.
    const shape = (layer: string) => nb.table('layer').rows.find((c) => c[0] === layer)?.[1];
    expect(shape('inception3a_concat')).toBe('[null,56,56,256]');
    expect(shape('inception3b_concat')).toBe('[null,56,56,480]');
  });

  it('prints parameters per branch and per module', () => {
    // one table per module: module | branch | params
    for (const [k, [name, m]] of ([['inception3a', A], ['inception3b', B]] as const).entries()) {
      const b = branches(m, true);
      for (const [branch, p] of Object.entries(b)) {
        const row = nb.table('module', k).rows.find((c) => c[0] === name && c[1] === branch);
        expect(Number(row?.[2].replace(/,/g, '')), `${name} ${branch}`).toBe(p);
      }
      expect(nb.number(`${name} module total:`)).toBe(sum(b));
    }
  });

  it('measures the bottleneck saving against the module without reductions', () => {
    expect(nb.number('Without 1x1 reductions:')).toBe(total(false));
    expect(nb.number('With 1x1 reductions:')).toBe(total(true));
    expect(nb.number('Saving for the whole model:')).toBeCloseTo(total(false) / total(true), 2);
    for (const [name, m] of [['inception3a', A], ['inception3b', B]] as const) {
      const d = branches(m, false);
      const r = branches(m, true);
      for (const k of ['3x3', '5x5'] as const) {
        const line = nb.stdout.match(new RegExp(`${name} ${k} branch: ([\\d,]+) direct vs ([\\d,]+) with bottleneck -> saving ([\\d.]+)x`))!;
        expect(Number(line[1].replace(/,/g, ''))).toBe(d[k]);
        expect(Number(line[2].replace(/,/g, ''))).toBe(r[k]);
        expect(Number(line[3])).toBeCloseTo(d[k] / r[k], 2);
      }
    }
    // The seed's worked example: 256 -> 256 with a 3x3, directly or through 64 channels.
    expect(nb.number(/reference answer's example: ([\d,]+) vs/)).toBe(256 * 256 * 9);
    expect(nb.number(/reference answer's example: [\d,]+ vs ([\d,]+)/)).toBe(256 * 64 + 64 * 256 * 9);
  });

  it('shows the per-branch bars and corrects the 10x claim', () => {
    const fig = nb.displays.find((d) => 'application/vnd.vegalite.v5+json' in d);
    const spec = fig!['application/vnd.vegalite.v5+json'] as { data: { values: { module: string; branch: string; params: number }[] } };
    expect(spec.data.values).toHaveLength(16);
    expect(nb.markdown).toMatch(/\*\*Errata\.\*\*.*10×/);
    expect(nb.stdout).toContain('mini_googlenet: output [2,1000], rows sum to 1.0000 1.0000');
    expect(nb.stdout).toContain('mini_googlenet_no_reduction: output [2,1000], rows sum to 1.0000 1.0000');
  });

  it('states the Errata and prose numbers that the formulas give', () => {
    const d = { a: branches(A, false), b: branches(B, false) };
    const r = { a: branches(A, true), b: branches(B, true) };
    // "in module 3b the 5x5 branch ... saves about 7x"; "the saving is **1.70x**"
    expect(Math.round(d.b['5x5'] / r.b['5x5'])).toBe(7);
    expect(nb.markdown).toContain(`**${(total(false) / total(true)).toFixed(2)}×**`);
    // 3a's 3x3 "reduction" widens 64 to 96 channels and costs more than the direct 3x3
    expect(r.a['3x3']).toBeGreaterThan(d.a['3x3']);
    expect(nb.markdown).toContain(`${r.a['3x3'].toLocaleString('en-US')} parameters against ${d.a['3x3'].toLocaleString('en-US')}`);
    // recall 3: module 3b's 5x5 branch, directly and through the 32-channel bottleneck
    expect(nb.markdown).toContain(`${d.b['5x5'].toLocaleString('en-US').replace(',', '{,}')}`);
    expect(nb.markdown).toContain(`${r.b['5x5'].toLocaleString('en-US').replace(',', '{,}')}`);
    // recall 4: the break-even width of 3a's 3x3 reduction, k^2 Cin Cout / (Cin + k^2 Cout) ~ 61
    expect(Math.round((9 * 64 * 128) / (64 + 9 * 128))).toBe(61);
    // the multiply-adds printed are params x 56 x 56; counting biases as multiply-adds overstates by < 1%
    for (const [name, m] of [['inception3a', A], ['inception3b', B]] as const) {
      for (const reduce of [false, true]) {
        for (const k of ['3x3', '5x5'] as const) {
          const p = branches(m, reduce)[k];
          const biases = k === '3x3' ? m.f3 + (reduce ? m.r3 : 0) : m.f5 + (reduce ? m.r5 : 0);
          expect(biases / p).toBeLessThan(0.01);
          const line = nb.stdout.match(new RegExp(`${name} ${k} branch: .*multiply-adds ([\\d,]+) vs ([\\d,]+)`))!;
          expect(Number(line[reduce ? 2 : 1].replace(/,/g, ''))).toBe(p * 56 * 56);
        }
      }
    }
    // Inception v3's factorization: 25 weights against 2 x 9 = 18, 28% fewer
    expect(nb.stdout).toContain(`5x5: 25 weights per channel pair, two 3x3: 18, ${Math.round(100 * (1 - 18 / 25))}% fewer`);
  });

  it('cites every number it does not compute', () => {
    for (const cite of [
      'Szegedy et al. 2014, table 1', 'Szegedy et al. 2014, table 2', 'Szegedy et al. 2014, section 1',
      'Szegedy et al. 2014, section 2', 'Szegedy et al. 2014, section 5', 'Szegedy et al. 2014, figure 2a',
      'Simonyan & Zisserman 2014, table 2', 'He et al. 2015, figure 5', 'Szegedy et al. 2016', 'Chollet 2017',
    ]) {
      expect(nb.markdown, cite).toContain(cite);
    }
  });

  it('trains an Inception module against a plain 3x3 conv of the same cost, over 3 seeds', () => {
    // Both: 3x3 stem 1 -> 16 at 28x28, pool to 14x14, the block (16 -> 40 channels at 14x14), pool to 7x7,
    // dense 7*7*40 -> 10. The module: 1x1 8; 1x1 16 -> 3x3 16; 1x1 14 -> 5x5 8; pool -> 1x1 8.
    const stemP = conv(3, 1, 16);
    const headP = dense(7 * 7 * 40, 10);
    const moduleP = conv(1, 16, 8) + conv(1, 16, 16) + conv(3, 16, 16) + conv(1, 16, 14) + conv(5, 14, 8) + conv(1, 16, 8);
    const moduleW = 16 * 8 + 16 * 16 + 9 * 16 * 16 + 16 * 14 + 25 * 14 * 8 + 16 * 8;
    const plainP = conv(3, 16, 40);
    const plainW = 9 * 16 * 40;
    const macs = (blockWeights: number) => 9 * 16 * 28 * 28 + blockWeights * 14 * 14 + 7 * 7 * 40 * 10;
    expect(moduleW).toBe(5840);
    expect(plainW).toBe(5760);
    const t = nb.table('block');
    expect(t.header).toEqual(['block', 'params', 'multiply-adds', 'test accuracy, seeds 1 2 3', 'mean', 'min-max']);
    const row = (name: string) => t.rows.find((c) => c[0] === name)!;
    const inc = row('inception module');
    const plain = row('plain 3x3 conv');
    expect(Number(inc[1].replace(/,/g, ''))).toBe(stemP + moduleP + headP);
    expect(Number(plain[1].replace(/,/g, ''))).toBe(stemP + plainP + headP);
    expect(Number(inc[2].replace(/,/g, ''))).toBe(macs(moduleW));
    expect(Number(plain[2].replace(/,/g, ''))).toBe(macs(plainW));
    // "similar cost": within 2% in both parameters and multiply-adds
    expect(Math.abs(stemP + moduleP + headP - (stemP + plainP + headP)) / (stemP + plainP + headP)).toBeLessThan(0.02);
    expect(Math.abs(macs(moduleW) - macs(plainW)) / macs(plainW)).toBeLessThan(0.02);
    const ranges: [number, number][] = [];
    for (const r of [inc, plain]) {
      const accs = r[3].split(' ').map(Number);
      expect(accs).toHaveLength(3);
      // 2 epochs on 1,000 digits: far above chance (0.1), below perfect, on any seed or machine
      for (const a of accs) expect(a).toBeGreaterThan(0.5);
      for (const a of accs) expect(a).toBeLessThanOrEqual(1);
      expect(Number(r[4])).toBeCloseTo(accs.reduce((s, a) => s + a, 0) / 3, 2);
      const [lo, hi] = r[5].split('-').map(Number);
      expect(lo).toBe(Math.min(...accs));
      expect(hi).toBe(Math.max(...accs));
      ranges.push([lo, hi]);
    }
    // The prose and recall answer say the ranges over random seeds overlap: check that they do.
    const overlap = ranges[0][0] <= ranges[1][1] && ranges[1][0] <= ranges[0][1];
    expect(overlap).toBe(true);
    expect(nb.stdout).toContain('seed ranges overlap: yes');
    expect(nb.markdown).toMatch(/ranges over random seeds of the two blocks overlap/);
    expect(nb.markdown).toContain(`${(stemP + moduleP + headP).toLocaleString('en-US')} and ${(stemP + plainP + headP).toLocaleString('en-US')}`);
    expect(nb.markdown).toContain(`${macs(moduleW).toLocaleString('en-US')} and ${macs(plainW).toLocaleString('en-US')}`);
  });

  it('explains the timing by kernels and memory, which it counts, and asserts no time', () => {
    // Forward pass of 50 digits (predictOnBatch) of the two networks above. From the layer structure:
    // each Conv2D with ReLU is one FusedConv2D, each max pool one MaxPool, the module's concatenation
    // one Concat; the rest (predictOnBatch's input Slice and output Identity, flatten and dense) match.
    const t = nb.table('kernel');
    expect(t.header).toEqual(['kernel', 'inception module', 'plain 3x3 conv']);
    const cell = (name: string, col: 1 | 2) => Number(t.rows.find((r) => r[0] === name)?.[col] ?? NaN);
    const structural = { FusedConv2D: [1 + 6, 1 + 1], MaxPool: [2 + 1, 2], Concat: [1, 0] };
    for (const [name, [inc, plain]] of Object.entries(structural)) {
      expect(cell(name, 1), name).toBe(inc);
      expect(cell(name, 2), name).toBe(plain);
    }
    const others = t.rows.filter((r) => !(r[0] in structural) && r[0] !== 'all');
    expect(others.map((r) => r[0])).toEqual(expect.arrayContaining(['Reshape', 'Softmax']));
    for (const r of others) expect(r[1], r[0]).toBe(r[2]);
    for (const col of [1, 2] as const) {
      expect(cell('all', col)).toBe(t.rows.filter((r) => r[0] !== 'all').reduce((s, r) => s + Number(r[col]), 0));
    }
    // 5 more convolutions, 1 more pool, 1 concatenation
    expect(cell('all', 1) - cell('all', 2)).toBe(5 + 1 + 1);
    for (const [kind, col] of [['inception module', 1], ['plain 3x3 conv', 2]] as const) {
      const order = nb.stdout.match(new RegExp(`${kind} forward pass, kernels in order: (.*)`))![1].split(' ');
      expect(order).toHaveLength(cell('all', col));
      for (const name of Object.keys(structural)) expect(order.filter((k) => k === name).length).toBe(cell(name, col));
    }
    const prose = nb.markdown.replace(/\s+/g, ' ');
    expect(prose).toContain(`runs ${cell('all', 1)} kernels per forward pass against ${cell('all', 2)}: five more convolutions`);

    // Values written per image by the kernels, Reshape aside (it keeps its input's memory): the input
    // slice 28x28x1, stem 28x28x16, pool 14x14x16, the block, pool 7x7x40, then 10 values each from
    // the matmul, the bias add, the softmax and the output copy. The module's block writes every
    // branch's layers (1x1 8; 1x1 16, 3x3 16; 1x1 14, 5x5 8; pool 16, 1x1 8) and the 40-channel concat.
    expect(nb.stdout).toContain("a Reshape keeps its input's memory: true");
    const common = 28 * 28 * 1 + 28 * 28 * 16 + 14 * 14 * 16 + 7 * 7 * 40 + 4 * 10;
    const incWritten = common + 14 * 14 * (8 + 16 + 16 + 14 + 8 + 16 + 8 + 40);
    const plainWritten = common + 14 * 14 * 40;
    const line = nb.stdout.match(/values written per image by the kernels \(Reshape aside\): ([\d,]+) vs ([\d,]+)/)!;
    expect(Number(line[1].replace(/,/g, ''))).toBe(incWritten);
    expect(Number(line[2].replace(/,/g, ''))).toBe(plainWritten);
    const fmt = (n: number) => n.toLocaleString('en-US');
    expect(prose).toContain(`kernels write ${fmt(incWritten)} values against ${fmt(plainWritten)}`);

    // Multiply-adds: the same per-image counts as the training table, within 1.2% of each other.
    const incMacs = 9 * 16 * 28 * 28 + 5840 * 14 * 14 + 7 * 7 * 40 * 10;
    const plainMacs = 9 * 16 * 28 * 28 + 5760 * 14 * 14 + 7 * 7 * 40 * 10;
    const macLine = nb.stdout.match(/multiply-adds per image: ([\d,]+) vs ([\d,]+), ratio ([\d.]+)/)!;
    expect(Number(macLine[1].replace(/,/g, ''))).toBe(incMacs);
    expect(Number(macLine[2].replace(/,/g, ''))).toBe(plainMacs);
    expect(Number(macLine[3])).toBeCloseTo(incMacs / plainMacs, 3);
    expect((100 * (incMacs / plainMacs - 1)).toFixed(1)).toBe('1.2');
    expect(prose).toContain(`1.2% more multiply-adds than the plain block (${fmt(incMacs)} against ${fmt(plainMacs)} per image)`);

    // The block's convolutions: k^2 Cin Cout x 14 x 14 multiply-adds, k^2 Cout per input value.
    const convs = nb.table('network');
    expect(convs.header).toEqual(['network', 'convolution', 'kernel', 'multiply-adds per image', 'per input value']);
    const expected = {
      'inception module': [[1, 16, 8], [1, 16, 16], [3, 16, 16], [1, 16, 14], [5, 14, 8], [1, 16, 8]],
      'plain 3x3 conv': [[3, 16, 40]],
    };
    for (const [kind, ks] of Object.entries(expected)) {
      const rows = convs.rows.filter((r) => r[0] === kind);
      const key = ([k, cin, cout]: number[]) => `${k}x${k}, ${cin} -> ${cout}`;
      expect(rows.map((r) => r[2]).sort()).toEqual(ks.map(key).sort());
      for (const k of ks) {
        const r = rows.find((row) => row[2] === key(k))!;
        expect(Number(r[3].replace(/,/g, ''))).toBe(k[0] * k[0] * k[1] * k[2] * 14 * 14);
        expect(Number(r[4])).toBe(k[0] * k[0] * k[2]);
      }
    }
    const perInput = expected['inception module'].map(([k, , cout]) => k * k * cout);
    expect(prose).toContain(`${9 * 40} for the plain 3×3 to 40 channels, ${Math.min(...perInput)} to ${Math.max(...perInput)} for the module's six`);

    // A training step runs more kernels than a forward pass, and more for the module network.
    const steps = nb.stdout.match(/kernels per training step: (\d+) vs (\d+)/)!;
    expect(Number(steps[1])).toBeGreaterThan(Number(steps[2]));
    expect(Number(steps[1])).toBeGreaterThan(cell('all', 1));
    expect(Number(steps[2])).toBeGreaterThan(cell('all', 2));

    // The times are printed as a measurement and never asserted: only that the ratio is the quotient
    // of the two printed times (each rounded to 0.1 ms).
    const times = nb.table('batch of 50');
    expect(times.header).toEqual(['batch of 50', 'inception module, ms', 'plain 3x3 conv, ms', 'ratio']);
    expect(times.rows.map((r) => r[0])).toEqual(['forward pass', 'training step']);
    for (const r of times.rows) {
      const [a, b, ratio] = r.slice(1).map(Number);
      expect(a).toBeGreaterThan(0);
      expect(b).toBeGreaterThan(0);
      expect(Math.abs(ratio - a / b)).toBeLessThanOrEqual(0.005 + (a / b) * (0.05 / a + 0.05 / b) + 1e-9);
    }
    expect(nb.stdout).toContain('Measured on this machine (wasm backend)');
    expect(prose).toContain('ratio printed above: a measurement of this backend on this shared machine');
  });

  it('has recall answers a reader can reveal, one per question', () => {
    const { questions, answers } = nb.recall;
    expect(questions.length).toBe(6);
    expect(answers).toHaveLength(questions.length);
  });
});
