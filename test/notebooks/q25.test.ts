import { describe, expect, it } from 'vitest';
import { Executed } from './executed';

const conv = (k: number, cin: number, cout: number) => (k * k * cin + 1) * cout;
const dense = (nin: number, nout: number) => (nin + 1) * nout;
const out = (n: number, k: number, s: number) => Math.floor((n - k) / s) + 1;

/** The seed's trunk on 84x84x4: conv 32 8/4, conv 64 4/2, conv 64 3/1, flatten, dense 512. */
const side = out(out(out(84, 8, 4), 4, 2), 3, 1);
const trunk = conv(8, 4, 32) + conv(4, 32, 64) + conv(3, 64, 64) + dense(side * side * 64, 512);

/**
 * Probability that uniformly random actions catch the ball in catch (N x N, paddle w): the paddle centre
 * does a lazy random walk stopped at the walls for N - 1 steps from a uniform start; the ball's column is
 * uniform and independent.
 */
function randomCatchProbability(n: number, w: number): number {
  const half = (w - 1) / 2;
  const lo = half;
  const hi = n - 1 - half;
  let p = new Array(n).fill(0);
  for (let c = lo; c <= hi; c++) p[c] = 1 / (hi - lo + 1);
  for (let t = 0; t < n - 1; t++) {
    const q = new Array(n).fill(0);
    for (let c = lo; c <= hi; c++) for (const d of [-1, 0, 1]) q[Math.min(hi, Math.max(lo, c + d))] += p[c] / 3;
    p = q;
  }
  let caught = 0;
  for (let ball = 0; ball < n; ball++) for (let c = lo; c <= hi; c++) if (Math.abs(ball - c) <= half) caught += p[c] / n;
  return caught;
}

/** Column where a sideways ball lands after n - 1 steps from column c with step dx (bouncing off the walls). */
function landing(n: number, c: number, dx: number): number {
  for (let t = 0; t < n - 1; t++) {
    if (c + dx < 0 || c + dx >= n) dx = -dx;
    c += dx;
  }
  return c;
}

/** Catch probability of uniformly random actions with a sideways ball: paddle uniform on [half, n-1-half]. */
function sidewaysRandomProbability(n: number, w: number): number {
  const half = (w - 1) / 2;
  const positions = n - w + 1;
  let p = 0;
  for (let c = 0; c < n; c++) {
    for (const dx of [-1, 0, 1]) {
      const end = landing(n, c, dx);
      for (let pc = half; pc <= n - 1 - half; pc++) if (Math.abs(end - pc) <= half) p += 1 / (n * 3 * positions);
    }
  }
  return p;
}

/** Catch probability of the paddle that steps towards the ball's current column, over every start. */
function followProbability(n: number, w: number): number {
  const half = (w - 1) / 2;
  let caughtCount = 0;
  let total = 0;
  for (let c0 = 0; c0 < n; c0++) {
    for (let p0 = half; p0 <= n - 1 - half; p0++) {
      for (const dx0 of [-1, 0, 1]) {
        let [c, p, dx] = [c0, p0, dx0];
        for (let t = 0; t < n - 1; t++) {
          p = Math.min(n - 1 - half, Math.max(half, p + Math.sign(c - p)));
          if (c + dx < 0 || c + dx >= n) dx = -dx;
          c += dx;
        }
        total++;
        if (Math.abs(c - p) <= half) caughtCount++;
      }
    }
  }
  return caughtCount / total;
}

