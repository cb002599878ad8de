import { describe, expect, it } from 'vitest';
import { Executed } from './executed';

describe('q15-transfer-learning', () => {
  const nb = new Executed('q15-transfer-learning');
  const conv = (k: number, cin: number, cout: number) => (k * k * cin + 1) * cout;
  const dense = (nin: number, nout: number) => (nin + 1) * nout;
  // Keras Applications VGG16 without top: 14,714,688 parameters (published); 13 convs in 5 blocks.
  const vggBase = conv(3, 3, 64) + conv(3, 64, 64) + conv(3, 64, 128) + conv(3, 128, 128) +
    conv(3, 128, 256) + 2 * conv(3, 256, 256) + conv(3, 256, 512) + 2 * conv(3, 512, 512) + 3 * conv(3, 512, 512);
  const vggHead = dense(512, 256) + dense(256, 10);
  const block5 = 3 * conv(3, 512, 512);

  it('runs clean', () => {
    nb.expectOk();
  });

  it('counts the seed recipe on VGG16: frozen base, then block 5 unfrozen', () => {
    expect(vggBase).toBe(14714688);
    expect(nb.stdout).toMatch(new RegExp(`^VGG16 base: 19 layers, ${vggBase} params$`, 'm'));
    expect(nb.number('Strategy 1 trainable params:')).toBe(vggHead);
    expect(nb.number('Strategy 1 non-trainable params:')).toBe(vggBase);
    expect(nb.number('Strategy 2 trainable params:')).toBe(vggHead + block5);
    expect(nb.number('Strategy 2 non-trainable params:')).toBe(vggBase - block5);
    expect(nb.stdout).toMatch(/^Strategy 2 trainable layers of the base: block5_conv1, block5_conv2, block5_conv3$/m);
  });

  it('pretrains once on digits 0-4 and reports frozen/trainable counts of each strategy', () => {
    expect(nb.number(/pretraining on 3000 digits 0-4, 2 epochs: test accuracy ([\d.]+) on 1000 test digits 0-4/)).toBeGreaterThan(0.9);
    // conv 3x3 1->8, pool, conv 3x3 8->16, pool: 28 -> 26 -> 13 -> 11 -> 5, so 5*5*16 = 400 features
    const features = conv(3, 1, 8) + conv(3, 8, 16);
    const head = dense(5 * 5 * 16, 5);
    const counts = (label: string) => nb.stdout.match(new RegExp(`^${label}: trainable params (\\d+), frozen params (\\d+)$`, 'm'))!.slice(1).map(Number);
    expect(counts('from scratch')).toEqual([features + head, 0]);
    expect(counts('feature extraction')).toEqual([head, features]);
    expect(counts('fine-tuning')).toEqual([features + head, 0]);
    // the recall answer quotes these counts
    expect(nb.markdown).toContain(`here ${head.toLocaleString('en-US')} weights of a 5-way dense layer on 400 features`);
    expect(nb.markdown).toContain(`all ${(features + head).toLocaleString('en-US')} weights, printed above`);
    expect(nb.markdown).toContain(`${block5.toLocaleString('en-US').replace(/,/g, '{,}')}$ weights, plus the new head's ${vggHead.toLocaleString('en-US')}`);
    expect(nb.markdown).toContain(`${(vggHead + block5).toLocaleString('en-US')} trainable, as printed`);
  });

  type Spread = { mean: number; min: number; max: number };
  const table = () => {
    const { header, rows } = nb.table('labels');
    expect(header).toEqual(['labels', 'epochs', 'from scratch', 'feature extraction', 'fine-tuning']);
    const parse = (cell: string): Spread => {
      const m = cell.match(/^([\d.]+) \[([\d.]+), ([\d.]+)\]$/)!;
      expect(m, cell).not.toBeNull();
      const [mean, min, max] = m.slice(1).map(Number);
      expect(min).toBeLessThanOrEqual(mean);
      expect(mean).toBeLessThanOrEqual(max);
      return { mean, min, max };
    };
    return rows.map((r) => ({ n: Number(r[0]), epochs: Number(r[1]), s: parse(r[2]), f: parse(r[3]), t: parse(r[4]) }));
  };

  it('learns digits 5-9 from 20 to 1000 labels, three seeds each: the spread the prose reads', () => {
    const rows = table();
    expect(rows.map((r) => r.n)).toEqual([20, 50, 200, 1000]);
    // about the same number of steps per size, batches of up to 50 (the prose: 24 to 40 steps)
    const steps = rows.map((r) => r.epochs * Math.ceil(r.n / Math.min(50, r.n)));
    for (const st of steps) {
      expect(st).toBeGreaterThanOrEqual(24);
      expect(st).toBeLessThanOrEqual(40);
    }
    expect(nb.markdown).toContain('$E$ is 40, 24, 10 and 2 epochs');
    for (const { n, s, f, t } of rows) {
      for (const r of [s, f, t]) expect(r.min, `${n}`).toBeGreaterThan(0.4); // chance is 0.2
      // "by 3 to 6 points on average at every size"
      for (const r of [f, t]) {
        expect(r.mean - s.mean, `${n}`).toBeGreaterThan(0.025);
        expect(r.mean - s.mean, `${n}`).toBeLessThan(0.065);
      }
      // "scratch never came out ahead": no seed range of scratch above a transfer strategy's
      expect(s.min).toBeLessThan(Math.max(f.max, t.max));
      // fine-tuning adds about a point or less to feature extraction's mean
      expect(Math.abs(t.mean - f.mean), `${n}`).toBeLessThan(0.015);
    }
    const at = (n: number) => rows.find((r) => r.n === n)!;
    // at 200 and 1000 labels every run of each transfer strategy is above every scratch run
    for (const n of [200, 1000]) {
      expect(at(n).f.min).toBeGreaterThan(at(n).s.max);
      expect(at(n).t.min).toBeGreaterThan(at(n).s.max);
    }
    // at 20 and 50 the ranges overlap or almost touch
    for (const n of [20, 50]) expect(Math.min(at(n).f.min, at(n).t.min) - at(n).s.max).toBeLessThan(0.01);
    expect(at(20).f.min).toBeLessThan(at(20).s.max);
  });

  it('draws accuracy against the label count on a log axis, from the printed spread', () => {
    const figs = nb.displays.filter((d) => 'application/vnd.vegalite.v5+json' in d).map((d) => d['application/vnd.vegalite.v5+json'] as Record<string, any>);
    expect(figs).toHaveLength(1);
    const spec = figs[0];
    expect(spec.encoding.x.field).toBe('labels');
    expect(spec.encoding.x.scale.type).toBe('log');
    const values = spec.data.values as ({ labels: number; strategy: string } & Spread)[];
    expect(values).toHaveLength(4 * 3);
    for (const r of table()) {
      for (const [strategy, spread] of [['from scratch', r.s], ['feature extraction', r.f], ['fine-tuning', r.t]] as const) {
        const v = values.find((x) => x.labels === r.n && x.strategy === strategy)!;
        expect(v.mean).toBeCloseTo(spread.mean, 3);
        expect(v.min).toBeCloseTo(spread.min, 3);
        expect(v.max).toBeCloseTo(spread.max, 3);
      }
    }
  });

  it('cites its sources and has an errata note', () => {
    expect(nb.markdown).toMatch(/\*\*Errata\.\*\*/);
    for (const cite of ['arXiv:1411.1792', 'arXiv:2202.10054', 'arXiv:1311.2524', 'arXiv:1411.4038', 'arXiv:1902.07208']) {
      expect(nb.markdown).toContain(cite);
    }
  });

  it('has recall answers a reader can reveal, one per question', () => {
    const { questions, answers } = nb.recall;
    expect(questions.length).toBe(4);
    expect(answers).toHaveLength(questions.length);
  });
});
