import { describe, expect, it } from 'vitest';
import { Executed } from './executed';

describe('q12-backpropagation', () => {
  const nb = new Executed('q12-backpropagation');

  it('runs clean', () => {
    nb.expectOk();
  });

  it('computes one gradient per parameter tensor, with the parameter shapes', () => {
    // conv1 (kernel, bias) + dense (kernel, bias); the dense layer sees 13*13*8 features after
    // a valid 3x3 conv (28 -> 26) and 2x2 pooling (26 -> 13).
    const pooled = Math.floor((28 - 3 + 1) / 2);
    expect(nb.number('Gradients computed for')).toBe(4);
    expect(nb.stdout).toContain('conv1/kernel: Gradient shape [3,3,1,8]');
    expect(nb.stdout).toContain('conv1/bias: Gradient shape [8]');
    expect(nb.stdout).toContain(`dense/kernel: Gradient shape [${pooled * pooled * 8},10]`);
    expect(nb.stdout).toContain('dense/bias: Gradient shape [10]');
  });

  it('starts near the loss of a uniform guess over 10 classes, ln 10', () => {
    expect(Math.abs(nb.number('random image, label 3: loss') - Math.log(10))).toBeLessThan(0.7);
    expect(Math.abs(nb.number('64 MNIST test digits: loss') - Math.log(10))).toBeLessThan(0.7);
    expect(nb.stdout).not.toMatch(/NaN\/Inf [1-9]/);
  });

  it('matches autograd with the hand-written backward pass', () => {
    const m = nb.stdout.match(/loss by hand: ([\d.]+)\s+autograd: ([\d.]+)/)!;
    expect(Number(m[1])).toBeCloseTo(Number(m[2]), 5);
    for (const v of ['conv1/kernel', 'conv1/bias', 'dense/kernel', 'dense/bias']) {
      const r = nb.stdout.match(new RegExp(`${v}: max \\|hand - autograd\\| = ([\\d.e+-]+) \\(largest \\|g\\| ([\\d.e+-]+)\\)`))!;
      expect(Number(r[1])).toBeLessThanOrEqual(1e-5 * Math.max(1, Number(r[2])));
    }
    expect(nb.number('input gradient: max |hand - autograd| =')).toBeLessThan(1e-5);
  });

  it('shows pooling routing (at most 1 in 4 conv outputs gets gradient) and weight-sharing accumulation', () => {
    const m = nb.stdout.match(/conv outputs that receive gradient: (\d+) of (\d+)/)!;
    expect(Number(m[2])).toBe(26 * 26 * 8);
    expect(Number(m[1])).toBeLessThanOrEqual((13 * 13 * 8));
    const s = nb.stdout.match(/sum of delta over 26x26 positions ([-\d.e+]+), bias gradient ([-\d.e+]+)/)!;
    expect(Number(s[1])).toBeCloseTo(Number(s[2]), 6);
  });

  it('lowers the loss with one SGD step, shows figures and corrects the seed', () => {
    expect(nb.number('loss after one SGD step:')).toBeLessThan(nb.number('loss before the step:'));
    expect(nb.displays.filter((d) => 'application/vnd.vegalite.v5+json' in d).length).toBeGreaterThanOrEqual(3);
    expect(nb.markdown).toMatch(/\*\*Errata\.\*\*/);
  });

  it('measures per-layer gradient norms every 5 steps of real training, on a log axis', () => {
    for (const layer of ['conv1', 'dense']) {
      const m = nb.stdout.match(new RegExp(`^${layer}: gradient norm at step 0 ([\\d.e+-]+), at step (\\d+) ([\\d.e+-]+), (\\d+) measurements`, 'm'))!;
      expect(m, layer).not.toBeNull();
      // 2 epochs of 1,920 digits in batches of 32 = 120 steps; measured at step 0 and every 5 steps
      expect(Number(m[2])).toBe(2 * (1920 / 32));
      expect(Number(m[4])).toBe(1 + 120 / 5);
      for (const v of [Number(m[1]), Number(m[3])]) expect(v).toBeGreaterThan(0);
    }
    expect(nb.number('trained model: test accuracy')).toBeGreaterThan(0.7); // chance is 0.1
    const specs = nb.displays.map((d) => d['application/vnd.vegalite.v5+json'] as Record<string, unknown> | undefined);
    const norms = specs.find((s) => s && JSON.stringify(s.title).includes('Per-layer gradient norm while training'))!;
    expect(norms).toBeDefined();
    expect(JSON.stringify(norms.spec)).toContain('"scale":{"type":"log"}');
    const values = (norms.data as { values: { series: string; step: number; value: number }[] }).values;
    expect(values).toHaveLength(2 * 25);
    expect(new Set(values.map((v) => v.step)).size).toBe(25);
  });

  it('takes the input gradient of the trained model on a real digit, checked by a finite difference', () => {
    const m = nb.stdout.match(/^test digit 0: label (\d), trained model's probability of it ([\d.]+)/m)!;
    expect(m).not.toBeNull();
    expect(Number(m[1])).toBe(7); // the first MNIST test digit is a 7
    const g = nb.stdout.match(/autograd dL\/dx ([-\d.e+]+), finite difference ([-\d.e+]+)/)!;
    const [auto, fd] = [Number(g[1]), Number(g[2])];
    expect(auto).not.toBe(0);
    expect(Math.abs(fd - auto)).toBeLessThan(0.05 * Math.abs(auto));
    const specs = nb.displays.map((d) => d['application/vnd.vegalite.v5+json'] as Record<string, unknown> | undefined);
    expect(specs.some((s) => s && JSON.stringify(s.title).includes('Input gradient of the trained model'))).toBe(true);
  });

  it('has recall answers a reader can reveal, one per question', () => {
    const { questions, answers } = nb.recall;
    expect(questions.length).toBe(5);
    expect(answers).toHaveLength(questions.length);
  });
});
