/**
 * The kernels cnnlib registers on the wasm backend still work after the backend is started again:
 * after `tf.engine().reset()` (which tfjs's own test suites do between describe blocks) and after
 * removeBackend and a new registration. A replacement keeps the shipped kernel's setupFunc, which
 * the new backend runs at its start; without it the shipped kernels that replacements call
 * (BatchMatMul, _FusedMatMul, Sum) were never bound to the new wasm module and aborted.
 * Each kernel runs once per start on a small case and is compared with the cpu backend.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { shippedKernels } from '../../../lib/backend/kernels/compose';
import { registerWasmKernels, WASM_KERNELS, WASM_REPLACEMENTS } from '../../../lib/backend/wasm-kernels';
import { seededRandom } from '../../../lib/random/generator';

const rng = seededRandom(7);
const values = (shape: number[]) => Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng() * 2 - 1);
const weighted = (y: tf.Tensor) => y.mul(tf.range(0, y.size).reshape(y.shape).mul(0.37).sin()).sum();

const [xv, fv, dv] = [values([2, 6, 6, 3]), values([3, 3, 3, 4]), values([3, 3, 3, 2])];
const [av, bv, biasv] = [values([2, 3, 5]), values([2, 4, 5]), values([4])];

/** One small case per kernel cnnlib registers; each returns tensors computed through that kernel. */
const CASES: Record<string, () => tf.Tensor[]> = {
  Conv2DBackpropFilter: () => [tf.grad((f: tf.Tensor) => weighted(tf.conv2d(tf.tensor4d(xv, [2, 6, 6, 3]), f as tf.Tensor4D, 2, 'same')))(tf.tensor4d(fv, [3, 3, 3, 4]))],
  Conv2DBackpropInput: () => [tf.grad((x: tf.Tensor) => weighted(tf.conv2d(x as tf.Tensor4D, tf.tensor4d(fv, [3, 3, 3, 4]), 1, 'valid')))(tf.tensor4d(xv, [2, 6, 6, 3]))],
  DepthwiseConv2dNativeBackpropFilter: () => [tf.grad((f: tf.Tensor) => weighted(tf.depthwiseConv2d(tf.tensor4d(xv, [2, 6, 6, 3]), f as tf.Tensor4D, 1, 'same')))(tf.tensor4d(dv, [3, 3, 3, 2]))],
  DepthwiseConv2dNativeBackpropInput: () => [tf.grad((x: tf.Tensor) => weighted(tf.depthwiseConv2d(x as tf.Tensor4D, tf.tensor4d(dv, [3, 3, 3, 2]), 2, 'valid')))(tf.tensor4d(xv, [2, 6, 6, 3]))],
  MaxPoolGrad: () => [tf.grad((x: tf.Tensor) => weighted(tf.maxPool(x as tf.Tensor4D, 2, 2, 'valid')))(tf.tensor4d(xv, [2, 6, 6, 3]))],
  BatchMatMul: () => [tf.matMul(tf.tensor3d(av, [2, 3, 5]), tf.tensor3d(bv, [2, 4, 5]), false, true)],
  _FusedMatMul: () => [tf.fused.matMul({ a: tf.tensor2d(av.slice(0, 15), [3, 5]), b: tf.tensor2d(bv.slice(0, 20), [4, 5]), transposeB: true, bias: tf.tensor1d(biasv), activation: 'relu' })],
  Sum: () => [tf.sum(tf.tensor4d(xv, [2, 6, 6, 3]), [0, 1, 2]), tf.sum(tf.tensor4d(xv, [2, 6, 6, 3]), [1, 3])],
  Identity: () => [tf.clone(tf.tensor2d(av.slice(0, 6), [2, 3]))],
  GatherV2: () => [tf.gather(tf.tensor2d(av.slice(0, 20), [5, 4]), tf.tensor1d([4, 0, 2, 2], 'int32'))],
  UnsortedSegmentSum: () => [tf.unsortedSegmentSum(tf.tensor2d(av.slice(0, 12), [4, 3]), tf.tensor1d([1, 0, 1, 3], 'int32'), 4)],
  CnnAdamUpdate: () =>
    tf.engine().runKernel(
      'CnnAdamUpdate',
      { x: tf.tensor1d(av.slice(0, 8)), g: tf.tensor1d(bv.slice(0, 8)), m: tf.tensor1d(av.slice(8, 16)), v: tf.tensor1d(bv.slice(8, 16)).square() },
      { learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, accBeta1: 0.81, accBeta2: 0.998 },
    ) as tf.Tensor[],
  Einsum: () => [tf.einsum('bij,bkj->bik', tf.tensor3d(av, [2, 3, 5]), tf.tensor3d(bv, [2, 4, 5]))],
};

