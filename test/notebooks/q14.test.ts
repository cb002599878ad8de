import { describe, expect, it } from 'vitest';
import { Executed } from './executed';

const CHANCE = 0.1; // 10 balanced classes
const FIXES = ['relu (He init)', 'sigmoid + batch norm', 'sigmoid + residual'];

describe('q14-vanishing-gradients', () => {
  const nb = new Executed('q14-vanishing-gradients');
  const esc = (name: string) => name.replace(/[+()]/g, '\\$&');
  const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
  const seedLines = (name: string) =>
    [1, 2, 3].map((s) => {
      const m = nb.stdout.match(new RegExp(`^${esc(name)} seed ${s}: log10 first/last mean\\|g\\| ([-\\d.]+), test accuracy (\\d+) of 1000$`, 'm'));
      if (!m) throw new Error(`no line for ${name} seed ${s}`);
      return { logRatio: Number(m[1]), accuracy: Number(m[2]) / 1000 };
    });
  const row = (firstHeader: string, name: string) => {
    const r = nb.table(firstHeader).rows.find((x) => x[0] === name);
    if (!r) throw new Error(`no row ${name} in table ${firstHeader}`);
    return r.slice(1).map(Number);
  };

  it('runs clean', () => {
    nb.expectOk();
  });

  it("reproduces the seed's comparison: the sigmoid stack's first layer gets almost no gradient", () => {
    const sig = nb.stdout.match(/Sigmoid: First layer grad = ([\d.e+-]+), last layer grad = ([\d.e+-]+), ratio first\/last = ([\d.e+-]+)/)!;
    const relu = nb.stdout.match(/ReLU: First layer grad = ([\d.e+-]+), last layer grad = ([\d.e+-]+), ratio first\/last = ([\d.e+-]+)/)!;
    // 21 sigmoid layers lie between the first kernel and the output; each multiplies by at most 1/4 times a
    // weight matrix of norm about 1, so the ratio must be far below 0.25^10.
    expect(Number(sig[3])).toBeLessThan(0.25 ** 10);
    expect(Number(sig[3])).toBeCloseTo(Number(sig[1]) / Number(sig[2]), 15);
    expect(Number(relu[3])).toBeGreaterThan(0.01);
    expect(Number(relu[3])).toBeLessThan(100);
    expect(nb.stdout).toContain(`bound 0.25^20 = ${(0.25 ** 20).toExponential(2)}`);
    expect(0.25 ** 20).toBeGreaterThan(9e-13); // "approx 9 x 10^-13"
    expect(0.25 ** 20).toBeLessThan(9.1e-13);
    // sigma'(z) = s(1 - s) is largest at z = 0, where it is 1/4
    const d = (z: number) => { const s = 1 / (1 + Math.exp(-z)); return s * (1 - s); };
    expect(d(0)).toBe(0.25);
    for (const z of [-6, -1, -0.1, 0.1, 1, 6]) expect(d(z)).toBeLessThan(0.25);
    expect(nb.number('sigmoid: gradient shrinks by a factor of')).toBeLessThan(0.3);
  });

  it('dense stack, 3 seeds: the spread table agrees with the per-seed lines', () => {
    for (const name of ['sigmoid', ...FIXES]) {
      const runs = seedLines(name);
      const [rm, rmin, rmax, am, amin, amax] = row('variant', name);
      const r = runs.map((x) => x.logRatio);
      const a = runs.map((x) => x.accuracy);
      expect(rm).toBeCloseTo(mean(r), 1);
      expect(rmin).toBeCloseTo(Math.min(...r), 2);
      expect(rmax).toBeCloseTo(Math.max(...r), 2);
      expect(am).toBeCloseTo(mean(a), 3);
      expect(amin).toBeCloseTo(Math.min(...a), 3);
      expect(amax).toBeCloseTo(Math.max(...a), 3);
    }
  });

  it('dense stack: the plain sigmoid vanishes and stays at chance on every seed, each fix does not', () => {
    const plain = seedLines('sigmoid');
    for (const p of plain) {
      expect(p.logRatio).toBeLessThan(-12); // "about 14 orders of magnitude"
      expect(p.logRatio).toBeGreaterThan(-15);
      expect(p.accuracy).toBeLessThan(CHANCE + 0.05);
    }
    const plainBest = Math.max(...plain.map((p) => p.accuracy));
    const best: Record<string, number> = {};
    for (const name of FIXES) {
      const runs = seedLines(name);
      for (const r of runs) {
        expect(r.logRatio).toBeGreaterThan(-3); // "within 3 orders of magnitude"
        expect(r.accuracy).toBeGreaterThan(plainBest + 0.1); // above chance on every seed
      }
      best[name] = Math.max(...runs.map((r) => r.accuracy));
    }
    // "ReLU: the flattest profile, within half an order of magnitude"
    for (const r of seedLines('relu (He init)')) expect(Math.abs(r.logRatio)).toBeLessThan(0.5);
    // "batch norm learns by far the most": its worst seed beats every other fix's best
    const bnWorst = Math.min(...seedLines('sigmoid + batch norm').map((r) => r.accuracy));
    expect(bnWorst).toBeGreaterThan(best['relu (He init)']);
    expect(bnWorst).toBeGreaterThan(best['sigmoid + residual']);
  });

  it('conv stack, 3 seeds: sigmoid loses about 8 orders of magnitude over 12 convs, relu and batch norm under 1', () => {
    const [, , , , , , ratioMean, ratioMin, ratioMax] = row('conv variant', 'sigmoid');
    const [c1, , , c12] = row('conv variant', 'sigmoid');
    expect(ratioMean).toBeCloseTo(c1 - c12, 1); // log10(a/b) = log10 a - log10 b
    expect(ratioMax).toBeLessThan(-7);
    expect(ratioMin).toBeGreaterThan(-9);
    for (const name of ['relu (He init)', 'sigmoid + batch norm']) {
      const r = row('conv variant', name);
      expect(r[7]).toBeGreaterThan(-1); // min over seeds of log10 conv1/conv12
      expect(r[6]).toBeCloseTo(r[0] - r[3], 1);
    }
  });

  it('shows the gradient-flow profiles on log axes and an errata note', () => {
    const specs = nb.displays
      .map((d) => d['application/vnd.vegalite.v5+json'] as Record<string, unknown> | undefined)
      .filter((s): s is Record<string, unknown> => !!s);
    expect(specs.map((s) => (s.title as { text?: string }).text)).toEqual([
      'Gradient flow: 22 dense layers, random inputs',
      'Gradient flow at initialisation, 22 dense layers, 64 MNIST digits (seed 1)',
      'Gradient flow at initialisation, 12 conv layers, 64 MNIST digits (3 seeds)',
    ]);
    for (const s of specs) expect(JSON.stringify(s)).toContain('"type":"log"');
    expect(nb.markdown).toMatch(/\*\*Errata\.\*\*/);
    expect(nb.markdown).toMatch(/largest/);
    expect(nb.markdown).not.toMatch(/worst case \$?1\/4/);
  });

  it('has recall answers a reader can reveal, one per question', () => {
    const { questions, answers } = nb.recall;
    expect(questions.length).toBe(5);
    expect(answers).toHaveLength(questions.length);
  });
});
