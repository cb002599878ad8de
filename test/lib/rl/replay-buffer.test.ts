import { describe, expect, it } from 'vitest';
import { ReplayBuffer } from '../../../lib/rl/replay-buffer';

/** A generator that hands out the given numbers in order, then repeats the last one. */
const fixed = (...us: number[]) => {
  let i = 0;
  return () => us[Math.min(i++, us.length - 1)];
};

describe('ReplayBuffer', () => {
  const transition = (v: number, size = 2) => ({ state: new Array(size).fill(v), action: v % 3, reward: v, nextState: new Array(size).fill(v + 0.5), done: v % 2 === 0 });

  it('keeps the last capacity transitions and samples only stored ones, consistently', () => {
    const buffer = new ReplayBuffer(4, 2, { seed: 3 });
    for (let v = 0; v < 7; v++) buffer.add(transition(v));
    expect(buffer.size).toBe(4);
    const batch = buffer.sample(200);
    expect(batch.states.length).toBe(400);
    const seen = new Set<number>();
    for (let b = 0; b < 200; b++) {
      const v = batch.rewards[b];
      seen.add(v);
      expect([batch.states[2 * b], batch.states[2 * b + 1]]).toEqual([v, v]);
      expect(batch.nextStates[2 * b]).toBe(v + 0.5);
      expect(batch.actions[b]).toBe(v % 3);
      expect(batch.dones[b]).toBe(v % 2 === 0 ? 1 : 0);
    }
    expect([...seen].sort()).toEqual([3, 4, 5, 6]); // 0..2 were overwritten; 200 draws reach all four
  });

  it('samples the same batches for the same seed', () => {
    const fill = (seed: number) => {
      const buffer = new ReplayBuffer(10, 1, { seed });
      for (let v = 0; v < 10; v++) buffer.add(transition(v, 1));
      return Array.from(buffer.sample(20).rewards);
    };
    expect(fill(1)).toEqual(fill(1));
    expect(fill(1)).not.toEqual(fill(2));
  });

  it('rejects bad sizes, bad transitions and sampling when empty', () => {
    expect(() => new ReplayBuffer(0, 2)).toThrow('ReplayBuffer: capacity must be a positive integer, got 0');
    const buffer = new ReplayBuffer(3, 2);
    expect(() => buffer.sample(1)).toThrow('ReplayBuffer.sample: buffer must hold at least one transition, got 0');
    expect(() => buffer.add({ ...transition(1), state: [1] })).toThrow('ReplayBuffer.add: state must have 2 values, got 1');
    expect(() => buffer.add({ ...transition(1), reward: NaN })).toThrow('ReplayBuffer.add: reward must be a finite number, got NaN');
    expect(() => buffer.add({ ...transition(1), action: -1 })).toThrow('ReplayBuffer.add: action must be a non-negative integer, got -1');
    expect(() => buffer.add({ ...transition(1), nextState: [1, 2, 3] })).toThrow('ReplayBuffer.add: nextState must have 2 values, got 3');
    expect(() => new ReplayBuffer(3, 2, { seed: 1, rng: Math.random })).toThrow('ReplayBuffer: opts must give seed or rng, not both, got "both"');
  });

  it('overwrites the oldest transition at capacity and samples slot floor(u * size)', () => {
    // capacity 2: add 0, 1 fills slots 0, 1; add 2 overwrites slot 0 (the oldest, 0) -> slots [2, 1]
    const buffer = new ReplayBuffer(2, 2, { rng: fixed(0, 0.5, 0.99) });
    for (let v = 0; v < 3; v++) buffer.add(transition(v));
    expect(buffer.size).toBe(2);
    // u = 0 -> slot 0 (2); u = 0.5 -> slot 1 (1); u = 0.99 -> slot 1 (1)
    const batch = buffer.sample(3);
    expect(Array.from(batch.rewards)).toEqual([2, 1, 1]);
    expect(Array.from(batch.states)).toEqual([2, 2, 1, 1, 1, 1]);
    expect(Array.from(batch.nextStates)).toEqual([2.5, 2.5, 1.5, 1.5, 1.5, 1.5]);
    expect(Array.from(batch.actions)).toEqual([2, 1, 1]);
    expect(Array.from(batch.dones)).toEqual([1, 0, 0]);
  });
});
