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
    expect(figs).toHaveLength(4);
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
  describe('the fast ball: 4 frames against 1', () => {
    /** The markdown with every run of white space as one space (prose is wrapped at 100 columns). */
    const prose = () => nb.markdown.replace(/\s+/g, ' ');
    // The 7x7 board with ballSpeed 3, simulated here from the rules, independently of lib/rl.
    const n = 7;
    const speed = 3;
    const half = 1; // paddle of 3
    const starts: [number, number, number][] = [];
    for (let c = 0; c < n; c++) for (let p = half; p <= n - 1 - half; p++) for (const d of [-speed, 0, speed]) starts.push([c, p, d]);
    /** The ball's column in rows 0 .. n - 1 from column c0 with step dx (a step that would leave is reversed). */
    const path = (c0: number, dx: number) => {
      const cols = [c0];
      let [c, d] = [c0, dx];
      for (let t = 0; t < n - 1; t++) {
        if (c + d < 0 || c + d > n - 1) d = -d;
        c += d;
        cols.push(c);
      }
      return cols;
    };
    /** Catches over all 105 starts of a policy (row, ball column, paddle, dx) -> -1 | 0 | +1. */
    const catches = (policy: (row: number, col: number, paddle: number, dx: number, cols: number[]) => number) => {
      let k = 0;
      for (const [c0, p0, dx0] of starts) {
        const cols = path(c0, dx0);
        let p = p0;
        for (let t = 0; t < n - 1; t++) p = Math.min(n - 1 - half, Math.max(half, p + policy(t, cols[t], p, dx0, cols)));
        if (Math.abs(cols[n - 1] - p) <= half) k++;
      }
      return k;
    };
    const rate = (k: number) => k / starts.length;
    const runs = (who: string, k: number) =>
      [...nb.stdout.matchAll(new RegExp(`  ${who} k = ${k}, seed (\\d): (\\d+) steps, (\\d+) updates, exact greedy catch rate ([\\d.]+), first >= 0\\.9 after (never|(\\d+) steps)`, 'g'))].map((m) => ({
        seed: Number(m[1]),
        steps: Number(m[2]),
        updates: Number(m[3]),
        rate: Number(m[4]),
        reached: m[6] === undefined ? Infinity : Number(m[6]),
      }));
    const summary = (who: string, k: number) => {
      const m = nb.stdout.match(new RegExp(`${who}, k = ${k} frame\\(s\\): catch rate median ([\\d.]+), min ([\\d.]+), max ([\\d.]+) over seeds 1, 2, 3`))!;
      return { median: Number(m[1]), min: Number(m[2]), max: Number(m[3]) };
    };

    it('counts the frames that leave the landing column open, row by row', () => {
      const landings = new Map<string, Set<number>>();
      for (let c0 = 0; c0 < n; c0++) {
        for (const d of [-speed, 0, speed]) {
          const cols = path(c0, d);
          for (let t = 0; t < n - 1; t++) landings.set(`${t},${cols[t]}`, (landings.get(`${t},${cols[t]}`) ?? new Set()).add(cols[n - 1]));
        }
      }
      const allOpen: number[] = [];
      for (let row = 0; row < n - 1; row++) {
        const frames = [...landings].filter(([f]) => f.startsWith(`${row},`));
        const open = frames.filter(([, ls]) => Math.max(...ls) - Math.min(...ls) > 2).length;
        expect(nb.stdout).toContain(`ball in row ${row}: ${open} of ${frames.length} frames leave the landing open`);
        if (open === frames.length) allOpen.push(row);
        if (row === 2) expect(open).toBe(0);
      }
      expect(allOpen).toEqual([1, 3, 5]);
      // "the bounces bring each ball back to the column it will land in" by row 2
      for (let c0 = 0; c0 < n; c0++) for (const d of [-speed, 0, speed]) expect(path(c0, d)[2]).toBe(path(c0, d)[n - 1]);
      expect(prose()).toContain('In rows 1, 3 and 5 every frame leaves the landing column open; in row 2 none does');
    });

    it('prints the baselines computed here: random, follow the column, the oracle and the 1-frame table', () => {
      // random: the lazy walk keeps the paddle uniform over its 5 positions, independent of the ball
      let pr = 0;
      for (let c0 = 0; c0 < n; c0++) {
        for (const d of [-speed, 0, speed]) {
          const land = path(c0, d)[n - 1];
          for (let p = half; p <= n - 1 - half; p++) if (Math.abs(land - p) <= half) pr += 1 / (n * 3 * 5);
        }
      }
      const rnd = nb.number('fast ball, random policy: catch rate');
      expect(Math.abs(rnd - pr)).toBeLessThan(4 * Math.sqrt((pr * (1 - pr)) / 1000));
      const follow = rate(catches((_, col, p) => Math.sign(col - p)));
      expect(nb.number("fast ball, follow the ball's column: catch rate")).toBeCloseTo(follow, 3);
      expect(follow).toBeCloseTo(65 / 105, 10);
      expect(prose()).toContain("Chasing the ball's current column now misses 40 of the 105 starts");
      const oracle = rate(catches((t, _, p, __, cols) => Math.sign(cols[n - 1] - p)));
      expect(oracle).toBe(1);
      expect(nb.number('fast ball, oracle that knows dx: catch rate')).toBe(1);
      expect(rnd).toBeLessThan(follow);
      // the table, read from the notebook's source and played by the simulation above
      const code = nb.cells.filter((c) => c.cell_type === 'code').map((c) => (Array.isArray(c.source) ? c.source.join('') : c.source)).join('\n');
      const block = code.match(/const oneFrameTable = \[([\s\S]*?)\]/)![1];
      const table = [...block.matchAll(/"([LsR ]+)"/g)].map((m) => m[1].split(' '));
      expect(table).toHaveLength(n - 1);
      for (const row of table) expect(row.map((g) => g.length)).toEqual(new Array(n).fill(5));
      const caught = catches((t, col, p) => 'LsR'.indexOf(table[t][col][p - 1]) - 1);
      expect(caught).toBe(104);
      expect(nb.stdout).toContain(`fast ball, the 1-frame table: ${caught} of 105 starts caught, catch rate ${rate(caught).toFixed(3)}`);
      expect(prose()).toContain('still catches 104 of the 105 starts');
      expect(prose()).toContain('a 1-frame table policy catches 104 of the 105 starts');
    });

    it('trains the DQN over 3 seeds per stack depth: 4 frames beat 1 in every seed', () => {
      const steps = 250 * (n - 1);
      // one update every 3 steps once the buffer holds 200 transitions: steps 201, 204, ..., 1500
      const updates = Math.floor(steps / 3) - Math.floor(199 / 3);
      expect(updates).toBe(434);
      expect(prose()).toContain(`(${updates} updates of 192 samples from 1,500 steps)`);
      const s: Record<number, ReturnType<typeof summary>> = {};
      for (const k of [1, 4]) {
        const r = runs('DQN', k);
        expect(r.map((x) => x.seed)).toEqual([1, 2, 3]);
        for (const x of r) {
          expect([x.steps, x.updates]).toEqual([steps, updates]);
          expect(Math.abs(x.rate * 105 - Math.round(x.rate * 105))).toBeLessThan(0.06); // a count out of 105
        }
        const v = r.map((x) => x.rate).sort((a, b) => a - b);
        s[k] = summary('DQN', k);
        expect([s[k].median, s[k].min, s[k].max]).toEqual([v[1], v[0], v[2]]);
      }
      expect(s[4].min).toBeGreaterThan(s[1].max);
      expect(s[1].max).toBeLessThan(0.95); // no 1-frame run near the table's 104/105
    });

    it('trains the actor-critic over 3 seeds per stack depth: 4 frames beat 1 in every seed', () => {
      const steps = 150 * 16 * (n - 1);
      expect(prose()).toContain('(150 updates of 96 samples from 14,400 steps)');
      const s: Record<number, ReturnType<typeof summary>> = {};
      for (const k of [1, 4]) {
        const r = runs('actor-critic', k);
        expect(r.map((x) => x.seed)).toEqual([1, 2, 3]);
        for (const x of r) expect([x.steps, x.updates]).toEqual([steps, 150]);
        const v = r.map((x) => x.rate).sort((a, b) => a - b);
        s[k] = summary('actor-critic', k);
        expect([s[k].median, s[k].min, s[k].max]).toEqual([v[1], v[0], v[2]]);
      }
      expect(s[4].min).toBeGreaterThan(s[1].max);
      expect(s[1].max).toBeLessThan(0.95);
      expect(prose()).toContain('With four frames both learners beat their one-frame versions in every seed');
    });

    it('measures sample efficiency: the actor-critic needs at least twice the steps of the slowest DQN', () => {
      const dqn = runs('DQN', 4).map((x) => x.reached);
      const ac = runs('actor-critic', 4).map((x) => x.reached);
      const show = (xs: number[]) => xs.map((x) => (x === Infinity ? 'never' : String(x))).join(', ');
      expect(nb.stdout).toContain(`k = 4: DQN ${show(dqn)}; actor-critic ${show(ac)} (seeds 1, 2, 3)`);
      expect(dqn.every(Number.isFinite)).toBe(true);
      // evaluations every 25 episodes of 6 steps (DQN) and every 10 updates of 96 steps (actor-critic)
      for (const x of dqn) expect(x % (25 * 6)).toBe(0);
      for (const x of ac.filter(Number.isFinite)) expect(x % (10 * 96)).toBe(0);
      expect(Math.min(...ac)).toBeGreaterThanOrEqual(2 * Math.max(...dqn));
      expect(prose()).toContain('every actor-critic run needed at least twice as many environment steps as the slowest DQN run');
    });

    it('shows one training-curve figure per learner, six runs each', () => {
      const figs = nb.displays.filter((d) => 'application/vnd.vegalite.v5+json' in d).slice(2);
      expect(figs).toHaveLength(2);
      figs.forEach((f, i) => {
        const text = JSON.stringify(f['application/vnd.vegalite.v5+json']);
        expect(text).toContain(i === 0 ? 'DQN on the fast ball' : 'actor-critic on the fast ball');
        for (const k of [1, 4]) for (const seed of [1, 2, 3]) expect(text).toContain(`k = ${k}, seed ${seed}`);
      });
    });
  });
});
