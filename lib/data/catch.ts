/**
 * "Catch", the smallest pixel game an agent can learn from raw frames: a ball falls straight down from a
 * random column of an N x N grid, one row per step, and the agent slides a paddle along the bottom row
 * (left, stay, right). When the ball reaches the bottom row the episode ends with reward +1 if the paddle
 * is under it and -1 if not, so every episode lasts exactly N - 1 steps. Frames are Float32Array [N, N]
 * (row-major, 1 = ball or paddle, 0 = empty). Everything random comes from a seeded generator, so a seed
 * replays the same episodes.
 *
 * Beside it, the pieces of the deep-Q pipeline of Mnih et al. (2015) that are not the network: Atari-style
 * frame preprocessing (grayscale, crop, resize, scale), stacks of the last k frames as [H, W, k], and a
 * uniform replay buffer.
 * @see notebooks/q25-cnns-in-rl.ipynb
 */
import * as tf from '@tensorflow/tfjs';
import { checkNonNegativeInt, checkPositiveInt, checkRank } from '../check';
import { argError } from '../errors';
import { seededRandom } from '../random/generator';

/** The actions of {@link CatchEnv}, by index: 0 left, 1 stay, 2 right. */
export const CATCH_ACTIONS = ['left', 'stay', 'right'] as const;

/** Options of {@link CatchEnv}. */
export interface CatchOptions {
  /** Side N of the square grid, >= 3. Default 10. */
  size?: number;
  /** Width of the paddle in pixels, odd, at most size. Default 3. */
  paddleWidth?: number;
  /** Seed of the environment's own generator ({@link seededRandom}). Default 0. Not together with rng. */
  seed?: number;
  /** A generator of uniform numbers in [0, 1) to use instead of a seed (e.g. `seededRandom(7)`). */
  rng?: () => number;
}

/** What {@link CatchEnv.step} returns. */
export interface CatchStep {
  /** The frame after the step, [N, N] row-major. */
  observation: Float32Array;
  /** +1 catch, -1 miss (both only on the last step), else 0. */
  reward: number;
  /** True when the ball has reached the bottom row. */
  done: boolean;
}

/** A generator from `seed` or `rng` (not both) that checks every number it hands out. */
function generator(fn: string, opts: { seed?: number; rng?: () => number }): () => number {
  if (opts.seed !== undefined && opts.rng !== undefined) argError(fn, 'opts', 'must give seed or rng, not both', 'both');
  if (opts.rng !== undefined && typeof opts.rng !== 'function') argError(fn, 'opts.rng', 'must be a function returning numbers in [0, 1)', opts.rng);
  const rng = opts.rng ?? seededRandom(checkNonNegativeInt(fn, 'opts.seed', opts.seed ?? 0));
  return () => {
    const u = rng();
    if (typeof u !== 'number' || !(u >= 0 && u < 1)) argError(fn, 'opts.rng', 'must return numbers in [0, 1)', u);
    return u;
  };
}

/**
 * The catch game as a reinforcement-learning environment (reset / step, Gym style).
 * Rules of one step: the paddle moves one pixel (it stops at the walls), then the ball falls one row.
 * The ball starts in row 0 at a uniformly random column; the paddle starts centred at a uniformly random
 * position that keeps it inside the grid.
 * @param opts.size default 10 (>= 3); opts.paddleWidth default 3 (odd, <= size); opts.seed default 0, or
 *   opts.rng
 * @throws ArgError on a bad option; from step(), on an action not in 0..2 or a step after the episode ended
 * @example
 *   const env = new CatchEnv({ size: 10, seed: 1 });
 *   let obs = env.reset();                       // Float32Array(100), ball in row 0
 *   const { reward, done } = env.step(1);        // stay
 * @see notebooks/q25-cnns-in-rl.ipynb
 */
export class CatchEnv {
  readonly size: number;
  readonly paddleWidth: number;
  readonly numActions = CATCH_ACTIONS.length;
  private readonly rng: () => number;
  private row = 0;
  private col = 0;
  private paddle = 0;
  private t = 0;
  private over = true;
  private started = false;

