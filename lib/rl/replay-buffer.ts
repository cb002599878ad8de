/**
 * The uniform experience-replay buffer of the deep-Q pipeline of Mnih et al. (2015): a ring buffer of
 * transitions (s, a, r, s', done) and seeded minibatch sampling.
 * @see notebooks/q25-cnns-in-rl.ipynb
 */
import { checkBoolean, checkElementCount, checkNonNegativeInt, checkOptionKeys, checkPositiveInt } from '../check';
import { argError } from '../errors';
import { generator } from './catch-env';

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
 * @param capacity transitions kept (the oldest is overwritten); stateSize values per state; capacity *
 *   stateSize at most MAX_ELEMENTS (2^28), as is batchSize * stateSize for sample()
 * @param opts.seed default 0, or opts.rng, for sampling
 * @throws ArgError on bad sizes, a transition of the wrong size or with a non-finite value, or sampling an
 *   empty buffer
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
    checkElementCount(fn, 'capacity * stateSize', capacity * stateSize, `${capacity} x ${stateSize}`);
    checkOptionKeys(fn, 'opts', opts, ['seed', 'rng']);
    this.states = new Float32Array(capacity * stateSize);
    this.nextStates = new Float32Array(capacity * stateSize);
    this.actions = new Int32Array(capacity);
    this.rewards = new Float32Array(capacity);
    this.dones = new Float32Array(capacity);
    this.rng = generator(fn, opts, 'ReplayBuffer.sample');
  }

  /** Transitions stored, at most capacity. */
  get size(): number {
    return this.count;
  }

  /** Store one transition, overwriting the oldest when full. */
  add(t: ReplayTransition): void {
    const fn = 'ReplayBuffer.add';
    const s = this.stateSize;
    if (t === null || typeof t !== 'object' || Array.isArray(t)) argError(fn, 't', 'must be a transition { state, action, reward, nextState, done }', t);
    for (const key of ['state', 'nextState'] as const) {
      const v = t[key];
      if (!v || typeof v !== 'object' || v.length !== s) argError(fn, key, `must have ${s} values`, v?.length ?? v);
      for (let i = 0; i < s; i++) if (!Number.isFinite(v[i])) argError(fn, key, `must contain only finite numbers (index ${i})`, v[i]);
    }
    checkNonNegativeInt(fn, 'action', t.action);
    if (typeof t.reward !== 'number' || !Number.isFinite(t.reward)) argError(fn, 'reward', 'must be a finite number', t.reward);
    checkBoolean(fn, 'done', t.done);
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
    checkElementCount(fn, 'batchSize * stateSize', batchSize * this.stateSize, `${batchSize} x ${this.stateSize}`);
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
