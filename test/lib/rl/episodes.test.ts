import { describe, expect, it } from 'vitest';
import { CatchEnv } from '../../../lib/rl/catch-env';
import { playEpisodes, playEveryStart } from '../../../lib/rl/episodes';

/** A generator that hands out the given numbers in order, then repeats the last one. */
const fixed = (...us: number[]) => {
  let i = 0;
  return () => us[Math.min(i++, us.length - 1)];
};

describe('playEpisodes', () => {
  it('returns one +-1 total per episode and hands stacked frames to the policy', () => {
    const env = new CatchEnv({ size: 5, seed: 8 });
    const sizes = new Set<number>();
    const returns = playEpisodes(env, (obs) => (sizes.add(obs.length), 1), 7, { frames: 3 });
    expect(returns).toHaveLength(7);
    expect(returns.every((r) => r === 1 || r === -1)).toBe(true);
    expect([...sizes]).toEqual([5 * 5 * 3]);
  });

  it('a policy that follows the ball always catches it', () => {
    const env = new CatchEnv({ size: 10, seed: 5 });
    const follow = () => (env.ballCol < env.paddleCenter ? 0 : env.ballCol > env.paddleCenter ? 2 : 1);
    expect(playEpisodes(env, follow, 50)).toEqual(new Array(50).fill(1));
  });

  it('rejects bad arguments', () => {
    const env = new CatchEnv();
    expect(() => playEpisodes(env, () => 1, 0)).toThrow('playEpisodes: episodes must be a positive integer, got 0');
    expect(() => playEpisodes(env, () => 5, 1)).toThrow('playEpisodes: policy must return an action 0 (left), 1 (stay) or 2 (right), got 5');
    expect(() => playEpisodes({} as never, () => 1, 1)).toThrow('playEpisodes: env must be a CatchEnv, got {}');
    expect(() => playEpisodes(env, 1 as never, 1)).toThrow('playEpisodes: policy must be a function (observation) => action, got 1');
    expect(() => playEpisodes(env, () => 1, 1, { frames: 0 })).toThrow('playEpisodes: opts.frames must be a positive integer, got 0');
  });

  it('sums the rewards of each episode, computed by hand', () => {
    // size 5, paddle 3: ball floor(u * 5), paddle centre 1 + floor(u * 3); u = 0.99 -> 4 (ball) or 3 (paddle),
    // u = 0.1 -> paddle 1. Always stay: episode 1 (4, 1) misses, |4 - 1| = 3 > 1; episode 2 (4, 3) catches
    expect(playEpisodes(new CatchEnv({ size: 5, rng: fixed(0.99, 0.1, 0.99) }), () => 1, 2)).toEqual([-1, 1]);
    // always right from paddle 1: 2, 3, 3, 3 (the wall) -> |4 - 3| = 1, +1 every episode
    expect(playEpisodes(new CatchEnv({ size: 5, rng: fixed(0.99, 0.1, 0.99, 0.1) }), () => 2, 2)).toEqual([1, 1]);
  });

  it('with frames 2 hands the policy [previous, current] frames, starting with two copies of the first', () => {
    // size 3, ball floor(0.5 * 3) = 1, paddle 1: frame 0 ball at (0, 1), frame 1 ball at (1, 1); stack [3, 3, 2]
    const env = new CatchEnv({ size: 3, rng: fixed(0.5, 0.5) });
    const seen: number[][] = [];
    playEpisodes(env, (obs) => (seen.push(Array.from(obs)), 1), 1, { frames: 2 });
    expect(seen).toHaveLength(2); // N - 1 = 2 steps
    const channel = (obs: number[], i: number) => obs.filter((_, p) => p % 2 === i);
    const f0 = [0, 1, 0, 0, 0, 0, 1, 1, 1];
    const f1 = [0, 0, 0, 0, 1, 0, 1, 1, 1];
    expect([channel(seen[0], 0), channel(seen[0], 1)]).toEqual([f0, f0]);
    expect([channel(seen[1], 0), channel(seen[1], 1)]).toEqual([f0, f1]);
  });
});

describe('playEveryStart', () => {
  const stay = (obs: Float32Array[]) => obs.map(() => 1);

  it('plays each ball column x paddle position once: staying catches 9 of 15 on a 5x5 board (by hand)', () => {
    // paddle centre 1 covers balls 0..2, centre 2 covers 1..3, centre 3 covers 2..4: 3 of 5 balls each
    const returns = playEveryStart(new CatchEnv({ size: 5 }), stay);
    expect(returns).toHaveLength(5 * 3);
    expect(returns.filter((r) => r === 1)).toHaveLength(9);
    // nesting order: ball column outermost, then the paddle
    expect(returns.slice(0, 3)).toEqual([1, -1, -1]); // ball 0 under paddle 1 only
  });

  it('covers every (ball column, paddle, dx) of a sideways board exactly once and stacks frames', () => {
    const env = new CatchEnv({ size: 7, sideways: true, ballSpeed: 2 });
    const seen = new Set<string>();
    const sizes = new Set<number>();
    let calls = 0;
    const returns = playEveryStart(
      env,
      (obs, envs) => {
        if (calls++ === 0) envs.forEach((e) => seen.add(`${e.ballCol},${e.paddleCenter},${e.ballDx}`));
        obs.forEach((o) => sizes.add(o.length));
        return obs.map(() => 1);
      },
      { frames: 3 },
    );
    expect(returns).toHaveLength(7 * 5 * 3);
    expect(seen.size).toBe(7 * 5 * 3);
    expect([...seen].every((k) => ['-2', '0', '2'].includes(k.split(',')[2]))).toBe(true);
    expect(calls).toBe(6); // size - 1 steps
    expect([...sizes]).toEqual([7 * 7 * 3]);
    expect(env.done).toBe(true); // the template env was never reset
  });

  it('a policy that reads the boards can follow the ball and catch every straight ball', () => {
    const follow = (_: Float32Array[], envs: readonly CatchEnv[]) => envs.map((e) => 1 + Math.sign(e.ballCol - e.paddleCenter));
    expect(playEveryStart(new CatchEnv({ size: 9, paddleWidth: 1 }), follow).every((r) => r === 1)).toBe(true);
  });

  it('rejects bad arguments', () => {
    const env = new CatchEnv({ size: 5 });
    expect(() => playEveryStart({} as never, stay)).toThrow('playEveryStart: env must be a CatchEnv, got {}');
    expect(() => playEveryStart(env, 1 as never)).toThrow('playEveryStart: policy must be a function (observations, envs) => actions, got 1');
    expect(() => playEveryStart(env, () => [1])).toThrow('playEveryStart: policy must return an array of 15 actions (one per board), got [1]');
    expect(() => playEveryStart(env, (o) => o.map((_, i) => (i === 4 ? 3 : 1)))).toThrow(
      'playEveryStart: policy must return actions 0 (left), 1 (stay) or 2 (right) (index 4), got 3',
    );
    expect(() => playEveryStart(new CatchEnv({ size: 400, sideways: true }), stay)).toThrow(/^playEveryStart: env must have at most 100000 starts/);
    expect(() => playEveryStart(env, stay, { frames: 0 })).toThrow('playEveryStart: opts.frames must be a positive integer, got 0');
  });
});
