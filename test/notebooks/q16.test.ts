import { describe, expect, it } from 'vitest';
import { Executed } from './executed';

const VL = 'application/vnd.vegalite.v5+json';
const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

interface ScaleRow {
  g: number;
  activation: string;
  source: string;
  layer: number;
  std: number;
}

describe('q16-weight-initialization', () => {
  const nb = new Executed('q16-weight-initialization');
  const specs = () => nb.displays.filter((d) => VL in d).map((d) => d[VL] as Record<string, any>);

  it('runs clean', () => {
    nb.expectOk();
  });

  it("shows that the seed's models without Flatten output a map of class scores", () => {
    // conv 3x3 on 28x28 -> 26x26x32; dense(10) on the last axis: (32 + 1) * 10 weights.
    expect(nb.stdout).toContain('model_he: output shape [null,26,26,10], params ' + ((9 + 1) * 32 + (32 + 1) * 10));
    expect(nb.stdout).toContain('model_custom: output shape [null,26,26,32], params ' + (9 + 1) * 32);
    expect(nb.markdown).toMatch(/\*\*Errata\.\*\*.*Flatten/s);
  });

  it('prints sample standard deviations next to the formulas, and what each initializer really draws', () => {
    const fanIn = 3 * 3 * 64;
    const fanOut = 3 * 3 * 128;
    const he = Math.sqrt(2 / fanIn);
    const glorot = Math.sqrt(2 / (fanIn + fanOut));
    // Std of a standard normal truncated at +-2: sqrt(1 - 2 * 2 * phi(2) / (2 * Phi(2) - 1)).
    const phi2 = Math.exp(-2) / Math.sqrt(2 * Math.PI);
    const truncated = Math.sqrt(1 - (4 * phi2) / 0.9544997361036416);
    expect(truncated).toBeCloseTo(0.8796, 4);
    // name -> [formula, expected ratio sample/formula, expected max|w| / sample std]
    const cases: Record<string, [number, number, number]> = {
      heNormal: [he, truncated, 2 / truncated], // tfjs truncates at 2 sigma without rescaling
      glorotNormal: [glorot, truncated, 2 / truncated],
      glorotUniform: [glorot, 1, Math.sqrt(3)],
      leCunNormal: [Math.sqrt(1 / fanIn), truncated, 2 / truncated],
      'randomNormal(0.01)': [0.01, 1, 4.3], // max of 73,728 normal draws: about 4.3 sigma
      'He rescaled (normal)': [he, 1, 2 / truncated],
      // 'truncatedNormal' falls through to tfjs's uniform branch with variance scale / fanIn
      "He 'truncatedNormal'": [he, 1 / truncated, Math.sqrt(3)],
    };
    for (const [name, [f, ratio, tail]] of Object.entries(cases)) {
      const re = new RegExp(`${esc(name)}\\s+sample std ([\\d.]+)\\s+formula ([\\d.]+)\\s+ratio ([\\d.]+)\\s+max\\|w\\|/std ([\\d.]+)`);
      const m = nb.stdout.match(re)!;
      expect(m, name).not.toBeNull();
      expect(Number(m[2])).toBeCloseTo(f, 5);
      expect(Math.abs(Number(m[3]) - ratio), name).toBeLessThan(0.02);
      expect(Math.abs(Number(m[4]) - tail), name).toBeLessThan(name.startsWith('random') ? 0.5 : 0.05);
    }
    // tfjs's layer defaults: Glorot normal (VarianceScaling scale 1 over the average fan) and zero biases.
    expect(nb.stdout).toContain(
      'defaults: conv2d kernel VarianceScaling(scale 1, fanAvg, normal), bias Zeros; ' +
        'dense kernel VarianceScaling(scale 1, fanAvg, normal), bias Zeros',
    );
    expect(nb.markdown).toMatch(/TensorFlow\.js's conv and dense layers start with Glorot \*normal\* kernels/);
  });

  it('measures activation scale through depth against the per-layer factor of the variance recursion', () => {
    const line = (name: string) => nb.stdout.match(new RegExp(`${esc(name)}\\s+activation std.*\\(10/1 ratio ([^,]+), per layer ([^)]+)\\)`))!;
    expect(line('zeros').slice(1)).toEqual(['undefined', 'undefined']);
    // Layers 2..10 have n_in = 3*3*16 = 144; the std factor per ReLU layer is sqrt(n_in * var(w) / 2).
    const nIn = 144;
    const perLayer = (std: number) => Math.sqrt((nIn * std * std) / 2);
    const trunc = 0.8796;
    const predicted: Record<string, number> = {
      'small random N(0, 0.01)': perLayer(0.01),
      'Glorot normal': perLayer(trunc * Math.sqrt(2 / (nIn + nIn))),
      'tfjs heNormal': perLayer(trunc * Math.sqrt(2 / nIn)),
      'He normal (rescaled)': perLayer(Math.sqrt(2 / nIn)),
    };
    expect(predicted['Glorot normal']).toBeCloseTo(0.62, 2); // the prose's 0.71 * 0.88
    for (const [name, p] of Object.entries(predicted)) {
      const [ratio, factor] = line(name).slice(1).map(Number);
      expect(factor).toBeCloseTo(ratio ** (1 / 9), 2);
      // 16 filters per layer: each stack scatters around the prediction; the prose says within 20%.
      expect(Math.abs(factor / p - 1), name).toBeLessThan(0.2);
    }
    // Recall answer 4: 10/1 ratio of the same order as 0.085^9 = 2e-10.
    const small = Number(line('small random N(0, 0.01)')[1]);
    expect(small).toBeGreaterThan(perLayer(0.01) ** 9 / 10);
    expect(small).toBeLessThan(perLayer(0.01) ** 9 * 10);
    expect(specs()[0].title.text).toMatch(/Activation scale through 10 ReLU conv layers/);
  });

  it('interactive figure: its rows follow the ReLU recursion, tanh saturates, and g is bound to a slider', () => {
    const spec = specs().find((s) => Array.isArray(s.params))!;
    expect(spec).toBeDefined();
    expect(spec.params.some((p: { bind?: unknown }) => p.bind)).toBe(true);
    const param = spec.params[0];
    expect(param.name).toBe('g');
    expect(spec.transform).toEqual([{ filter: 'abs(datum.g - g) < 0.001' }]);
    const rows = spec.data.values as ScaleRow[];
    const gains = [...new Set(rows.map((r) => r.g))].sort((a, b) => a - b);
    expect(gains).toHaveLength(11);
    // every slider position has rows: min, max, step of the slider = the grid
    gains.forEach((g, i) => expect(g).toBeCloseTo(param.bind.min + i * param.bind.step, 9));
    expect(gains[gains.length - 1]).toBeCloseTo(param.bind.max, 9);
    expect(gains.some((g) => Math.abs(g - param.value) < 1e-9)).toBe(true);
    const std = (g: number, activation: string, source: string, layer: number) =>
      rows.find((r) => r.g === g && r.activation === activation && r.source === source && r.layer === layer)!.std;
    const logErrors: number[] = [];
    for (const g of gains) {
      for (let l = 1; l <= 10; l++) {
        // the dashed line: sigma_l = sigma_1 (g / sqrt 2)^(l - 1), recomputed here
        const expected = std(g, 'relu', 'measured', 1) * (g / Math.SQRT2) ** (l - 1);
        expect(std(g, 'relu', 'recursion', l) / expected).toBeCloseTo(1, 9);
        // tanh is bounded by 1
        expect(std(g, 'tanh', 'measured', l)).toBeLessThan(1);
      }
      // measured per-layer factor of ReLU against g / sqrt 2 (16 filters: a few tens of percent per stack)
      const factor = (std(g, 'relu', 'measured', 10) / std(g, 'relu', 'measured', 1)) ** (1 / 9);
      const err = Math.log(factor / (g / Math.SQRT2));
      expect(Math.abs(err), `g = ${g}`).toBeLessThan(0.25);
      logErrors.push(err);
    }
    // over 11 independent stacks the recursion holds on average within 10%
    expect(Math.abs(logErrors.reduce((a, b) => a + b, 0) / logErrors.length)).toBeLessThan(0.1);
    // ReLU stays level only near g = sqrt 2
    const reluRatio = (g: number) => std(g, 'relu', 'measured', 10) / std(g, 'relu', 'measured', 1);
    expect(reluRatio(1.4)).toBeGreaterThan(0.3);
    expect(reluRatio(1.4)).toBeLessThan(3);
    for (const g of gains.filter((x) => x < 0.9)) expect(reluRatio(g)).toBeLessThan(0.1);
    for (const g of gains.filter((x) => x > 2.1)) expect(reluRatio(g)).toBeGreaterThan(10);
    // tanh: linear for small signals (factor g per layer), saturating below 1 for g > 1
    const tanhFactor = (std(0.4, 'tanh', 'measured', 10) / std(0.4, 'tanh', 'measured', 2)) ** (1 / 8);
    expect(Math.abs(tanhFactor / 0.4 - 1)).toBeLessThan(0.15);
    for (const g of gains.filter((x) => x >= 2)) {
      expect(std(g, 'tanh', 'measured', 10)).toBeGreaterThan(0.3);
      expect(std(g, 'relu', 'measured', 10)).toBeGreaterThan(std(g, 'tanh', 'measured', 10));
    }
    // the printed rows are the figure's
    for (const m of nb.stdout.matchAll(/^g = ([\d.]+): layer-10 std, relu (\S+) \(recursion (\S+)\), tanh (\S+)$/gm)) {
      const g = Number(m[1]);
      expect(Number(m[2]) / std(g, 'relu', 'measured', 10)).toBeCloseTo(1, 2);
      expect(Number(m[3]) / std(g, 'relu', 'recursion', 10)).toBeCloseTo(1, 2);
      expect(Number(m[4]) / std(g, 'tanh', 'measured', 10)).toBeCloseTo(1, 2);
    }
    expect([...nb.stdout.matchAll(/^g = [\d.]+: layer-10 std/gm)]).toHaveLength(5);
  });

  it('trains five initialisations under three seeds: symmetry, and the spread the prose reads', () => {
    const { header, rows } = nb.table('initialisation');
    expect(header).toEqual(['initialisation', 'distinct conv1 filters (seeds 1, 2, 3)', 'test acc % mean', 'min', 'max']);
    const row = (name: string) => {
      const r = rows.find((x) => x[0] === name)!;
      expect(r, name).toBeDefined();
      const [mean, min, max] = r.slice(2).map(Number);
      expect(min).toBeLessThanOrEqual(mean);
      expect(mean).toBeLessThanOrEqual(max);
      return { distinct: r[1], mean, min, max };
    };
    // equal starting filters get equal gradients: exactly one distinct filter, in every seed
    expect(row('zeros').distinct).toBe('1, 1, 1');
    expect(row('constant 0.05').distinct).toBe('1, 1, 1');
    for (const name of ['N(0, 0.01)', 'Glorot uniform', 'He (rescaled)']) expect(row(name).distinct).toBe('8, 8, 8');
    expect(row('zeros').max).toBeLessThan(20); // chance is 10%
    const [c, small, glorot, he] = ['constant 0.05', 'N(0, 0.01)', 'Glorot uniform', 'He (rescaled)'].map(row);
    for (const r of [c, small, glorot, he]) expect(r.min).toBeGreaterThan(40);
    // the prose: constant about as accurate as Glorot (ranges overlap); the small start's range below
    // Glorot's and He's; He the highest mean, its range overlapping Glorot's
    expect(c.min).toBeLessThan(glorot.max);
    expect(glorot.min).toBeLessThan(c.max);
    expect(small.max).toBeLessThan(glorot.min);
    expect(small.max).toBeLessThan(he.min);
    expect(he.mean).toBeGreaterThan(Math.max(glorot.mean, c.mean, small.mean));
    expect(he.min).toBeLessThan(glorot.max);
    // the loss curves: zeros stay at ln 10; the small start leaves the plateau last
    const curves = specs().find((s) => JSON.stringify(s.title ?? '').includes('Training loss'))!;
    const values = curves.data.values as { series: string; step: number; value: number }[];
    const series = (name: string) => values.filter((v) => v.series === name).sort((a, b) => a.step - b.step).map((v) => v.value);
    expect(series('zeros')).toHaveLength(2 * Math.ceil(700 / 50));
    for (const v of series('zeros')) expect(Math.abs(v - Math.log(10))).toBeLessThan(0.02);
    const leaves = (name: string) => series(name).findIndex((v) => v < 2.2);
    for (const name of ['constant 0.05', 'Glorot uniform', 'He (rescaled)']) {
      expect(leaves(name)).toBeGreaterThanOrEqual(0);
      expect(leaves('N(0, 0.01)')).toBeGreaterThan(leaves(name));
    }
    expect(specs()).toHaveLength(3);
  });

  it('cites its sources', () => {
    for (const cite of ['Glorot & Bengio 2010', 'He et al. 2015, arXiv:1502.01852', 'arXiv:1706.02515', 'arXiv:1409.1556', 'arXiv:1706.02677', 'arXiv:1502.03167']) {
      expect(nb.markdown).toContain(cite);
    }
  });

  it('has recall answers a reader can reveal, one per question, that agree with the formulas', () => {
    const { text: recall, questions, answers } = nb.recall;
    expect(questions.length).toBe(5);
    expect(answers).toHaveLength(questions.length);
    // answer 2: n_in = 5*5*32, n_out = 5*5*64, He sqrt(2/800), Glorot sqrt(2/2400)
    expect(recall).toContain(`$n_{in} = 5 \\cdot 5 \\cdot 32 = ${5 * 5 * 32}$`);
    expect(recall).toContain(`$n_{out} = 5 \\cdot 5 \\cdot 64 = ${5 * 5 * 64}$`);
    expect(recall).toContain(`He: $\\sqrt{2/800} = ${Math.sqrt(2 / 800)}$`);
    expect(recall).toContain(`$\\sqrt{2/2400} \\approx ${Math.sqrt(2 / 2400).toFixed(4)}$`);
    // answer 4: 0.085^9 is about 2e-10
    expect(Math.sqrt(72) * 0.01).toBeCloseTo(0.085, 3);
    expect(Math.round(((Math.sqrt(72) * 0.01) ** 9) / 1e-10)).toBe(2);
  });
});
