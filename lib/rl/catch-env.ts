/**
 * "Catch", the smallest pixel game an agent can learn from raw frames: a ball falls straight down from a
 * random column of an N x N grid, one row per step, and the agent slides a paddle along the bottom row
 * (left, stay, right). When the ball reaches the bottom row the episode ends with reward +1 if the paddle
 * is under it and -1 if not, so every episode lasts exactly N - 1 steps. With `sideways: true` the ball also
 * moves `ballSpeed` columns per step (default 1), left, not at all or right (drawn per episode), bouncing off
 * the side walls; with ballSpeed 2 it outruns the paddle, which moves 1. Frames are Float32Array [N, N]
 * (row-major, 1 = ball or paddle, 0 = empty). Everything random comes from a seeded generator, so a seed
 * replays the same episodes.
 * @see notebooks/q25-cnns-in-rl.ipynb
 */
import { checkBoolean, checkNonNegativeInt, checkOptionKeys, checkPositiveInt } from '../check';
import { argError } from '../errors';
import { seededRandom } from '../random/generator';

/** The actions of {@link CatchEnv}, by index: 0 left, 1 stay, 2 right. */
export const CATCH_ACTIONS = ['left', 'stay', 'right'] as const;

/** Options of {@link CatchEnv}. */
export interface CatchOptions {
  /** Side N of the square grid, from 3 to 4096. Default 10. */
  size?: number;
  /** Width of the paddle in pixels, odd, at most size. Default 3. */
  paddleWidth?: number;
  /**
   * When true the ball also moves sideways: each episode draws a column step dx of -1, 0 or +1 (equally
   * likely, after the ball column and the paddle), and a step that would leave the grid reverses dx
   * (the ball bounces off the wall). Default false: the ball falls straight down.
   */
  sideways?: boolean;
  /**
   * Columns the sideways ball moves per step: dx is drawn from -ballSpeed, 0, +ballSpeed. From 1 to
   * floor((size - 1) / 2), so that a reversed step always stays inside the grid; only with sideways: true.
   * Default 1.
   */
  ballSpeed?: number;
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

/**
 * A generator from `seed` or `rng` (not both) that checks every number it hands out.
 * Private to lib/rl (replay-buffer.ts uses it too): lib/rl/index.ts does not export it.
 */
export function generator(fn: string, opts: { seed?: number; rng?: () => number }, rngUser = fn): () => number {
  if (opts.seed !== undefined && opts.rng !== undefined) argError(fn, 'opts', 'must give seed or rng, not both', 'both');
  if (opts.rng !== undefined && typeof opts.rng !== 'function') argError(fn, 'opts.rng', 'must be a function returning numbers in [0, 1)', opts.rng);
  const rng = opts.rng ?? seededRandom(checkNonNegativeInt(fn, 'opts.seed', opts.seed ?? 0));
  return () => {
    const u = rng();
    if (typeof u !== 'number' || !(u >= 0 && u < 1)) argError(rngUser, 'opts.rng', 'must return numbers in [0, 1)', u);
    return u;
  };
}
/**
 * The catch game as a reinforcement-learning environment (reset / step, Gym style).
 * Rules of one step: the paddle moves one pixel (it stops at the walls), then the ball falls one row (with
 * opts.sideways it also moves opts.ballSpeed columns, bouncing off the side walls).
 * The ball starts in row 0 at a uniformly random column; the paddle starts centred at a uniformly random
 * position that keeps it inside the grid.
 * @param opts.size default 10 (3 to 4096); opts.paddleWidth default 3 (odd, <= size); opts.sideways default
 *   false; opts.ballSpeed default 1 (1 to floor((size - 1) / 2), with sideways); opts.seed default 0, or opts.rng
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
  readonly sideways: boolean;
  readonly ballSpeed: number;
  readonly numActions = CATCH_ACTIONS.length;
  private readonly rng: () => number;
  private row = 0;
  private col = 0;
  private paddle = 0;
  private dx = 0;
  private t = 0;
  private over = true;
  private started = false;

  constructor(opts: CatchOptions = {}) {
    const fn = 'CatchEnv';
    checkOptionKeys(fn, 'opts', opts, ['size', 'paddleWidth', 'sideways', 'ballSpeed', 'seed', 'rng']);
    this.size = checkPositiveInt(fn, 'opts.size', opts.size ?? 10, 4096);
    if (this.size < 3) argError(fn, 'opts.size', 'must be >= 3', this.size);
    this.paddleWidth = checkPositiveInt(fn, 'opts.paddleWidth', opts.paddleWidth ?? 3);
    if (this.paddleWidth % 2 === 0 || this.paddleWidth > this.size) {
      argError(fn, 'opts.paddleWidth', `must be odd and at most size ${this.size}`, this.paddleWidth);
    }
    this.sideways = checkBoolean(fn, 'opts.sideways', opts.sideways ?? false);
    const maxSpeed = Math.floor((this.size - 1) / 2);
    this.ballSpeed = checkPositiveInt(fn, 'opts.ballSpeed', opts.ballSpeed ?? 1);
    if (this.ballSpeed > maxSpeed) argError(fn, 'opts.ballSpeed', `must be at most floor((size - 1) / 2) = ${maxSpeed}`, this.ballSpeed);
    if (opts.ballSpeed !== undefined && !this.sideways) argError(fn, 'opts.ballSpeed', 'needs opts.sideways: true', opts.ballSpeed);
    // The generator runs in reset(): a bad number from opts.rng is reported there.
    this.rng = generator(fn, opts, 'CatchEnv.reset');
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
  /** Column step of the ball now: -ballSpeed, 0 or +ballSpeed (it flips at a wall; 0 without opts.sideways). */
  get ballDx(): number {
    return this.dx;
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

  /**
   * Start an episode: new random ball column and paddle position (and, with opts.sideways, column step).
   * Returns the first frame.
   */
  reset(): Float32Array {
    const n = this.size;
    this.row = 0;
    this.col = Math.floor(this.rng() * n);
    this.paddle = this.half + Math.floor(this.rng() * (n - this.paddleWidth + 1));
    this.dx = this.sideways ? (Math.floor(this.rng() * 3) - 1) * this.ballSpeed : 0;
    this.t = 0;
    this.over = false;
    this.started = true;
    return this.observe();
  }

  /**
   * Move the paddle (0 left, 1 stay, 2 right), let the ball fall one row (and move dx columns, reversing
   * dx first if that would leave the grid), and score the episode when the
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
    if (this.col + this.dx < 0 || this.col + this.dx > this.size - 1) this.dx = -this.dx;
    this.col += this.dx;
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
