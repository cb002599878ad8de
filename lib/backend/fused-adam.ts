/**
 * Adam with one kernel per variable: tfjs's AdamOptimizer, whose step runs 13 small kernels per
 * variable, with that step done by the fused `CnnAdamUpdate` kernel (kernels/adam-update.ts) when
 * the backend is wasm. Same state, same serialization (class name 'Adam', moments saved as
 * `<name>/m` and `<name>/v`), the same numbers to float32 rounding; on a backend without the kernel
 * (it is registered for wasm and cpu), or for a variable that is not float32, it is tfjs's step.
 *
 * `ready()` installs it on wasm (registerWasmKernels), so `tf.train.adam()` and
 * `model.compile({ optimizer: 'adam' })` get it; `registerWasmKernels({ replace: false })` puts tfjs's
 * factory back.
 * @example const opt = new FusedAdamOptimizer(0.001, 0.9, 0.999);   // or tf.train.adam() after ready()
 * @see notebooks/q12-backpropagation.ipynb
 */
import * as tf from '@tensorflow/tfjs';
import { adamState } from './internals';
import { ADAM_UPDATE, adamUpdateApplies } from './kernels/adam-update';

type Gradients = Parameters<tf.AdamOptimizer['applyGradients']>[0];
type NamedTensors = Extract<Gradients, unknown[]>;

export class FusedAdamOptimizer extends tf.AdamOptimizer {
  /** How many variables the last step updated with the fused kernel (for tests and the benchmark). */
  fusedVariables = 0;

  override applyGradients(variableGradients: Gradients): void {
    if (!tf.getKernel(ADAM_UPDATE, tf.getBackend())) {
      super.applyGradients(variableGradients);
      return;
    }
    const s = adamState(this, 'FusedAdamOptimizer.applyGradients');
    const list = Array.isArray(variableGradients);
    const names = list ? variableGradients.map((v) => v.name) : Object.keys(variableGradients);
    // beta^t as tfjs keeps it: a float32 scalar multiplied by beta once a step.
    const acc1 = s.accBeta1.dataSync()[0];
    const acc2 = s.accBeta2.dataSync()[0];
    const attrs = { learningRate: s.learningRate, beta1: s.beta1, beta2: s.beta2, epsilon: s.epsilon, accBeta1: acc1, accBeta2: acc2 };
    let fused = 0;
    tf.tidy(() => {
      names.forEach((name, i) => {
        const value = tf.engine().registeredVariables[name];
        s.accumulatedFirstMoment[i] ??= { originalName: `${name}/m`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
        s.accumulatedSecondMoment[i] ??= { originalName: `${name}/v`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
        const gradient = list ? (variableGradients as NamedTensors)[i].tensor : (variableGradients as tf.NamedTensorMap)[name];
        if (gradient == null) return;
        const m = s.accumulatedFirstMoment[i].variable;
        const v = s.accumulatedSecondMoment[i].variable;
        if (adamUpdateApplies(value, gradient, m, v)) {
          const [x2, m2, v2] = tf.engine().runKernel(ADAM_UPDATE, { x: value, g: gradient, m, v }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
          m.assign(m2);
          v.assign(v2);
          value.assign(x2);
          fused++;
          return;
        }
        // tfjs's step, as in AdamOptimizer.applyGradients
        const m2 = tf.add(tf.mul(m, s.beta1), tf.mul(gradient, 1 - s.beta1));
        const v2 = tf.add(tf.mul(v, s.beta2), tf.mul(tf.square(gradient), 1 - s.beta2));
        const mHat = tf.div(m2, tf.sub(1, s.accBeta1));
        const vHat = tf.div(v2, tf.sub(1, s.accBeta2));
        m.assign(m2);
        v.assign(v2);
        value.assign(tf.add(tf.mul(tf.div(mHat, tf.add(tf.sqrt(vHat), s.epsilon)), -s.learningRate), value));
      });
      // accBeta *= beta in float32, without a kernel
      s.accBeta1.assign(tf.scalar(Math.fround(acc1 * Math.fround(s.beta1))));
      s.accBeta2.assign(tf.scalar(Math.fround(acc2 * Math.fround(s.beta2))));
    });
    this.fusedVariables = fused;
    this.incrementIterations();
  }
}
