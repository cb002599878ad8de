/**
 * The CNNs of the reference answer's Question 25 (reinforcement learning from pixels): the DQN of Mnih
 * et al. 2015 and an actor-critic network with a shared convolutional trunk. Both read a stack of 4 grayscale 84x84
 * frames: conv 32 8x8/4 -> 20x20x32, conv 64 4x4/2 -> 9x9x64, conv 64 3x3/1 -> 7x7x64, flatten 3136,
 * dense 512.
 * @see notebooks/q25-cnns-in-rl.ipynb
 */
import * as tf from '@tensorflow/tfjs';
import { checkOptionKeys } from '../check';
import { checkClasses, checkDenseAfterFlatten, checkImageShape } from './common';

interface RlOptions {
  /** [H, W, frames]. Default [84, 84, 4]. */
  inputShape?: [number, number, number];
  /** Number of actions, at most 100,000. Default 4. */
  numActions?: number;
}

function resolve(fn: string, opts: RlOptions): { inputShape: [number, number, number]; numActions: number } {
  checkOptionKeys(fn, 'opts', opts, ['inputShape', 'numActions']);
  // 8/4 -> 4/2 -> 3/1 valid convolutions need at least 36 pixels per side to leave a 1x1 map.
  const inputShape = checkImageShape(fn, opts.inputShape ?? [84, 84, 4], 36);
  const side = (d: number) => Math.floor((Math.floor((d - 8) / 4) + 1 - 4) / 2) + 1 - 2;
  checkDenseAfterFlatten(fn, 'opts.inputShape', inputShape, side(inputShape[0]) * side(inputShape[1]) * 64, 512);
  return { inputShape, numActions: checkClasses(fn, 'opts.numActions', opts.numActions ?? 4) };
}

function trunk(x: tf.SymbolicTensor): tf.SymbolicTensor {
  const layers = [
    tf.layers.conv2d({ filters: 32, kernelSize: 8, strides: 4, activation: 'relu', name: 'conv1' }),
    tf.layers.conv2d({ filters: 64, kernelSize: 4, strides: 2, activation: 'relu', name: 'conv2' }),
    tf.layers.conv2d({ filters: 64, kernelSize: 3, strides: 1, activation: 'relu', name: 'conv3' }),
    tf.layers.flatten({ name: 'flatten' }),
    tf.layers.dense({ units: 512, activation: 'relu', name: 'fc' }),
  ];
  return layers.reduce((h, layer) => layer.apply(h) as tf.SymbolicTensor, x);
}

/**
 * Deep Q-network: frames -> one Q-value per action (linear output). 1,686,180 parameters for 4 actions.
 * @param opts.inputShape default [84, 84, 4] (sides >= 36); opts.numActions default 4
 * @throws ArgError on a bad shape or action count
 * @example dqn().predict(tf.zeros([1, 84, 84, 4]))   // [1, 4] Q-values
 * @see notebooks/q25-cnns-in-rl.ipynb
 */
export function dqn(opts: RlOptions = {}): tf.LayersModel {
  const { inputShape, numActions } = resolve('dqn', opts);
  const input = tf.input({ shape: inputShape, name: 'frames' });
  const q = tf.layers.dense({ units: numActions, activation: 'linear', name: 'q_values' }).apply(trunk(input)) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: q, name: 'dqn' });
}

/**
 * Actor-critic network: a shared trunk with two heads, `policy` (softmax over actions) and `value` (one
 * linear unit). Outputs [policy [N, numActions], value [N, 1]].
 * @param opts.inputShape default [84, 84, 4] (sides >= 36); opts.numActions default 4
 * @throws ArgError on a bad shape or action count
 * @example const [pi, v] = actorCritic().predict(tf.zeros([1, 84, 84, 4])) as tf.Tensor[];
 * @see notebooks/q25-cnns-in-rl.ipynb
 */
export function actorCritic(opts: RlOptions = {}): tf.LayersModel {
  const { inputShape, numActions } = resolve('actorCritic', opts);
  const input = tf.input({ shape: inputShape, name: 'frames' });
  const h = trunk(input);
  const policy = tf.layers.dense({ units: numActions, activation: 'softmax', name: 'policy' }).apply(h) as tf.SymbolicTensor;
  const value = tf.layers.dense({ units: 1, activation: 'linear', name: 'value' }).apply(h) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: [policy, value], name: 'actor_critic' });
}
