import { describe, expect, it } from 'vitest';
import { Executed } from './executed';

interface SweepLine {
  eps: number;
  fgsm: number;
  pgd: number;
  random: number;
}

describe('q24-adversarial-examples', () => {
  const nb = new Executed('q24-adversarial-examples');
  const conv = (k: number, cin: number, cout: number) => (k * k * cin + 1) * cout;
  const dense = (nin: number, nout: number) => (nin + 1) * nout;
  const ATTACK_SET = 200;
  const EPSILONS = [0, 0.05, 0.1, 0.15, 0.2, 0.3];

  /**
   * The rows of a table printed as `title | seeds 24 25 26 | mean | min-max`, each checked against its own
   * three values (their mean, min and max); `eachRow` adds checks of a row's values.
   */
  const seedTable = (title: string, eachRow: (name: string, v: number[]) => void = () => {}) => {
    const tb = nb.table(title);
    expect(tb.header).toEqual([title, 'seeds 24 25 26', 'mean', 'min-max']);
    const stats: Record<string, { v: number[]; lo: number; hi: number }> = {};
    for (const r of tb.rows) {
      const v = r[1].split(/\s+/).map(Number);
      expect(v, r[0]).toHaveLength(3);
      const [lo, hi] = r[3].split('-').map(Number);
      expect(Number(r[2])).toBeCloseTo(v.reduce((a, b) => a + b, 0) / 3, 2);
      expect(lo).toBe(Math.min(...v));
      expect(hi).toBe(Math.max(...v));
      eachRow(r[0], v);
      stats[r[0]] = { v, lo, hi };
    }
    return stats;
  };

  const sweep = (model: 'standard' | 'robust'): SweepLine[] => {
    const re = new RegExp(`^\\s*${model} eps ([\\d.]+): FGSM ([\\d.]+), PGD ([\\d.]+), random ([\\d.]+)$`, 'gm');
    return [...nb.stdout.matchAll(re)].map((m) => ({ eps: Number(m[1]), fgsm: Number(m[2]), pgd: Number(m[3]), random: Number(m[4]) }));
  };
  const at = (rows: SweepLine[], eps: number) => rows.find((r) => Math.abs(r.eps - eps) < 1e-9)!;

  it('runs clean', () => {
    nb.expectOk();
  });

  it('trains the Q7 CNN: parameter count from the formula, accuracy well above chance', () => {
    // 28 -conv3-> 26 -pool-> 13 -conv3-> 11 -pool-> 5 -conv3-> 3, so the dense layer sees 3*3*32.
    expect(nb.number('Total params:')).toBe(conv(3, 1, 8) + conv(3, 8, 16) + conv(3, 16, 32) + dense(3 * 3 * 32, 10));
    expect(nb.stdout.match(/^standard epoch \d: loss [\d.]+, accuracy [\d.]+$/gm)).toHaveLength(2);
    // A small CNN on 3,000 digits for two epochs: about 90%; chance is 10%.
    expect(nb.number('standard model, clean test accuracy:')).toBeGreaterThan(0.85);
  });

  it('the single-digit FGSM demo changes the prediction with a perturbation of size epsilon', () => {
    const m = nb.stdout.match(/classified as (\d) \(([\d.]+)% confidence\)\nAdd an FGSM perturbation, epsilon = ([\d.]+)\nAdversarial image: classified as (\d) \(([\d.]+)% confidence\)/);
    expect(m).not.toBeNull();
    const [, before, confBefore, eps, after, confAfter] = m!;
    expect(after).not.toBe(before);
    // A predicted class has at least 1/10 of the probability mass.
    for (const c of [confBefore, confAfter]) expect(Number(c)).toBeGreaterThanOrEqual(10);
    // FGSM moves each pixel by +-epsilon unless clipping stops it, so the L-infinity distance is epsilon.
    expect(nb.number('largest pixel change |x_adv - x|:')).toBeCloseTo(Number(eps), 3);
  });

  it('sweeps the epsilons: attacks are not noise, PGD is at least as strong as FGSM', () => {
    const rows = sweep('standard');
    expect(rows.map((r) => r.eps)).toEqual(EPSILONS);
    const clean = at(rows, 0);
    // With epsilon 0 every method is plain accuracy on the same digits.
    expect(clean.pgd).toBe(clean.fgsm);
    expect(clean.random).toBe(clean.fgsm);
    for (const r of rows.filter((x) => x.eps > 0)) {
      expect(r.pgd, `PGD vs FGSM at ${r.eps}`).toBeLessThanOrEqual(r.fgsm + 0.02);
      expect(r.fgsm, `FGSM below clean at ${r.eps}`).toBeLessThan(clean.fgsm);
    }
    for (const r of rows.filter((x) => x.eps >= 0.15)) {
      // Random signs of the same size hurt far less than the gradient's signs.
      expect(r.random - r.fgsm, `random vs FGSM at ${r.eps}`).toBeGreaterThan(0.2);
    }
    expect(at(rows, 0.3).fgsm).toBeLessThan(at(rows, 0.05).fgsm);
    expect(at(rows, 0.3).pgd).toBeLessThan(0.2);
  });

  it('counts the confident mistakes consistently with the sweep', () => {
    const wrong = nb.number('FGSM eps 0.2: wrong predictions:');
    expect(nb.stdout).toMatch(new RegExp(`wrong predictions: ${wrong} of ${ATTACK_SET}`));
    // Same attack on the same digits as the sweep's FGSM column at 0.2.
    expect(wrong).toBe(Math.round((1 - at(sweep('standard'), 0.2).fgsm) * ATTACK_SET));
    const meanConf = nb.number('mean confidence of a wrong prediction:');
    expect(meanConf).toBeGreaterThanOrEqual(0.1);
    expect(meanConf).toBeLessThanOrEqual(1);
    const over90 = nb.number('wrong predictions made with more than 90% confidence:');
    expect(over90).toBeGreaterThanOrEqual(0);
    expect(over90).toBeLessThanOrEqual(wrong);
  });

  it('transfers CNN attacks to an MLP: worse than noise, weaker than a white-box attack', () => {
    const clean = nb.number('MLP clean accuracy:');
    const transfer = nb.number('MLP accuracy on FGSM examples made on the CNN (eps 0.2):');
    const noise = nb.number('MLP accuracy under random +-0.2 noise:');
    const whiteBox = nb.number('MLP accuracy under its own FGSM (eps 0.2):');
    expect(clean).toBeGreaterThan(0.8);
    expect(transfer).toBeLessThan(noise);
    expect(whiteBox).toBeLessThan(transfer);
    expect(noise).toBeLessThanOrEqual(clean + 0.02);
  });

  it('adversarial training raises accuracy under attack and keeps clean accuracy', () => {
    expect(nb.stdout.match(/^adversarial epoch \d: clean loss [\d.]+, FGSM loss [\d.]+$/gm)).toHaveLength(2);
    const std = sweep('standard');
    const rob = sweep('robust');
    expect(rob.map((r) => r.eps)).toEqual(EPSILONS);
    for (const eps of [0.1, 0.15, 0.2]) {
      expect(at(rob, eps).fgsm, `FGSM at ${eps}`).toBeGreaterThan(at(std, eps).fgsm + 0.05);
      expect(at(rob, eps).pgd, `PGD at ${eps}`).toBeGreaterThan(at(std, eps).pgd + 0.05);
    }
    for (const r of rob.filter((x) => x.eps > 0)) expect(r.pgd, `robust PGD vs FGSM at ${r.eps}`).toBeLessThanOrEqual(r.fgsm + 0.02);
    // The notebook: for the robust model the FGSM-PGD gap widens with epsilon, and PGD at 0.3 is near zero.
    expect(at(rob, 0.3).fgsm - at(rob, 0.3).pgd).toBeGreaterThan(at(rob, 0.1).fgsm - at(rob, 0.1).pgd);
    expect(at(rob, 0.3).pgd).toBeLessThan(0.1);
    // ... and random noise stays harmless for both models.
    for (const rows of [std, rob]) for (const r of rows) expect(r.random).toBeGreaterThan(at(rows, 0).random - 0.1);
    const clean = nb.number('adversarially trained model, clean test accuracy:');
    expect(Math.abs(clean - nb.number('standard model, clean test accuracy:'))).toBeLessThan(0.03);
    // The summary line repeats the table.
    const m = nb.stdout.match(/FGSM accuracy at eps 0.1: before adversarial training ([\d.]+), after ([\d.]+)/)!;
    expect(Number(m[1])).toBe(at(std, 0.1).fgsm);
    expect(Number(m[2])).toBe(at(rob, 0.1).fgsm);
    expect(Number(m[2])).toBeGreaterThan(Number(m[1]));
  });

  it('shows the examples and the epsilon sweep as figures', () => {
    const figs = nb.displays.filter((d) => 'application/vnd.vegalite.v5+json' in d);
    expect(figs).toHaveLength(4);
    for (const fig of figs) {
      expect(String(fig['image/svg+xml'])).toMatch(/^<svg/);
      expect(String(fig['image/png']).length).toBeGreaterThan(1000);
    }
    const [grid, deltas, , lines] = figs.map((f) => f['application/vnd.vegalite.v5+json'] as Record<string, any>);
    // 8 clean + 8 adversarial digits of 28x28 pixels: drawn either as PNG image marks (one value per
    // picture, with a data URL) or as one value per pixel.
    const pictures = (spec: Record<string, any>) => spec.data.values.some((v: { url?: string }) => v.url !== undefined);
    if (pictures(grid)) {
      expect(new Set(grid.data.values.map((v: { img: number }) => v.img)).size).toBe(16);
      for (const v of grid.data.values) expect(String(v.url)).toMatch(/^data:image\/png;base64,/);
    } else {
      expect(new Set(grid.data.values.map((v: { img: number }) => v.img)).size).toBe(16);
      expect(grid.data.values).toHaveLength(16 * 28 * 28);
    }
    if (pictures(deltas)) {
      expect(deltas.data.values).toHaveLength(8);
      for (const v of deltas.data.values) expect(String(v.url)).toMatch(/^data:image\/png;base64,/);
    } else {
      // FGSM perturbations stay inside the L-infinity ball of radius 0.2 (clipping can only shrink a step),
      // and unclipped pixels move by the full 0.2.
      const ds: number[] = deltas.data.values.map((v: { v: number }) => v.v);
      expect(ds).toHaveLength(8 * 28 * 28);
      expect(ds.every((d) => Math.abs(d) <= 0.2 + 1e-4)).toBe(true);
      expect(Math.max(...ds.map(Math.abs))).toBeCloseTo(0.2, 4);
    }
    // Two models x three attacks x six epsilons.
    expect(lines.spec.mark.type).toBe('line');
    expect(lines.data.values).toHaveLength(2 * 3 * EPSILONS.length);
    expect(new Set(lines.data.values.map((v: { attack: string }) => v.attack))).toEqual(new Set(['FGSM', 'PGD-10', 'random ±ε']));
  });

  it('the epsilon slider: a bound param, FGSM rows inside the epsilon ball, labels as computed by hand', () => {
    const slider = nb.displays
      .filter((d) => 'application/vnd.vegalite.v5+json' in d)
      .map((f) => f['application/vnd.vegalite.v5+json'] as Record<string, any>)[2];
    expect(slider.params.some((p: { bind?: unknown }) => p.bind)).toBe(true);
    expect(slider.transform).toEqual([{ filter: 'datum.eps == eps' }]);
    expect(JSON.stringify(slider).length).toBeLessThan(300_000);
    const bound = slider.params.find((p: { bind?: unknown }) => p.bind);
    const eps = [0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3];
    // The slider's steps hit exactly the epsilons of the rows.
    expect(eps.map((e) => Math.round((e - bound.bind.min) / bound.bind.step))).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(bound.bind.max).toBe(0.3);
    type Row = { eps: number; digit: number; label: number; predicted: number; maxDelta: number; url: string };
    const rows: Row[] = slider.data.values;
    expect(rows).toHaveLength(eps.length * 6);
    // The hand computation (tf.grad of -sum log p_true, not the library's fgsm), printed as a table.
    const tb = nb.table('FGSM by hand, eps');
    expect(tb.rows.map((r) => Number(r[0]))).toEqual(eps);
    const trueLabels = tb.header.slice(1).map((h) => Number(h.match(/true (\d)/)![1]));
    for (const r of rows) {
      expect(String(r.url)).toMatch(/^data:image\/png;base64,/);
      expect(eps).toContain(r.eps);
      // FGSM stays in the L-infinity ball: no pixel moves by more than epsilon.
      expect(r.maxDelta).toBeLessThanOrEqual(r.eps + 1e-6);
      expect(r.label).toBe(trueLabels[r.digit - 1]);
      const cell = tb.rows[eps.indexOf(r.eps)][r.digit];
      const [, pred, maxd] = cell.match(/^(\d), max ([\d.]+)$/)!;
      expect(r.predicted, `eps ${r.eps} digit ${r.digit}`).toBe(Number(pred));
      expect(Math.abs(r.maxDelta - Number(maxd))).toBeLessThan(6e-5);
    }
    // At epsilon 0 the images are the clean digits, which the model (96% accurate here) gets right,
    // and at 0.3 FGSM fools it on at least one of them.
    for (const r of rows.filter((x) => x.eps === 0)) expect(r.maxDelta).toBe(0);
    expect(rows.filter((x) => x.eps === 0.3).some((x) => x.predicted !== x.label)).toBe(true);
  });

  it('DeepFool beside FGSM and PGD over 3 seeds: consistent statistics, and the claims of the prose', () => {
    const counts = nb.stdout.match(/correctly classified digits attacked, seeds 24 25 26: (\d+) (\d+) (\d+)/)!.slice(1).map(Number);
    for (const c of counts) expect(c).toBeGreaterThan(80); // of 100, the models are about 90% accurate
    const stats = seedTable('standard model, attack');
    expect(Object.keys(stats)).toEqual([
      'FGSM 0.1, success', 'FGSM 0.1, median L2', 'PGD-10 0.1, success', 'PGD-10 0.1, median L2',
      'DeepFool, success', 'DeepFool, median L2',
    ]);
    // A success rate is a count over the correctly classified digits of that seed.
    for (const a of ['FGSM 0.1', 'PGD-10 0.1', 'DeepFool']) {
      stats[`${a}, success`].v.forEach((s, i) => expect(Math.abs(s * counts[i] - Math.round(s * counts[i]))).toBeLessThan(0.06));
    }
    // An L-infinity budget of 0.1 over 784 pixels allows at most 0.1 * 28 = 2.8 in L2.
    for (const a of ['FGSM 0.1', 'PGD-10 0.1']) for (const l of stats[`${a}, median L2`].v) expect(l).toBeLessThanOrEqual(2.8 + 1e-3);
    // The prose: DeepFool fools (nearly) every digit, and its median L2 is below FGSM's and PGD's in every seed.
    expect(stats['DeepFool, success'].lo).toBeGreaterThanOrEqual(0.95);
    for (const a of ['FGSM 0.1', 'PGD-10 0.1']) expect(stats[`${a}, success`].hi).toBeLessThanOrEqual(0.35);
    expect(stats['DeepFool, median L2'].hi).toBeLessThan(Math.min(stats['FGSM 0.1, median L2'].lo, stats['PGD-10 0.1, median L2'].lo));
    // PGD is at least as strong as FGSM at the same budget (seed by seed).
    stats['PGD-10 0.1, success'].v.forEach((s, i) => expect(s).toBeGreaterThanOrEqual(stats['FGSM 0.1, success'].v[i] - 0.02));
    expect(nb.markdown).toMatch(/arXiv:1511\.04599/);
  });

  it('repeats standard vs adversarial training over 3 seeds with consistent statistics', () => {
    // On 200 digits an accuracy is a multiple of 1/200 (on 1,000 of 1/1000).
    const stats = seedTable('training, accuracy', (name, accs) => {
      if (!name.endsWith('clean')) for (const a of accs) expect(Math.abs(a * 200 - Math.round(a * 200))).toBeLessThan(1e-6);
    });
    expect(Object.keys(stats)).toHaveLength(6);
    // Seed 24 is the run printed above.
    expect(stats['standard, clean'].v[0]).toBe(nb.number('standard model, clean test accuracy:'));
    expect(stats['adversarial, clean'].v[0]).toBe(nb.number('adversarially trained model, clean test accuracy:'));
    expect(stats['standard, FGSM 0.1'].v[0]).toBe(nb.number(/FGSM accuracy at eps 0\.1: before adversarial training ([\d.]+)/));
    expect(stats['adversarial, PGD 0.1'].v[0]).toBe(nb.number(/PGD accuracy at eps 0\.1: before adversarial training [\d.]+, after ([\d.]+)/));
    for (const s of Object.values(stats)) for (const a of s.v) expect(a).toBeGreaterThan(0.3); // chance 0.1
    // The prose: the worst adversarially trained model beats the best standard one under both attacks,
    // PGD is at least as strong as FGSM, and clean accuracy was higher in every seed.
    for (const attack of ['FGSM 0.1', 'PGD 0.1']) {
      expect(stats[`adversarial, ${attack}`].lo).toBeGreaterThan(stats[`standard, ${attack}`].hi);
    }
    for (const kind of ['standard', 'adversarial']) {
      stats[`${kind}, PGD 0.1`].v.forEach((a, i) => expect(a).toBeLessThanOrEqual(stats[`${kind}, FGSM 0.1`].v[i]));
    }
    stats['adversarial, clean'].v.forEach((a, i) => expect(a).toBeGreaterThan(stats['standard, clean'].v[i]));
  });

  it('has an errata note', () => {
    expect(nb.markdown).toMatch(/\*\*Errata\.\*\*/);
    expect(nb.markdown).toMatch(/57\.7%/);
  });

  it('has recall answers a reader can reveal, one per question', () => {
    const { questions, answers } = nb.recall;
    expect(questions.length).toBe(5);
    expect(answers).toHaveLength(questions.length);
  });
});
