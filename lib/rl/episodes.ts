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
