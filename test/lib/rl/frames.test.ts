import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { CatchEnv } from '../../../lib/rl/catch-env';
import { FrameStack, preprocessFrame, stackFrames } from '../../../lib/rl/frames';

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
    expect(() => stackFrames([[1]], 1.5, 1)).toThrow('stackFrames: height must be a positive integer, got 1.5');
  });

  it('after k + 1 pushes holds exactly the last k frames, oldest first', () => {
    // k = 2, frames of 1 x 2: reset(a) -> [a, a]; push b -> [a, b]; push c -> [b, c]; push d -> [c, d]
    const stack = new FrameStack(2, 1, 2);
    stack.reset([1, 2]);
    stack.push([3, 4]);
    stack.push([5, 6]);
    const s = stack.push([7, 8]);
    // [1, 2, 2] interleaved: pixel 0 (c0, d0), pixel 1 (c1, d1)
    expect(Array.from(s)).toEqual([5, 7, 6, 8]);
    expect(Array.from(stack.stacked())).toEqual([5, 7, 6, 8]);
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

  it('computes a tiny RGB frame by hand: luma of the middle row, divided by scale', () => {
    // [3, 2, 3], crop one row at each end -> row 1: (10, 20, 30) and (100, 0, 0); same size, so the
    // bilinear resize is the identity
    const screen = tf.tensor3d([[[0, 0, 0], [0, 0, 0]], [[10, 20, 30], [100, 0, 0]], [[0, 0, 0], [0, 0, 0]]]);
    const out = preprocessFrame(screen, { cropTop: 1, cropBottom: 1, size: [1, 2], scale: 100 });
    expect(out.shape).toEqual([1, 2, 1]);
    const [a, b] = out.dataSync();
    expect(a).toBeCloseTo((0.2989 * 10 + 0.587 * 20 + 0.114 * 30) / 100, 5); // 0.18149
    expect(b).toBeCloseTo((0.2989 * 100) / 100, 5); // 0.2989
    tf.dispose([screen, out]);
  });

  it('resizes a gray [1, 2, 1] frame to [1, 3, 1] by hand (source x = 2x / 3, corners not aligned)', () => {
    // pixels 0 and 3, scale 3: x = 0 -> 0; x = 2/3 -> 0 + (2/3) * 3 = 2; x = 4/3 -> clamped to pixel 1 = 3
    const frame = tf.tensor3d([[[0], [3]]]);
    const out = preprocessFrame(frame, { size: [1, 3], scale: 3 });
    const v = Array.from(out.dataSync());
    [0, 2 / 3, 1].forEach((e, i) => expect(v[i]).toBeCloseTo(e, 5));
    tf.dispose([frame, out]);
  });
});
