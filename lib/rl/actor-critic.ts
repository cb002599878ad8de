/**
 * The two pieces of an advantage actor-critic update (the synchronous form of A3C, Mnih et al. 2016)
 * that do not depend on the network: the discounted return of every step of an episode, and the loss
 * that trains a policy head and a value head on one shared trunk (as {@link actorCritic} builds them).
 * @see notebooks/q25-cnns-in-rl.ipynb
 */
import * as tf from '@tensorflow/tfjs';
import { checkFinite, checkInRange, checkNumbers, checkOptionKeys, MAX_STEPS } from '../check';
import { argError } from '../errors';
import { checkTensor } from '../layers/check-tensor';

/**
 * Discounted returns of one episode, G_t = r_t + gamma * G_{t+1}, computed backwards from G_T = bootstrap
 * (0 when the episode ended; V(s_T) of a critic to cut a longer episode into n-step pieces).
 * @param rewards r_0 .. r_{T-1}, 1 to MAX_STEPS (100,000) finite numbers
 * @param gamma discount in [0, 1]
 * @param bootstrap value after the last reward, default 0
 * @returns G_0 .. G_{T-1}, as many as rewards
 * @throws ArgError when rewards is empty, too long or not all finite, gamma is outside [0, 1], or
 *   bootstrap is not finite
 * @example discountedReturns([0, 0, 1], 0.9)   // [0.81, 0.9, 1]
 * @see notebooks/q25-cnns-in-rl.ipynb
 */
export function discountedReturns(rewards: readonly number[], gamma: number, bootstrap = 0): number[] {
  const fn = 'discountedReturns';
  const r = checkNumbers(fn, 'rewards', rewards, 1);
  if (r.length > MAX_STEPS) argError(fn, 'rewards', `must have at most ${MAX_STEPS} entries`, r.length);
  checkInRange(fn, 'gamma', gamma, 0, 1);
  let g = checkFinite(fn, 'bootstrap', bootstrap);
  const out = new Array<number>(r.length);
  for (let t = r.length - 1; t >= 0; t--) {
    g = r[t] + gamma * g;
    out[t] = g;
  }
  return out;
}

/** Options of {@link actorCriticLoss}. */
export interface ActorCriticLossOptions {
  /** Weight of the value loss, >= 0. Default 0.5. */
  valueWeight?: number;
  /** Weight of the entropy bonus (subtracted from the loss, so it keeps the policy from collapsing), >= 0. Default 0.01. */
  entropyWeight?: number;
}

/** The identity whose gradient is zero: the advantage's V(s) is a baseline, not a path for the policy loss. */
const stopGradient = tf.customGrad((...inputs) => {
  const x = inputs[0] as tf.Tensor;
  return { value: x.clone(), gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy) };
});

/**
 * The advantage actor-critic loss over a batch of B steps, one scalar to minimise:
 *
 *   A_b = G_b - V(s_b)   (V held constant here: no gradient flows through the baseline)
 *   loss = -mean_b[ log pi(a_b | s_b) * A_b ] + valueWeight * mean_b[ (G_b - V(s_b))^2 ]
 *          - entropyWeight * mean_b[ -sum_a pi(a | s_b) log pi(a | s_b) ]
 *
 * The first term raises the log-probability of actions that did better than the critic expected and
 * lowers it for the others (the policy gradient with a baseline), the second regresses the critic onto
 * the returns, the third rewards a spread-out policy. Probabilities are clipped to [1e-8, 1] inside the
 * logs. Call it inside `optimizer.minimize(() => ...)`, on the outputs of the network applied there.
 * @param policy [B, A] action probabilities (a softmax head), finite
 * @param value [B, 1] or [B] state values V(s_b), finite
 * @param actions B integers in [0, A): the actions taken
 * @param returns B finite numbers: the returns G_b (e.g. from {@link discountedReturns})
 * @param opts.valueWeight default 0.5; opts.entropyWeight default 0.01 (both >= 0, at most 1e6)
 * @returns a scalar tensor
 * @throws ArgError on a tensor of the wrong rank or batch, a non-finite value, an action outside [0, A),
 *   or returns of the wrong length
 * @example
 *   const loss = opt.minimize(() => {
 *     const [pi, v] = net.apply(x) as tf.Tensor[];             // [B, 3], [B, 1]
 *     return actorCriticLoss(pi as tf.Tensor2D, v, actions, returns) as tf.Scalar;
 *   }, true);
 * @see notebooks/q25-cnns-in-rl.ipynb
 */
export function actorCriticLoss(
  policy: tf.Tensor2D,
  value: tf.Tensor,
  actions: readonly number[],
  returns: readonly number[],
  opts: ActorCriticLossOptions = {},
): tf.Scalar {
  const fn = 'actorCriticLoss';
  checkTensor(fn, 'policy', policy, { rank: 2, layout: '[B, A]', nonEmpty: true, finite: true });
  checkTensor(fn, 'value', value, { nonEmpty: true, finite: true });
  const [b, numActions] = policy.shape;
  if (!(value.rank === 1 || (value.rank === 2 && value.shape[1] === 1)) || value.shape[0] !== b) {
    argError(fn, 'value', `must have shape [${b}, 1] or [${b}] (one value per row of policy)`, value.shape);
  }
  const acts = checkNumbers(fn, 'actions', actions);
  if (acts.length !== b) argError(fn, 'actions', `must have ${b} entries (one per row of policy)`, acts.length);
  for (let i = 0; i < b; i++) {
    if (!Number.isInteger(acts[i]) || acts[i] < 0 || acts[i] >= numActions) {
      argError(fn, `actions[${i}]`, `must be an integer in [0, ${numActions})`, acts[i]);
    }
  }
  const g = checkNumbers(fn, 'returns', returns);
  if (g.length !== b) argError(fn, 'returns', `must have ${b} entries (one per row of policy)`, g.length);
  checkOptionKeys(fn, 'opts', opts, ['valueWeight', 'entropyWeight']);
  const cv = checkInRange(fn, 'opts.valueWeight', opts.valueWeight ?? 0.5, 0, 1e6);
  const ce = checkInRange(fn, 'opts.entropyWeight', opts.entropyWeight ?? 0.01, 0, 1e6);
  return tf.tidy(() => {
    const v = value.reshape([b]); // [B]
    const target = tf.tensor1d(Array.from(g)); // [B]
    const logPi = policy.clipByValue(1e-8, 1).log(); // [B, A]
    const mask = tf.oneHot(tf.tensor1d(Array.from(acts), 'int32'), numActions); // [B, A]
    const logPiTaken = logPi.mul(mask).sum(1); // [B]
    const advantage = target.sub(stopGradient(v) as tf.Tensor); // [B]
    const policyLoss = logPiTaken.mul(advantage).mean().neg();
    const valueLoss = target.sub(v).square().mean();
    const entropy = policy.mul(logPi).sum(1).mean().neg();
    return policyLoss.add(valueLoss.mul(cv)).sub(entropy.mul(ce)) as tf.Scalar;
  });
}
