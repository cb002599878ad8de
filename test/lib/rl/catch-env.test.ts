import { describe, expect, it } from 'vitest';
import { playEpisodes } from '../../../lib/rl/episodes';
import { CATCH_ACTIONS, CatchEnv } from '../../../lib/rl/catch-env';
import { seededRandom } from '../../../lib/random/generator';

/** A generator that hands out the given numbers in order, then repeats the last one. */
const fixed = (...us: number[]) => {
  let i = 0;
  return () => us[Math.min(i++, us.length - 1)];
};

/**
 * Exact probability that uniformly random actions catch the ball: the paddle centre does a lazy random
 * walk (left / stay / right with probability 1/3, stopped at the walls) for N - 1 steps from a uniform
 * start, independent of the ball's uniform column.
 */
function randomCatchProbability(n: number, w: number): number {
  const half = (w - 1) / 2;
  const lo = half;
  const hi = n - 1 - half;
  const positions = hi - lo + 1;
  let p = new Array(n).fill(0);
  for (let c = lo; c <= hi; c++) p[c] = 1 / positions;
  for (let t = 0; t < n - 1; t++) {
    const q = new Array(n).fill(0);
    for (let c = lo; c <= hi; c++) for (const d of [-1, 0, 1]) q[Math.min(hi, Math.max(lo, c + d))] += p[c] / 3;
    p = q;
  }
  let catchP = 0;
  for (let ball = 0; ball < n; ball++) for (let c = lo; c <= hi; c++) if (Math.abs(ball - c) <= half) catchP += p[c] / n;
  return catchP;
}