describe('q25-cnns-in-rl', () => {
  const nb = new Executed('q25-cnns-in-rl');

  it('runs clean', () => {
    nb.expectOk();
  });

  it("prints the seed's DQN with its shapes and parameter counts", () => {
    expect(side).toBe(7);
    for (const [name, shape] of [['conv1', '20, 20, 32'], ['conv2', '9, 9, 64'], ['conv3', '7, 7, 64'], ['flatten', '3136']]) {
      expect(nb.stdout).toMatch(new RegExp(`${name} \\(\\w+\\)\\s+\\(None, ${shape},?\\)`));
    }
    expect(nb.number('Total params:')).toBe(trunk + dense(512, 4));
    expect(nb.number('conv1: 8x8/4, 4 -> 32 channels, output 20x20x32, params')).toBe(conv(8, 4, 32));
    expect(nb.number('flatten:')).toBe(3136);
    expect(nb.number('shared trunk params:')).toBe(trunk);
    expect(nb.number('DQN total params:')).toBe(trunk + dense(512, 4));
    expect(nb.number('model.countParams():')).toBe(trunk + dense(512, 4));
    expect(nb.number('share of the fc layer:')).toBeCloseTo((100 * dense(3136, 512)) / (trunk + dense(512, 4)), 1);
  });

  it('prints the actor-critic with a shared trunk and a normalised policy', () => {
    const ac = trunk + dense(512, 4) + dense(512, 1);
    expect(nb.number('actor-critic params:')).toBe(ac);
    expect(nb.number(/Total params: ([\d,]+)\nTrainable params: [\d,]+\nNon-trainable params: 0\n_+\n\s*actor-critic/)).toBe(ac);
    expect(nb.number('two separate networks would need:')).toBe(2 * trunk + dense(512, 4) + dense(512, 1));
    const sums = nb.stdout.match(/rows sum to ([\d.]+), ([\d.]+)/)!;
    expect(Number(sums[1])).toBeCloseTo(1, 4);
    expect(Number(sums[2])).toBeCloseTo(1, 4);
    expect(nb.stdout).toContain('value output [2,1]');
  });

  it('preprocesses a 210x160 RGB screen to 84x84 and feeds a stack of 4 to the DQN', () => {
    expect(nb.stdout).toContain(`raw screen: [210,160,3] int32, ${210 * 160 * 3} values`);
    expect(nb.number('preprocessed frame: [84,84,1],')).toBe(84 * 84);
    const range = nb.stdout.match(/range \[([\d.]+), ([\d.]+)\]/)!;
    expect(Number(range[1])).toBeGreaterThanOrEqual(0);
    expect(Number(range[2])).toBeLessThanOrEqual(1);
    expect(nb.number('reduction per frame:')).toBeCloseTo((210 * 160 * 3) / (84 * 84), 1);
    const q = JSON.parse(nb.stdout.match(/\[1, 84, 84, 4\] -> Q-values (\[[^\]]*\])/)![1]);
    expect(q).toHaveLength(4);
    expect(nb.stdout).toContain(`FrameStack shape: [10,10,4], ${10 * 10 * 4} values`);
  });

  it('builds the small DQN whose parameters follow the formula', () => {
    // 8x8x1 -> conv 8 3x3 valid -> 6x6x8 -> flatten 288 -> dense 64 -> dense 3
    expect(nb.number('small DQN params:')).toBe(conv(3, 1, 8) + dense(6 * 6 * 8, 64) + dense(64, 3));
    expect(nb.stdout).toContain('(None, 6, 6, 8)');
    const steps = nb.stdout.match(/(\d+) episodes, (\d+) steps, (\d+) updates in ([\d.]+) s/)!;
    expect(Number(steps[2])).toBe(Number(steps[1]) * (8 - 1)); // every catch episode lasts N - 1 steps
    expect(Number(steps[3])).toBeLessThanOrEqual(Number(steps[2]));
    expect(Number(steps[4])).toBeLessThan(60);
  });

  it('the random policy catches with the computed probability 3/8', () => {
    const p = randomCatchProbability(8, 3);
    expect(p).toBeCloseTo(3 / 8, 10); // the walk keeps the uniform start uniform
    expect(nb.number('paddle width / grid width:')).toBeCloseTo(p, 3);
    expect(nb.number('(expected return')).toBeCloseTo(2 * p - 1, 3);
    const rate = nb.number(/random policy: average return [-\d.]+ over 1000 episodes, catch rate ([\d.]+)/);
    const ret = nb.number('random policy: average return');
    expect(Math.abs(rate - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / 1000));
    expect(ret).toBeCloseTo(2 * rate - 1, 2); // returns are +1 or -1
  });

  it('the trained DQN plays far better than random', () => {
    const ret = nb.number('DQN greedy policy: average return');
    const rate = nb.number(/DQN greedy policy: average return [-\d.]+ over 100 episodes, catch rate ([\d.]+)/);
    expect(ret).toBeCloseTo(2 * rate - 1, 2);
    expect(rate).toBeGreaterThanOrEqual(0.9);
    const last = nb.number('episode 200: epsilon 0.05, mean return of the last 50');
    expect(last).toBeGreaterThan(2 * (3 / 8) - 1 + 0.5);
  });

  it('learns Q-values of the discounted reward along a greedy episode', () => {
    const lines = [...nb.stdout.matchAll(/step (\d): .*Q = \[([^\]]+)\] -> (\w+); 0\.9\^(\d) = ([\d.]+)/g)];
    expect(lines).toHaveLength(8 - 1);
    for (const [, step, qs, action, j, disc] of lines) {
      const q = qs.split(', ').map(Number);
      expect(Number(j)).toBe(8 - 2 - Number(step));
      expect(Number(disc)).toBeCloseTo(0.9 ** Number(j), 3);
      expect(['left', 'stay', 'right'][q.indexOf(Math.max(...q))]).toBe(action);
      expect(Math.abs(Math.max(...q) - 0.9 ** Number(j))).toBeLessThan(0.25);
    }
    expect(nb.stdout).toContain('final reward 1');
  });

  it('shows the frame stack and the return curve, and has an Errata note', () => {
    const figs = nb.displays.filter((d) => 'application/vnd.vegalite.v5+json' in d);
    expect(figs).toHaveLength(2);
    const curve = JSON.stringify(figs[1]['application/vnd.vegalite.v5+json']);
    expect(curve).toContain('random policy');
    expect(curve).toContain('return (moving average of 20)');
    expect(nb.markdown).toMatch(/\*\*Errata\.\*\*.*does not run as written/s);
  });
  it('computes the frame-skip arithmetic of DQN on Atari and answers the recall questions', () => {
    // Mnih et al. (2015): 50 million agent steps, each 4 emulator frames at 60 Hz; the paper says ~38 days.
    const days = (50e6 * 4) / 60 / 86400;
    expect(nb.number(/frames \/ 60 Hz = ([\d.]+) days/)).toBeCloseTo(days, 1);
    expect(days).toBeGreaterThan(37);
    expect(days).toBeLessThan(39);
    expect(nb.number('against 2 hours of human practice:')).toBe(Math.round((days * 24) / 2));
    // 200 episodes of 7 steps each on the 8x8 grid.
    expect(nb.number('catch above:')).toBe(200 * 7);
    expect(nb.number(/^200 episodes, (\d+) steps/m)).toBe(200 * 7);
    expect(nb.markdown.match(/<details><summary>Answer<\/summary>/g)).toHaveLength(5);
    // Recall answers: the fc layer's share of the DQN, and the random policy's expected return.
    const fc = (7 * 7 * 64 + 1) * 512;
    expect(fc).toBe(1_606_144);
    expect(nb.markdown).toContain('1,606,144');
    expect(nb.markdown).toContain('$2 \\cdot 3/8 - 1 = -0.25$');
  });
  it('sideways ball: baselines from exact enumeration, 3 seeds per stack depth, prose as measured', () => {
    const pr = sidewaysRandomProbability(8, 3);
    const rnd = nb.number('sideways ball, random policy: catch rate');
    expect(Math.abs(rnd - pr)).toBeLessThan(4 * Math.sqrt((pr * (1 - pr)) / 1000));
    expect(followProbability(8, 3)).toBe(1);
    expect(nb.number("sideways ball, follow the ball's column: catch rate")).toBe(1);
    const summary: Record<number, number[]> = {};
    for (const k of [1, 4]) {
      const rates = [...nb.stdout.matchAll(new RegExp(`k = ${k}, seed (\\d): (\\d+) updates, greedy catch rate ([\\d.]+)`, 'g'))];
      expect(rates.map((m) => Number(m[1]))).toEqual([1, 2, 3]);
      // 120 episodes of 7 steps; training starts once the buffer holds 200 transitions
      for (const m of rates) expect(Number(m[2])).toBe(120 * 7 - 200 + 1);
      const v = rates.map((m) => Number(m[3]));
      const line = nb.stdout.match(new RegExp(`k = ${k} frame\\(s\\): catch rate mean ([\\d.]+), min ([\\d.]+), max ([\\d.]+) over seeds 1, 2, 3`))!;
      const [mean, min, max] = [Number(line[1]), Number(line[2]), Number(line[3])];
      expect(mean).toBeCloseTo(v.reduce((a, b) => a + b, 0) / 3, 3);
      expect(min).toBe(Math.min(...v));
      expect(max).toBe(Math.max(...v));
      for (const x of v) expect(x).toBeGreaterThan(pr); // both beat the random policy
      expect(max).toBeLessThan(0.9); // neither near the follow-the-column paddle
      summary[k] = [mean, min, max];
      // the prose and the recall answer quote the printed numbers
      const quoted = `${mean.toFixed(3)}`;
      expect(nb.markdown).toContain(quoted);
      expect(nb.markdown).toContain(`${min.toFixed(3)} to ${max.toFixed(3)}`);
    }
    // "no 4-frame advantage, the ranges overlap"
    expect(summary[4][2]).toBeGreaterThanOrEqual(summary[1][1]);
    expect(summary[4][0]).toBeLessThanOrEqual(summary[1][0]);
    expect(nb.markdown).toMatch(/show no 4-frame advantage/);
  });
});