type Run = Record<string, { data: Float32Array[]; kernels: string[] }>;

/** Run every case on the active backend: its outputs and the kernels it ran. */
async function runAll(): Promise<Run> {
  const out: Run = {};
  for (const [name, f] of Object.entries(CASES)) {
    let data: Float32Array[] = [];
    const info = await tf.profile(() => {
      const ts = tf.tidy(f);
      data = ts.map((t) => t.dataSync() as Float32Array);
      tf.dispose(ts);
    });
    out[name] = { data, kernels: info.kernels.map((k) => k.name) };
  }
  return out;
}

/** Largest |got - want| over the largest |want|. */
function relErr(want: Float32Array, got: Float32Array): number {
  if (want.length !== got.length) return Infinity;
  let [scale, err] = [0, 0];
  for (let i = 0; i < want.length; i++) {
    scale = Math.max(scale, Math.abs(want[i]));
    err = Math.max(err, Math.abs(want[i] - got[i]));
  }
  return Number.isNaN(err) ? Infinity : err / Math.max(scale, 1e-6);
}

function expectMatches(got: Run, want: Run, when: string) {
  for (const name of Object.keys(CASES)) {
    expect(got[name].kernels, `${name} ${when}: the case must run its kernel`).toContain(name);
    want[name].data.forEach((w, i) => {
      expect(relErr(w, got[name].data[i]), `${name} output ${i} ${when}`).toBeLessThanOrEqual(1e-4);
    });
  }
}

describe('cnnlib wasm kernels after the backend is started again', () => {
  let cpu: Run;
  beforeAll(async () => {
    await tf.setBackend('cpu');
    cpu = await runAll();
    await tf.setBackend('wasm');
    registerWasmKernels();
  });

  it('has a case for every kernel cnnlib registers', () => {
    expect(Object.keys(CASES).sort()).toEqual([...WASM_KERNELS, ...WASM_REPLACEMENTS].map((k) => k.kernelName).sort());
  });

  it('keeps the shipped setup and dispose functions on every replacement', () => {
    for (const k of WASM_REPLACEMENTS) {
      const now = tf.getKernel(k.kernelName, 'wasm')!;
      const shipped = shippedKernels.get(k.kernelName)!;
      expect(now.kernelFunc, k.kernelName).toBe(k.kernelFunc);
      expect(now.setupFunc, k.kernelName).toBe(shipped.setupFunc);
      expect(now.disposeFunc, k.kernelName).toBe(shipped.disposeFunc);
    }
    // The shipped kernels that replacements fall back to bind their wasm functions in setupFunc.
    for (const name of ['BatchMatMul', '_FusedMatMul', 'Sum']) expect(typeof shippedKernels.get(name)!.setupFunc, name).toBe('function');
  });

  it('match the cpu backend before and after tf.engine().reset()', async () => {
    expectMatches(await runAll(), cpu, 'on the first start');
    tf.engine().reset();
    expect(await tf.setBackend('wasm')).toBe(true);
    expect(registerWasmKernels()).toBe(0); // still registered: the registry outlives the engine's state
    expectMatches(await runAll(), cpu, 'after reset');
  });

  it('match the cpu backend after removeBackend and a new registration of wasm', async () => {
    await tf.setBackend('wasm');
    const { factory, priority } = tf.engine().registryFactory.wasm;
    tf.removeBackend('wasm');
    tf.registerBackend('wasm', factory, priority);
    expect(await tf.setBackend('wasm')).toBe(true);
    expectMatches(await runAll(), cpu, 'after removeBackend + registerBackend');
  });

  it('restores working shipped kernels with replace: false, across a reset too', async () => {
    await tf.setBackend('wasm');
    try {
      expect(registerWasmKernels({ replace: false })).toBe(WASM_REPLACEMENTS.length);
      for (const k of WASM_REPLACEMENTS) expect(tf.getKernel(k.kernelName, 'wasm')!.setupFunc).toBe(shippedKernels.get(k.kernelName)!.setupFunc);
      tf.engine().reset();
      expect(await tf.setBackend('wasm')).toBe(true);
      const got = await runAll();
      // Not compared: the shipped MaxPoolGrad drops gradients of some windows (kernels/max-pool-grad.ts),
      // and the shipped _FusedMatMul adds a wrong bias when it transposes (kernels/batch-mat-mul.ts).
      for (const name of ['BatchMatMul', 'Sum', 'Identity', 'GatherV2', 'Conv2DBackpropInput']) {
        cpu[name].data.forEach((w, i) => expect(relErr(w, got[name].data[i]), `shipped ${name} output ${i}`).toBeLessThanOrEqual(1e-4));
      }
    } finally {
      registerWasmKernels();
    }
    expectMatches(await runAll(), cpu, 'after the replacements came back');
  });
});
