/**
 * The episode loop of {@link CatchEnv}: play whole episodes with a policy (optionally on stacked frames)
 * and collect the return of each.
 * @see notebooks/q25-cnns-in-rl.ipynb
 */
import { checkPositiveInt } from '../check';
import { argError } from '../errors';
import { CatchEnv } from './catch-env';
import { FrameStack } from './frames';

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