  constructor(opts: CatchOptions = {}) {
    const fn = 'CatchEnv';
    if (opts === null || typeof opts !== 'object') argError(fn, 'opts', 'must be an object', opts);
    this.size = checkPositiveInt(fn, 'opts.size', opts.size ?? 10);
    if (this.size < 3) argError(fn, 'opts.size', 'must be >= 3', this.size);
    this.paddleWidth = checkPositiveInt(fn, 'opts.paddleWidth', opts.paddleWidth ?? 3);
    if (this.paddleWidth % 2 === 0 || this.paddleWidth > this.size) {
      argError(fn, 'opts.paddleWidth', `must be odd and at most size ${this.size}`, this.paddleWidth);
    }
    this.rng = generator(fn, opts);
  }

  private get half(): number {
    return (this.paddleWidth - 1) / 2;
  }

  /** Row of the ball, 0 (top) .. size - 1 (bottom). */
  get ballRow(): number {
    return this.row;
  }
  /** Column of the ball. */
  get ballCol(): number {
    return this.col;
  }
  /** Column of the paddle's centre pixel. */
  get paddleCenter(): number {
    return this.paddle;
  }
  /** True once the ball has reached the bottom row (and before the first reset). */
  get done(): boolean {
    return this.over;
  }
  /** Steps taken in the current episode. */
  get steps(): number {
    return this.t;
  }

  /** Start an episode: new random ball column and paddle position. Returns the first frame. */
  reset(): Float32Array {
    const n = this.size;
    this.row = 0;
    this.col = Math.floor(this.rng() * n);
    this.paddle = this.half + Math.floor(this.rng() * (n - this.paddleWidth + 1));
    this.t = 0;
    this.over = false;
    this.started = true;
    return this.observe();
  }

  /**
   * Move the paddle (0 left, 1 stay, 2 right), let the ball fall one row, and score the episode when the
   * ball reaches the bottom row.
   */
  step(action: number): CatchStep {
    const fn = 'CatchEnv.step';
    if (!Number.isInteger(action) || action < 0 || action >= this.numActions) {
      argError(fn, 'action', 'must be 0 (left), 1 (stay) or 2 (right)', action);
    }
    if (this.over) argError(fn, 'episode', 'must be running (call reset() first)', this.started ? 'over' : 'not started');
    const lo = this.half;
    const hi = this.size - 1 - this.half;
    this.paddle = Math.min(hi, Math.max(lo, this.paddle + action - 1));
    this.row += 1;
    this.t += 1;
    let reward = 0;
    if (this.row === this.size - 1) {
      this.over = true;
      reward = Math.abs(this.col - this.paddle) <= this.half ? 1 : -1;
    }
    return { observation: this.observe(), reward, done: this.over };
  }

  /** The current frame: Float32Array [size, size], 1 at the ball and the paddle, 0 elsewhere. */
  observe(): Float32Array {
    const n = this.size;
    const frame = new Float32Array(n * n);
    for (let c = this.paddle - this.half; c <= this.paddle + this.half; c++) frame[(n - 1) * n + c] = 1;
    frame[this.row * n + this.col] = 1;
    return frame;
  }

  /** The frame as text: 'o' ball, '=' paddle, '@' ball on the paddle, '.' empty; one line per row. */
  toText(): string {
    const n = this.size;
    const lines: string[] = [];
    for (let r = 0; r < n; r++) {
      let line = '';
      for (let c = 0; c < n; c++) {
        const ball = r === this.row && c === this.col;
        const pad = r === n - 1 && Math.abs(c - this.paddle) <= this.half;
        line += ball && pad ? '@' : ball ? 'o' : pad ? '=' : '.';
      }
      lines.push(line);
    }
    return lines.join('\n');
  }
}

/**
 * Interleave k frames of [H, W] into one array [H, W, k] (NHWC channels: frame i becomes channel i), the
 * input layout of a DQN.
 * @param frames k >= 1 arrays of height * width values, oldest first
 * @throws ArgError when the list is empty or a frame has the wrong length
 * @example stackFrames([f0, f1, f2, f3], 84, 84)   // Float32Array(84 * 84 * 4)
 * @see notebooks/q25-cnns-in-rl.ipynb
 */
