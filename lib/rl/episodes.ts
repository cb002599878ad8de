/**
 * The episode loop of {@link CatchEnv}: play whole episodes with a policy (optionally on stacked frames)
 * and collect the return of each.
 * @see notebooks/q25-cnns-in-rl.ipynb
 */
import { checkOptionKeys, checkPositiveInt, MAX_STEPS } from '../check';
import { argError } from '../errors';
import { CatchEnv } from './catch-env';
import { FrameStack, MAX_FRAMES } from './frames';

/**
 * Play whole episodes of {@link CatchEnv} with a policy and return the total reward of each.
 * @param policy maps the observation ([N, N], or [N, N, frames] with opts.frames > 1) to an action 0..2
 * @param episodes a positive integer, at most MAX_STEPS (100,000)
 * @param opts.frames stack the last k frames for the policy (default 1: the raw frame; at most 1024)
 * @throws ArgError when env is not a CatchEnv, episodes is not a positive integer up to MAX_STEPS, or the
 *   policy is not a function or returns an action other than 0, 1, 2
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
  checkPositiveInt(fn, 'episodes', episodes, MAX_STEPS);
  checkOptionKeys(fn, 'opts', opts, ['frames']);
  const k = checkPositiveInt(fn, 'opts.frames', opts.frames ?? 1, MAX_FRAMES);
  const stack = new FrameStack(k, env.size, env.size);
  const act = (obs: Float32Array): number => {
    const a = policy(obs);
    if (a !== 0 && a !== 1 && a !== 2) argError(fn, 'policy', 'must return an action 0 (left), 1 (stay) or 2 (right)', a);
    return a;
  };
  const returns: number[] = [];
  for (let e = 0; e < episodes; e++) {
    let obs = k > 1 ? stack.reset(env.reset()) : env.reset();
    let total = 0;
    while (!env.done) {
      const step = env.step(act(obs));
      total += step.reward;
      obs = k > 1 ? stack.push(step.observation) : step.observation;
    }
    returns.push(total);
  }
  return returns;
}

/**
 * Play one episode of {@link CatchEnv} from every start the environment can draw, all at once: each ball
 * column, each paddle position and (with sideways) each column step, in that nesting order. The env's
 * reset() draws them uniformly, so for a deterministic policy the mean over these episodes is its exact
 * expected return (no sampling error), and the fraction of +1 is its exact catch probability.
 * The episodes run in lockstep (every one lasts size - 1 steps), so the policy sees all running boards at
 * once and can answer with one batched network call.
 * @param env a CatchEnv giving the rules (size, paddleWidth, sideways, ballSpeed); it is not stepped
 * @param policy maps the observations of all boards ([N, N] each, or [N, N, frames] with opts.frames > 1),
 *   and the boards themselves (a hand-written baseline may read their state, e.g. ballDx), to one action
 *   0..2 per board
 * @param opts.frames stack the last k frames for the policy (default 1; at most 1024)
 * @returns the return (+1 or -1) of each start; size * (size - paddleWidth + 1) * (sideways ? 3 : 1) of
 *   them, at most MAX_STEPS (100,000)
 * @throws ArgError when env is not a CatchEnv or has too many starts, or the policy is not a function or
 *   does not return one action 0, 1, 2 per board
 * @example
 *   const returns = playEveryStart(new CatchEnv({ size: 8, sideways: true }), (obs) => obs.map(() => 1));
 *   returns.length   // 8 * 6 * 3 = 144
 * @see notebooks/q25-cnns-in-rl.ipynb
 */
export function playEveryStart(
  env: CatchEnv,
  policy: (observations: Float32Array[], envs: readonly CatchEnv[]) => readonly number[],
  opts: { frames?: number } = {},
): number[] {
  const fn = 'playEveryStart';
  if (!(env instanceof CatchEnv)) argError(fn, 'env', 'must be a CatchEnv', env);
  if (typeof policy !== 'function') argError(fn, 'policy', 'must be a function (observations, envs) => actions', policy);
  checkOptionKeys(fn, 'opts', opts, ['frames']);
  const k = checkPositiveInt(fn, 'opts.frames', opts.frames ?? 1, MAX_FRAMES);
  const n = env.size;
  const positions = n - env.paddleWidth + 1;
  const dirs = env.sideways ? 3 : 1;
  const starts = n * positions * dirs;
  if (starts > MAX_STEPS) argError(fn, 'env', `must have at most ${MAX_STEPS} starts (size * (size - paddleWidth + 1) * directions)`, starts);
  const rules = { size: n, paddleWidth: env.paddleWidth, ...(env.sideways ? { sideways: true, ballSpeed: env.ballSpeed } : {}) };
  const envs: CatchEnv[] = [];
  for (let c = 0; c < n; c++) {
    for (let p = 0; p < positions; p++) {
      for (let d = 0; d < dirs; d++) {
        // reset() draws floor(u * n), floor(u * positions), floor(u * 3): the middle of each bin picks it
        const us = [(c + 0.5) / n, (p + 0.5) / positions, (d + 0.5) / 3];
        let i = 0;
        envs.push(new CatchEnv({ ...rules, rng: () => us[i++] }));
      }
    }
  }
  const stacks = envs.map(() => new FrameStack(k, n, n));
  let obs = envs.map((e, i) => (k > 1 ? stacks[i].reset(e.reset()) : e.reset()));
  const returns = new Array<number>(starts).fill(0);
  while (!envs[0].done) {
    const actions = policy(obs, envs);
    if (!Array.isArray(actions) || actions.length !== starts) {
      argError(fn, 'policy', `must return an array of ${starts} actions (one per board)`, actions);
    }
    actions.forEach((a, i) => {
      if (a !== 0 && a !== 1 && a !== 2) argError(fn, 'policy', `must return actions 0 (left), 1 (stay) or 2 (right) (index ${i})`, a);
    });
    obs = envs.map((e, i) => {
      const step = e.step(actions[i]);
      returns[i] += step.reward;
      return k > 1 ? stacks[i].push(step.observation) : step.observation;
    });
  }
  return returns;
}
