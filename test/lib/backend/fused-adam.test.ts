/**
 * The fused Adam step (lib/backend/fused-adam.ts, kernels/adam-update.ts) against independent
 * derivations: the update loop against Adam's formulas in double precision (Kingma and Ba 2015,
 * algorithm 1, epsilon added to sqrt(v-hat) as tfjs does), and a small model trained with it
 * against tfjs's own AdamOptimizer (13 kernels a variable) from the same start, on wasm and cpu.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FusedAdamOptimizer } from '../../../lib/backend/fused-adam';
import { ADAM_UPDATE, adamUpdateLoop } from '../../../lib/backend/kernels/adam-update';
import { registerWasmKernels } from '../../../lib/backend/wasm-kernels';
import { seededRandom } from '../../../lib/random/generator';

const rng = seededRandom(11);
// tfjs's Optimizer answers instanceof by duck typing (Symbol.hasInstance), so ask the prototype.
const isFused = (o: unknown) => o !== null && Object.getPrototypeOf(o) === FusedAdamOptimizer.prototype;
const values = (n: number) => Float32Array.from({ length: n }, () => rng() * 2 - 1);

describe('the Adam update loop', () => {
  it('follows Adam in double precision over 50 steps of fixed gradients', () => {
    const n = 64;
    const g = values(n);
    const x = values(n);
    const [lr, b1, b2, eps] = [0.01, 0.9, 0.999, 1e-7];
    // double-precision reference
    const rx = Float64Array.from(x);
    const rm = new Float64Array(n);
    const rv = new Float64Array(n);
    let [x32, m32, v32] = [Float32Array.from(x), new Float32Array(n), new Float32Array(n)];
    let acc1 = b1;
    let acc2 = b2;
    for (let t = 1; t <= 50; t++) {
      for (let i = 0; i < n; i++) {
        rm[i] = b1 * rm[i] + (1 - b1) * g[i];
        rv[i] = b2 * rv[i] + (1 - b2) * g[i] * g[i];
        rx[i] -= (lr * (rm[i] / (1 - b1 ** t))) / (Math.sqrt(rv[i] / (1 - b2 ** t)) + eps);
      }
      const out = { x: new Float32Array(n), m: new Float32Array(n), v: new Float32Array(n) };
      adamUpdateLoop(x32, g, m32, v32, out, { learningRate: lr, beta1: b1, beta2: b2, epsilon: eps, accBeta1: acc1, accBeta2: acc2 });
      [x32, m32, v32] = [out.x, out.m, out.v];
      acc1 = Math.fround(acc1 * Math.fround(b1));
      acc2 = Math.fround(acc2 * Math.fround(b2));
    }
    for (let i = 0; i < n; i++) {
      expect(Math.abs(x32[i] - rx[i]), `x[${i}]`).toBeLessThan(2e-5);
      expect(Math.abs(m32[i] - rm[i]), `m[${i}]`).toBeLessThan(1e-6);
    }
  });

  it('moves a parameter by about lr on the first step, whatever the gradient scale', () => {
    // t = 1: m-hat = g, v-hat = g^2, so the step is lr * g / (|g| + eps) = lr * sign(g).
    for (const gv of [1e-3, 0.5, 40]) {
      const out = { x: new Float32Array(1), m: new Float32Array(1), v: new Float32Array(1) };
      adamUpdateLoop(Float32Array.of(1), Float32Array.of(gv), new Float32Array(1), new Float32Array(1), out, {
        learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, accBeta1: 0.9, accBeta2: 0.999,
      });
      expect(out.x[0]).toBeCloseTo(1 - 0.001 * (gv / (gv + 1e-7)), 6);
    }
  });
});

/** Train a 2-layer dense model for `steps` steps with `opt`; the final weights, flat. */
function train(opt: tf.Optimizer, steps: number): Float32Array[] {
  const r = seededRandom(3);
  const init = (shape: number[]) => tf.tensor(Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => r() - 0.5), shape);
  const w1 = tf.variable(init([6, 5]), true, `w1_${opt.constructor.name}_${tf.getBackend()}`);
  const b1 = tf.variable(tf.zeros([5]), true, `b1_${opt.constructor.name}_${tf.getBackend()}`);
  const w2 = tf.variable(init([5, 3]), true, `w2_${opt.constructor.name}_${tf.getBackend()}`);
  const x = init([16, 6]);
  const y = tf.oneHot(tf.tensor1d(Array.from({ length: 16 }, (_, i) => i % 3), 'int32'), 3);
  for (let s = 0; s < steps; s++) {
    opt.minimize(() => tf.losses.softmaxCrossEntropy(y, x.matMul(w1).add(b1).relu().matMul(w2)) as tf.Scalar);
  }
  const out = [w1, b1, w2].map((v) => v.dataSync() as Float32Array);
  tf.dispose([w1, b1, w2, x, y]);
  return out;
}

