import { describe, expect, it } from 'vitest';
import { CatchEnv } from '../../../lib/rl/catch-env';
import { playEpisodes } from '../../../lib/rl/episodes';

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