describe('CatchEnv rules', () => {
  it('has three actions and the defaults 10x10, paddle 3', () => {
    const env = new CatchEnv();
    expect(CATCH_ACTIONS).toEqual(['left', 'stay', 'right']);
    expect([env.size, env.paddleWidth, env.numActions]).toEqual([10, 3, 3]);
    expect(env.done).toBe(true); // nothing started yet
  });

  it('places ball and paddle from the generator and draws them in the frame', () => {
    // size 5, paddle 3: ball column floor(0.5 * 5) = 2, paddle centre 1 + floor(0.1 * 3) = 1
    const env = new CatchEnv({ size: 5, rng: fixed(0.5, 0.1) });
    const frame = env.reset();
    expect([env.ballRow, env.ballCol, env.paddleCenter]).toEqual([0, 2, 1]);
    const expected = new Float32Array(25);
    expected[2] = 1; // row 0, column 2
    expected[20] = expected[21] = expected[22] = 1; // bottom row, columns 0..2
    expect(Array.from(frame)).toEqual(Array.from(expected));
    expect(env.toText()).toBe(['..o..', '.....', '.....', '.....', '===..'].join('\n'));
  });

  it('catches when the paddle stays under the ball: rewards 0, 0, 0, +1 over N - 1 = 4 steps', () => {
    const env = new CatchEnv({ size: 5, rng: fixed(0.5, 0.5) }); // ball 2, paddle 1 + 1 = 2
    env.reset();
    const steps = [1, 1, 1, 1].map((a) => env.step(a));
    expect(steps.map((s) => s.reward)).toEqual([0, 0, 0, 1]);
    expect(steps.map((s) => s.done)).toEqual([false, false, false, true]);
    expect(env.steps).toBe(4);
    expect(env.toText().split('\n')[4]).toBe('.=@=.');
  });

  it('misses when the paddle is two columns away, and catches after moving (stopping at the wall)', () => {
    const miss = new CatchEnv({ size: 5, rng: fixed(0, 0.99) }); // ball 0, paddle 3
    miss.reset();
    expect([miss.ballCol, miss.paddleCenter]).toEqual([0, 3]);
    const r = [1, 1, 1, 1].map((a) => miss.step(a).reward);
    expect(r).toEqual([0, 0, 0, -1]);

    const move = new CatchEnv({ size: 5, rng: fixed(0, 0.99) });
    move.reset();
    const centres = [0, 0, 0, 0].map((a) => (move.step(a), move.paddleCenter));
    expect(centres).toEqual([2, 1, 1, 1]); // the wall stops a 3-wide paddle at centre 1
    expect(move.done).toBe(true);
    expect(move.toText().split('\n')[4]).toBe('@==..');
  });

  it('treats the paddle edge as a catch and one pixel beyond it as a miss', () => {
    // size 7: ball floor(0.5 * 7) = 3; paddle 1 + floor(u * 5)
    const edge = new CatchEnv({ size: 7, rng: fixed(0.5, 0.4) }); // paddle 1 + 2 = 3 -> then moved to 4
    edge.reset();
    edge.step(2);
    for (let i = 0; i < 4; i++) edge.step(1);
    expect(edge.paddleCenter).toBe(4);
    expect(edge.step(1).reward).toBe(1); // |3 - 4| = 1 <= half width
    const beyond = new CatchEnv({ size: 7, rng: fixed(0.5, 0.99) }); // paddle 5
    beyond.reset();
    let last = 0;
    while (!beyond.done) last = beyond.step(1).reward;
    expect(last).toBe(-1); // |3 - 5| = 2
  });

  it('lasts exactly N - 1 steps whatever the actions', () => {
    for (const size of [3, 6, 10, 13]) {
      const env = new CatchEnv({ size, seed: size });
      const rand = seededRandom(size);
      for (let e = 0; e < 5; e++) {
        env.reset();
        let n = 0;
        while (!env.done) {
          env.step(Math.floor(rand() * 3));
          n++;
        }
        expect(n).toBe(size - 1);
        expect(env.ballRow).toBe(size - 1);
      }
    }
  });

  it('keeps one ball pixel and a paddle of paddleWidth pixels on the bottom row', () => {
    const env = new CatchEnv({ size: 8, paddleWidth: 5, seed: 3 });
    const rand = seededRandom(9);
    let frame = env.reset();
    for (let t = 0; t < 7; t++) {
      const bottom = Array.from(frame.subarray(56, 64));
      const ballOnBottom = env.ballRow === 7;
      expect(bottom.reduce((a, b) => a + b, 0)).toBe(ballOnBottom && Math.abs(env.ballCol - env.paddleCenter) <= 2 ? 5 : ballOnBottom ? 6 : 5);
      expect(frame[env.ballRow * 8 + env.ballCol]).toBe(1);
      if (!env.done) frame = env.step(Math.floor(rand() * 3)).observation;
    }
  });

  it('is deterministic for a seed and differs between seeds', () => {
    const run = (seed: number) => {
      const env = new CatchEnv({ seed });
      const frames: number[] = [];
      for (let e = 0; e < 6; e++) {
        env.reset();
        frames.push(env.ballCol, env.paddleCenter);
        while (!env.done) frames.push(...env.step((e + env.steps) % 3).observation);
      }
      return frames;
    };
    expect(run(4)).toEqual(run(4));
    expect(run(4)).not.toEqual(run(5));
  });

  it('a uniformly random policy catches with the probability of the exact Markov-chain computation', () => {
    const n = 10;
    const env = new CatchEnv({ size: n, seed: 11 });
    const rand = seededRandom(12);
    const episodes = 6000;
    const returns = playEpisodes(env, () => Math.floor(rand() * 3), episodes);
    const catchRate = returns.filter((r) => r === 1).length / episodes;
    const p = randomCatchProbability(n, 3);
    expect(p).toBeCloseTo(0.3, 1); // about paddle width / grid width
    expect(Math.abs(catchRate - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / episodes));
    expect(returns.every((r) => r === 1 || r === -1)).toBe(true);
  });

  it('rejects bad options and bad steps with one-line messages', () => {
    expect(() => new CatchEnv({ size: 2 })).toThrow('CatchEnv: opts.size must be >= 3, got 2');
    expect(() => new CatchEnv({ size: 4.5 })).toThrow('CatchEnv: opts.size must be a positive integer, got 4.5');
    expect(() => new CatchEnv({ paddleWidth: 2 })).toThrow('CatchEnv: opts.paddleWidth must be odd and at most size 10, got 2');
    expect(() => new CatchEnv({ size: 5, paddleWidth: 7 })).toThrow('CatchEnv: opts.paddleWidth must be odd and at most size 5, got 7');
    expect(() => new CatchEnv({ seed: 1, rng: Math.random })).toThrow('CatchEnv: opts must give seed or rng, not both, got "both"');
    expect(() => new CatchEnv({ seed: -1 })).toThrow('CatchEnv: opts.seed must be a non-negative integer, got -1');
    expect(() => new CatchEnv({ rng: () => 1 }).reset()).toThrow('CatchEnv.reset: opts.rng must return numbers in [0, 1), got 1');
    const env = new CatchEnv({ size: 3 });
    expect(() => env.step(1)).toThrow('CatchEnv.step: episode must be running (call reset() first), got "not started"');
    env.reset();
    expect(() => env.step(3)).toThrow('CatchEnv.step: action must be 0 (left), 1 (stay) or 2 (right), got 3');
    expect(() => env.step(0.5)).toThrow('CatchEnv.step: action must be 0 (left), 1 (stay) or 2 (right), got 0.5');
    env.step(1);
    env.step(1);
    expect(() => env.step(1)).toThrow('CatchEnv.step: episode must be running (call reset() first), got "over"');
  });

  it('rejects an options value that is not an object and an rng that is not a function', () => {
    expect(() => new CatchEnv(null as never)).toThrow('CatchEnv: opts must be an object, got null');
    expect(() => new CatchEnv({ rng: 0.5 as never })).toThrow('CatchEnv: opts.rng must be a function returning numbers in [0, 1), got 0.5');
  });

  it('draws the ball column first and the paddle start second from seededRandom(seed)', () => {
    // size 10, paddle 3: ball floor(u0 * 10), paddle centre 1 + floor(u1 * 8); the next reset draws u2, u3
    const u = seededRandom(0);
    const [u0, u1, u2, u3] = [u(), u(), u(), u()];
    const env = new CatchEnv(); // seed 0
    env.reset();
    expect([env.ballCol, env.paddleCenter]).toEqual([Math.floor(u0 * 10), 1 + Math.floor(u1 * 8)]);
    while (!env.done) env.step(1); // steps draw nothing
    env.reset();
    expect([env.ballCol, env.paddleCenter]).toEqual([Math.floor(u2 * 10), 1 + Math.floor(u3 * 8)]);
  });
  it('moves a sideways ball one column per step and bounces it off the right wall (hand-traced)', () => {
    // size 5, paddle 3: ball floor(0.9 * 5) = 4, paddle 1 + floor(0 * 3) = 1, dx floor(0.9 * 3) - 1 = +1
    const env = new CatchEnv({ size: 5, sideways: true, rng: fixed(0.9, 0, 0.9) });
    env.reset();
    expect([env.ballRow, env.ballCol, env.ballDx, env.paddleCenter]).toEqual([0, 4, 1, 1]);
    const trace: number[][] = [];
    const rewards: number[] = [];
    while (!env.done) {
      rewards.push(env.step(1).reward); // stay
      trace.push([env.ballRow, env.ballCol, env.ballDx]);
    }
    // column 4 + 1 = 5 leaves the grid, so dx turns to -1 first: 3, 2, 1, 0
    expect(trace).toEqual([[1, 3, -1], [2, 2, -1], [3, 1, -1], [4, 0, -1]]);
    expect(rewards).toEqual([0, 0, 0, 1]); // paddle centre 1 covers columns 0..2
    expect(env.toText().split('\n')[4]).toBe('@==..');
  });

  it('bounces a sideways ball off the left wall, and a dx of 0 falls straight down and can miss', () => {
    // ball floor(0.3 * 5) = 1, paddle 1 + floor(0.9 * 3) = 3, dx floor(0 * 3) - 1 = -1
    const left = new CatchEnv({ size: 5, sideways: true, rng: fixed(0.3, 0.9, 0) });
    left.reset();
    const cols: number[] = [];
    let last = 0;
    while (!left.done) {
      last = left.step(1).reward;
      cols.push(left.ballCol);
    }
    expect(cols).toEqual([0, 1, 2, 3]); // 1 -> 0, then 0 - 1 < 0 reverses dx: 1, 2, 3
    expect(last).toBe(1); // paddle centre 3 covers 2..4
    // ball 0, paddle 3, dx floor(0.5 * 3) - 1 = 0
    const straight = new CatchEnv({ size: 5, sideways: true, rng: fixed(0, 0.9, 0.5) });
    straight.reset();
    const rewards: number[] = [];
    while (!straight.done) {
      rewards.push(straight.step(1).reward);
      expect(straight.ballCol).toBe(0);
    }
    expect(rewards).toEqual([0, 0, 0, -1]); // column 0 is two columns from the paddle edge 2
  });

  it('moves a ball of ballSpeed 2 two columns per step, bouncing at both walls (hand-traced)', () => {
    // size 8, paddle 3: ball floor(0.9 * 8) = 7, paddle 1 + floor(0 * 6) = 1, dx (floor(0.9 * 3) - 1) * 2 = +2
    const env = new CatchEnv({ size: 8, sideways: true, ballSpeed: 2, rng: fixed(0.9, 0, 0.9) });
    env.reset();
    expect([env.ballCol, env.ballDx, env.paddleCenter, env.ballSpeed]).toEqual([7, 2, 1, 2]);
    const cols: number[] = [];
    let last = 0;
    while (!env.done) {
      last = env.step(1).reward;
      cols.push(env.ballCol);
    }
    // 7 + 2 leaves the grid: dx -2 (5, 3, 1); 1 - 2 < 0: dx +2 (3, 5, 7); 7 + 2 again: dx -2 (5)
    expect(cols).toEqual([5, 3, 1, 3, 5, 7, 5]);
    expect(last).toBe(-1); // the paddle stayed on columns 0..2
    expect(new CatchEnv({ size: 8, sideways: true }).ballSpeed).toBe(1);
  });

  it('rejects a ballSpeed that could leave the grid or comes without sideways', () => {
    expect(() => new CatchEnv({ size: 8, sideways: true, ballSpeed: 4 })).toThrow(
      'CatchEnv: opts.ballSpeed must be at most floor((size - 1) / 2) = 3, got 4',
    );
    expect(() => new CatchEnv({ size: 8, ballSpeed: 2 })).toThrow('CatchEnv: opts.ballSpeed needs opts.sideways: true, got 2');
    expect(() => new CatchEnv({ sideways: true, ballSpeed: 0 })).toThrow('CatchEnv: opts.ballSpeed must be a positive integer, got 0');
  });

  it('draws dx -1, 0, +1 about equally often, keeps one ball pixel, and leaves the default straight', () => {
    const env = new CatchEnv({ size: 8, sideways: true, seed: 3 });
    const counts = new Map<number, number>([[-1, 0], [0, 0], [1, 0]]);
    const runs = 3000;
    for (let e = 0; e < runs; e++) {
      env.reset();
      counts.set(env.ballDx, counts.get(env.ballDx)! + 1);
      let prev = env.ballCol;
      while (!env.done) {
        const obs = env.step(e % 3).observation;
        expect(Math.abs(env.ballCol - prev)).toBe(Math.abs(env.ballDx));
        expect(env.ballCol).toBeGreaterThanOrEqual(0);
        expect(env.ballCol).toBeLessThan(8);
        expect(obs.slice(0, 7 * 8).reduce((p, q) => p + q, 0)).toBe(env.ballRow < 7 ? 1 : 0);
        prev = env.ballCol;
      }
      expect(env.steps).toBe(7);
    }
    const sd = Math.sqrt(runs * (1 / 3) * (2 / 3));
    for (const c of counts.values()) expect(Math.abs(c - runs / 3)).toBeLessThan(4 * sd);
    const plain = new CatchEnv({ size: 8, seed: 3 });
    expect(plain.sideways).toBe(false);
    plain.reset();
    expect(plain.ballDx).toBe(0);
    expect(() => new CatchEnv({ sideways: 'yes' as never })).toThrow(/^CatchEnv: opts\.sideways must be/);
  });
});