describe.each(['wasm', 'cpu'])('FusedAdamOptimizer on %s', (backend) => {
  beforeAll(async () => {
    await tf.setBackend(backend);
    registerWasmKernels();
  });
  afterAll(async () => {
    await tf.setBackend('wasm');
  });

  it('trains as tfjs AdamOptimizer does, one kernel per variable', async () => {
    const shipped = train(new tf.AdamOptimizer(0.01, 0.9, 0.999), 30);
    const fusedOpt = new FusedAdamOptimizer(0.01, 0.9, 0.999);
    const fused = train(fusedOpt, 30);
    expect(fusedOpt.fusedVariables).toBe(3);
    shipped.forEach((w, k) => w.forEach((v, i) => expect(Math.abs(fused[k][i] - v), `weight ${k}[${i}]`).toBeLessThan(1e-5)));
    expect(fusedOpt.iterations).toBe(30);
    fusedOpt.dispose();
    // one CnnAdamUpdate per variable, none of tfjs's per-variable kernels (state is kept by index,
    // as tfjs keeps it, so a new variable set needs a new optimizer)
    const counted = new FusedAdamOptimizer(0.01, 0.9, 0.999);
    const w = tf.variable(tf.ones([4]), true, `w_count_${backend}`);
    counted.minimize(() => w.square().sum() as tf.Scalar);
    const info = await tf.profile(() => {
      counted.minimize(() => w.square().sum() as tf.Scalar);
    });
    expect(info.kernels.filter((k) => k.name === ADAM_UPDATE).length).toBe(1);
    expect(info.kernels.filter((k) => k.name === 'Sqrt').length).toBe(0);
    w.dispose();
    counted.dispose();
  });

  it('saves and restores its state as tfjs does (class Adam, moments named <var>/m and <var>/v)', async () => {
    const opt = tf.train.adam(0.01);
    expect(isFused(opt)).toBe(true);
    expect(opt.getClassName()).toBe('Adam');
    const w = tf.variable(tf.tensor1d([1, -2, 3]), true, `w_save_${backend}`);
    for (let s = 0; s < 3; s++) opt.minimize(() => w.square().sum() as tf.Scalar);
    const saved = await opt.getWeights();
    expect(saved.map((s) => s.name)).toEqual(['iter', `w_save_${backend}/m`, `w_save_${backend}/v`]);
    const copy = new tf.AdamOptimizer(0.01, 0.9, 0.999);
    await copy.setWeights(saved);
    const w2 = tf.variable(w.clone(), true, `w_save2_${backend}`);
    opt.minimize(() => w.square().sum() as tf.Scalar);
    copy.minimize(() => w2.square().sum() as tf.Scalar);
    const [a, b] = [w.dataSync(), w2.dataSync()];
    a.forEach((v, i) => expect(Math.abs(v - b[i])).toBeLessThan(1e-6));
    tf.dispose([w, w2]);
    opt.dispose();
    copy.dispose();
  });
});

describe('installation', () => {
  it('makes tf.train.adam and compile(optimizer: "adam") fused, and replace: false puts tfjs back', async () => {
    await tf.setBackend('wasm');
    registerWasmKernels();
    const m = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [3] })] });
    m.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
    expect(isFused(m.optimizer)).toBe(true);
    try {
      registerWasmKernels({ replace: false });
      expect(isFused(tf.train.adam())).toBe(false);
    } finally {
      registerWasmKernels();
    }
    expect(isFused(tf.train.adam())).toBe(true);
    m.dispose();
  });
});