export function stackFrames(frames: readonly ArrayLike<number>[], height: number, width: number): Float32Array {
  const fn = 'stackFrames';
  checkPositiveInt(fn, 'height', height);
  checkPositiveInt(fn, 'width', width);
  if (!Array.isArray(frames) || frames.length === 0) argError(fn, 'frames', 'must be a non-empty list of frames', frames);
  const k = frames.length;
  const hw = height * width;
  frames.forEach((f, i) => {
    if (!f || f.length !== hw) argError(fn, `frames[${i}]`, `must have height*width = ${hw} values`, f?.length);
  });
  const out = new Float32Array(hw * k);
  for (let i = 0; i < k; i++) {
    const f = frames[i];
    for (let p = 0; p < hw; p++) out[p * k + i] = f[p];
  }
  return out;
}

/**
 * The last k frames of an episode as one observation [H, W, k], newest in the last channel. A single
 * frame shows where things are; a stack also shows where they were going (velocity, direction).
 * reset() fills every slot with the first frame, as the DQN paper does at the start of an episode.
 * @param k frames per stack (>= 1); height, width of one frame
 * @throws ArgError on bad sizes, a frame of the wrong length, or push() before reset()
 * @example
 *   const stack = new FrameStack(4, 10, 10);
 *   let s = stack.reset(env.reset());            // Float32Array(400), [10, 10, 4]
 *   s = stack.push(env.step(2).observation);
 * @see notebooks/q25-cnns-in-rl.ipynb
 */
export class FrameStack {
  readonly k: number;
  readonly height: number;
  readonly width: number;
  private frames: Float32Array[] = [];

  constructor(k: number, height: number, width: number) {
    const fn = 'FrameStack';
    this.k = checkPositiveInt(fn, 'k', k);
    this.height = checkPositiveInt(fn, 'height', height);
    this.width = checkPositiveInt(fn, 'width', width);
  }

  /** [height, width, k]. */
  get shape(): [number, number, number] {
    return [this.height, this.width, this.k];
  }

  private copy(fn: string, frame: ArrayLike<number>): Float32Array {
    const hw = this.height * this.width;
    if (!frame || typeof frame.length !== 'number' || frame.length !== hw) {
      argError(fn, 'frame', `must have height*width = ${hw} values`, frame?.length);
    }
    return Float32Array.from(frame);
  }

  /** Start a stack: k copies of `frame`. Returns the stack [H, W, k]. */
  reset(frame: ArrayLike<number>): Float32Array {
    const f = this.copy('FrameStack.reset', frame);
    this.frames = Array.from({ length: this.k }, () => f);
    return this.stacked();
  }

  /** Append `frame`, dropping the oldest. Returns the stack [H, W, k]. */
  push(frame: ArrayLike<number>): Float32Array {
    const fn = 'FrameStack.push';
    if (this.frames.length === 0) argError(fn, 'stack', 'must be started with reset(frame) first', 'empty');
    this.frames = [...this.frames.slice(1), this.copy(fn, frame)];
    return this.stacked();
  }

  /** The current stack [H, W, k] (a new array). */
  stacked(): Float32Array {
    if (this.frames.length === 0) argError('FrameStack.stacked', 'stack', 'must be started with reset(frame) first', 'empty');
    return stackFrames(this.frames, this.height, this.width);
  }
}

/**
 * Atari-style preprocessing of one screen: RGB to grayscale (luma 0.2989 R + 0.587 G + 0.114 B, tf.image.rgbToGrayscale),
 * crop rows off the top and bottom (the score bar), resize (bilinear) and divide by `scale`.
 * @param frame [H, W, 3] RGB or [H, W, 1] gray, values 0..scale (any numeric dtype)
 * @param opts.cropTop rows removed at the top (default 0); opts.cropBottom at the bottom (default 0);
 *   opts.size [h, w] of the result (default [84, 84]); opts.scale divisor (default 255)
 * @returns float32 [h, w, 1]
 * @throws ArgError on a frame that is not [H, W, 1 or 3], a crop that leaves no rows, or bad sizes
 * @example preprocessFrame(screen, { cropTop: 34, cropBottom: 16 })   // [210, 160, 3] -> [84, 84, 1]
 * @see notebooks/q25-cnns-in-rl.ipynb
 */
