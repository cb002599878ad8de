import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { CATCH_ACTIONS, CatchEnv, FrameStack, playEpisodes, preprocessFrame, ReplayBuffer, stackFrames } from '../../../lib/data/catch';
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
    expect(() => new CatchEnv({ rng: () => 1 }).reset()).toThrow('CatchEnv: opts.rng must return numbers in [0, 1), got 1');
    const env = new CatchEnv({ size: 3 });
    expect(() => env.step(1)).toThrow('CatchEnv.step: episode must be running (call reset() first), got "not started"');
    env.reset();
    expect(() => env.step(3)).toThrow('CatchEnv.step: action must be 0 (left), 1 (stay) or 2 (right), got 3');
    expect(() => env.step(0.5)).toThrow('CatchEnv.step: action must be 0 (left), 1 (stay) or 2 (right), got 0.5');
    env.step(1);
    env.step(1);
    expect(() => env.step(1)).toThrow('CatchEnv.step: episode must be running (call reset() first), got "over"');
  });
});

describe('stackFrames and FrameStack', () => {
  it('interleaves frames into channels by hand', () => {
    // two 1x2 frames a, b -> [1, 2, 2]: pixel 0 (a0, b0), pixel 1 (a1, b1)
    expect(Array.from(stackFrames([[1, 2], [3, 4]], 1, 2))).toEqual([1, 3, 2, 4]);
  });

  it('keeps the last k frames, newest in the last channel, and starts with k copies', () => {
    const stack = new FrameStack(3, 2, 2);
    expect(stack.shape).toEqual([2, 2, 3]);
    const f = (v: number) => [v, v, v, v];
    let s = stack.reset(f(1));
    expect(s.length).toBe(12);
    expect(Array.from(s.subarray(0, 3))).toEqual([1, 1, 1]);
    s = stack.push(f(2));
    expect(Array.from(s.subarray(0, 3))).toEqual([1, 1, 2]);
    stack.push(f(3));
    s = stack.push(f(4));
    expect(Array.from(s.subarray(9, 12))).toEqual([2, 3, 4]);
    // the stack copies its frames: changing the caller's array later changes nothing
    const frame = new Float32Array(f(5));
    stack.push(frame);
    frame[0] = 99;
    expect(stack.stacked()[2]).toBe(5);
  });

  it('stacks catch frames into the [N, N, k] input of a DQN', () => {
    const env = new CatchEnv({ size: 6, seed: 2 });
    const stack = new FrameStack(4, 6, 6);
    let s = stack.reset(env.reset());
    const col = env.ballCol;
    for (let t = 0; t < 3; t++) s = stack.push(env.step(1).observation);
    // channel i holds the ball in row i (rows 0, 1, 2, 3)
    for (let i = 0; i < 4; i++) expect(s[(i * 6 + col) * 4 + i]).toBe(1);
    const x = tf.tensor4d(s, [1, 6, 6, 4]);
    expect(x.shape).toEqual([1, 6, 6, 4]);
    x.dispose();
  });

  it('rejects bad sizes and frames', () => {
    expect(() => stackFrames([], 2, 2)).toThrow('stackFrames: frames must be a non-empty list of frames, got []');
    expect(() => stackFrames([[1, 2, 3]], 2, 2)).toThrow('stackFrames: frames[0] must have height*width = 4 values, got 3');
    expect(() => new FrameStack(0, 2, 2)).toThrow('FrameStack: k must be a positive integer, got 0');
    expect(() => new FrameStack(2, 2, 2).push([0, 0, 0, 0])).toThrow('FrameStack.push: stack must be started with reset(frame) first, got "empty"');
    expect(() => new FrameStack(2, 2, 2).reset([0])).toThrow('FrameStack.reset: frame must have height*width = 4 values, got 1');
  });
});

describe('preprocessFrame', () => {
  it('turns a 210x160 RGB screen into an 84x84x1 frame in [0, 1] and leaks no tensors', () => {
    const screen = tf.fill([210, 160, 3], 200, 'int32');
    const before = tf.memory().numTensors;
    const out = preprocessFrame(screen, { cropTop: 34, cropBottom: 16 });
    expect(out.shape).toEqual([84, 84, 1]);
    expect(out.dtype).toBe('float32');
    // a uniform gray 200 stays 200 * (0.2989 + 0.587 + 0.114) / 255 after grayscale, crop and bilinear resize
    const v = out.dataSync();
    expect(Math.max(...Array.from(v, (x) => Math.abs(x - (200 * 0.9999) / 255)))).toBeLessThan(1e-5);
    out.dispose();
    expect(tf.memory().numTensors).toBe(before);
    screen.dispose();
  });

  it('uses the luma weights 0.2989, 0.587, 0.114 and crops the right rows', () => {
    // rows 0..3 red, 4..5 green, 6..7 blue; crop 4 top, 2 bottom -> rows 4..5 (green); size = crop size
    const data: number[] = [];
    for (let r = 0; r < 8; r++) for (let c = 0; c < 3; c++) data.push(...(r < 4 ? [255, 0, 0] : r < 6 ? [0, 255, 0] : [0, 0, 255]));
    const screen = tf.tensor3d(data, [8, 3, 3]);
    const out = preprocessFrame(screen, { cropTop: 4, cropBottom: 2, size: [2, 3] });
    for (const v of out.dataSync()) expect(v).toBeCloseTo(0.587, 2);
    const red = preprocessFrame(screen, { cropBottom: 4, size: [4, 3] });
    for (const v of red.dataSync()) expect(v).toBeCloseTo(0.299, 2);
    tf.dispose([screen, out, red]);
  });

  it('rejects frames that are not [H, W, 1 or 3] and crops that leave nothing', () => {
    const x = tf.zeros([4, 4, 2]);
    const y = tf.zeros([4, 4, 3]);
    expect(() => preprocessFrame(tf.zeros([4, 4]))).toThrow('preprocessFrame: frame must have rank 3 [H, W, C], got [4, 4]');
    expect(() => preprocessFrame(x)).toThrow('preprocessFrame: frame must have 1 or 3 channels, got [4, 4, 2]');
    expect(() => preprocessFrame(y, { cropTop: 2, cropBottom: 2 })).toThrow(
      'preprocessFrame: opts.cropTop + opts.cropBottom must leave at least one of 4 rows, got 4',
    );
    expect(() => preprocessFrame(y, { scale: 0 })).toThrow('preprocessFrame: opts.scale must be a positive number, got 0');
    tf.dispose([x, y]);
  });
});

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
  });
});

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
    expect(() => playEpisodes(env, () => 5, 1)).toThrow('CatchEnv.step: action must be 0 (left), 1 (stay) or 2 (right), got 5');
  });
});
