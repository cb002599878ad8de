import { describe, expect, it } from 'vitest';
import { Executed } from './executed';

const conv = (k: number, cin: number, cout: number) => (k * k * cin + 1) * cout;
const dense = (nin: number, nout: number) => (nin + 1) * nout;
// GoogLeNet's modules 3a and 3b (Szegedy et al. 2015, table 1), on the 64-channel stem of the seed.
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
  });
});