export function preprocessFrame(
  frame: tf.Tensor,
  opts: { cropTop?: number; cropBottom?: number; size?: [number, number]; scale?: number } = {},
): tf.Tensor3D {
  const fn = 'preprocessFrame';
  if (!(frame instanceof tf.Tensor)) argError(fn, 'frame', 'must be a tf.Tensor [H, W, 3] or [H, W, 1]', frame);
  checkRank(fn, 'frame', frame.shape, 3, '[H, W, C]');
  const [h, w, c] = frame.shape;
  if (c !== 1 && c !== 3) argError(fn, 'frame', 'must have 1 or 3 channels', frame.shape);
  const top = checkNonNegativeInt(fn, 'opts.cropTop', opts.cropTop ?? 0);
  const bottom = checkNonNegativeInt(fn, 'opts.cropBottom', opts.cropBottom ?? 0);
  if (top + bottom >= h) argError(fn, 'opts.cropTop + opts.cropBottom', `must leave at least one of ${h} rows`, top + bottom);
  const size = opts.size ?? [84, 84];
  if (!Array.isArray(size) || size.length !== 2) argError(fn, 'opts.size', 'must be [height, width]', size);
  checkPositiveInt(fn, 'opts.size[0]', size[0]);
  checkPositiveInt(fn, 'opts.size[1]', size[1]);
  const scale = opts.scale ?? 255;
  if (typeof scale !== 'number' || !Number.isFinite(scale) || scale <= 0) argError(fn, 'opts.scale', 'must be a positive number', scale);
  return tf.tidy(() => {
    const x = frame.toFloat() as tf.Tensor3D;
    const gray = c === 3 ? tf.image.rgbToGrayscale(x) : x; // [H, W, 1]
    const cropped = gray.slice([top, 0, 0], [h - top - bottom, w, 1]);
    return tf.image.resizeBilinear(cropped, size).div(scale) as tf.Tensor3D;
  });
}

/** One transition (s, a, r, s', done) for {@link ReplayBuffer}. */
export interface ReplayTransition {
  state: ArrayLike<number>;
  action: number;
  reward: number;
  nextState: ArrayLike<number>;
  done: boolean;
}

/** A minibatch from {@link ReplayBuffer.sample}: states and nextStates are [batchSize, stateSize] row-major. */
export interface ReplayBatch {
  batchSize: number;
  states: Float32Array;
  actions: Int32Array;
  rewards: Float32Array;
  nextStates: Float32Array;
  /** 1 where the episode ended with this transition, else 0. */
  dones: Float32Array;
}

/**
 * Experience replay: a ring buffer of the last `capacity` transitions, sampled uniformly with replacement.
 * Training on random old transitions instead of the latest ones breaks the correlation between
 * consecutive frames and reuses each experience many times.
 * @param capacity transitions kept (the oldest is overwritten); stateSize values per state
 * @param opts.seed default 0, or opts.rng, for sampling
 * @throws ArgError on bad sizes, a transition of the wrong size, or sampling an empty buffer
 * @example
 *   const buffer = new ReplayBuffer(5000, 100, { seed: 1 });
 *   buffer.add({ state, action, reward, nextState, done });
 *   const batch = buffer.sample(32);             // batch.states: Float32Array(32 * 100)
 * @see notebooks/q25-cnns-in-rl.ipynb
 */
export class ReplayBuffer {
  readonly capacity: number;
  readonly stateSize: number;
  private readonly states: Float32Array;
  private readonly nextStates: Float32Array;
  private readonly actions: Int32Array;
  private readonly rewards: Float32Array;
  private readonly dones: Float32Array;
  private readonly rng: () => number;
  private next = 0;
  private count = 0;

  constructor(capacity: number, stateSize: number, opts: { seed?: number; rng?: () => number } = {}) {
    const fn = 'ReplayBuffer';
    this.capacity = checkPositiveInt(fn, 'capacity', capacity);
    this.stateSize = checkPositiveInt(fn, 'stateSize', stateSize);
    this.states = new Float32Array(capacity * stateSize);
    this.nextStates = new Float32Array(capacity * stateSize);
    this.actions = new Int32Array(capacity);
    this.rewards = new Float32Array(capacity);
    this.dones = new Float32Array(capacity);
    this.rng = generator(fn, opts);
  }

  /** Transitions stored, at most capacity. */
  get size(): number {
    return this.count;
  }

  /** Store one transition, overwriting the oldest when full. */
  add(t: ReplayTransition): void {
    const fn = 'ReplayBuffer.add';
    const s = this.stateSize;
    if (!t || t.state?.length !== s) argError(fn, 'state', `must have ${s} values`, t?.state?.length);
    if (t.nextState?.length !== s) argError(fn, 'nextState', `must have ${s} values`, t.nextState?.length);
    checkNonNegativeInt(fn, 'action', t.action);
    if (typeof t.reward !== 'number' || !Number.isFinite(t.reward)) argError(fn, 'reward', 'must be a finite number', t.reward);
    const i = this.next;
    this.states.set(t.state, i * s);
    this.nextStates.set(t.nextState, i * s);
    this.actions[i] = t.action;
    this.rewards[i] = t.reward;
    this.dones[i] = t.done ? 1 : 0;
    this.next = (i + 1) % this.capacity;
    this.count = Math.min(this.count + 1, this.capacity);
  }

  /** `batchSize` transitions drawn uniformly with replacement from those stored. */
  sample(batchSize: number): ReplayBatch {
    const fn = 'ReplayBuffer.sample';
    checkPositiveInt(fn, 'batchSize', batchSize);
    if (this.count === 0) argError(fn, 'buffer', 'must hold at least one transition', 0);
    const s = this.stateSize;
    const out: ReplayBatch = {
      batchSize,
      states: new Float32Array(batchSize * s),
      actions: new Int32Array(batchSize),
      rewards: new Float32Array(batchSize),
      nextStates: new Float32Array(batchSize * s),
      dones: new Float32Array(batchSize),
    };
    for (let b = 0; b < batchSize; b++) {
      const i = Math.floor(this.rng() * this.count);
      out.states.set(this.states.subarray(i * s, (i + 1) * s), b * s);
      out.nextStates.set(this.nextStates.subarray(i * s, (i + 1) * s), b * s);
      out.actions[b] = this.actions[i];
      out.rewards[b] = this.rewards[i];
      out.dones[b] = this.dones[i];
    }
    return out;
  }
}

/**
 * Play whole episodes of {@link CatchEnv} with a policy and return the total reward of each.
 * @param policy maps the observation ([N, N], or [N, N, frames] with opts.frames > 1) to an action 0..2
 * @param opts.frames stack the last k frames for the policy (default 1: the raw frame)
 * @throws ArgError when episodes is not a positive integer or the policy returns a bad action
 * @example const returns = playEpisodes(env, () => 1, 100);   // always stay
 * @see notebooks/q25-cnns-in-rl.ipynb
 */
export function playEpisodes(
  env: CatchEnv,
  policy: (observation: Float32Array) => number,
  episodes: number,
  opts: { frames?: number } = {},
): number[] {
  const fn = 'playEpisodes';
  if (!(env instanceof CatchEnv)) argError(fn, 'env', 'must be a CatchEnv', env);
  if (typeof policy !== 'function') argError(fn, 'policy', 'must be a function (observation) => action', policy);
  checkPositiveInt(fn, 'episodes', episodes);
  const k = checkPositiveInt(fn, 'opts.frames', opts.frames ?? 1);
  const stack = new FrameStack(k, env.size, env.size);
  const returns: number[] = [];
  for (let e = 0; e < episodes; e++) {
    let obs = k > 1 ? stack.reset(env.reset()) : env.reset();
    let total = 0;
    while (!env.done) {
      const step = env.step(policy(obs));
      total += step.reward;
      obs = k > 1 ? stack.push(step.observation) : step.observation;
    }
    returns.push(total);
  }
  return returns;
}
