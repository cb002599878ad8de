/**
 * Property test of the kernels cnnlib adds to (or replaces in) the wasm backend: on randomized
 * shapes, strides, paddings ('same', 'valid', explicit) and dilations, the wasm result matches the
 * cpu backend within 1e-4 relative error. Cases come from a fixed-seed generator, so a failure
 * reproduces; its message prints the case.
 */
import { writeSync } from 'fs';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { registerWasmKernels, WASM_KERNELS, WASM_REPLACEMENTS } from '../../../lib/backend/wasm-kernels';
import { seededRandom } from '../../../lib/random/generator';

const SEED = 20240611;

const rng = seededRandom(SEED);
const int = (lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)];
const values = (n: number, ties = false) =>
  Array.from({ length: n }, () => (ties ? Math.round((rng() * 2 - 1) * 4) / 4 : rng() * 2 - 1));
const size = (s: number[]) => s.reduce((a, b) => a * b, 1);

type Pad = 'same' | 'valid' | number | [[0, 0], [number, number], [number, number], [0, 0]];

/** Run `f` on both backends; returns the flat outputs of each. */
async function onBoth(f: () => tf.Tensor[]): Promise<{ cpu: Float32Array[]; wasm: Float32Array[] }> {
  const run = async (b: string) => {
    await tf.setBackend(b);
    const before = tf.memory().numTensors;
    const once = () => {
      const out = tf.tidy(f);
      const data = out.map((t) => t.dataSync() as Float32Array);
      tf.dispose(out);
      return data;
    };
    const data = once();
    expect(tf.memory().numTensors, `${b} leaked tensors`).toBe(before);
    if (b === 'wasm') {
      // A kernel that forgets an intermediate leaks a data buffer, not a tensor: run it again and
      // count buffers (cached constant filters are made on the first run only).
      const buffers = tf.engine().backend.numDataIds();
      once();
      expect(tf.engine().backend.numDataIds(), 'wasm kernel leaked data buffers').toBe(buffers);
    }
    return data;
  };
  const cpu = await run('cpu');
  const wasm = await run('wasm');
  return { cpu, wasm };
}

/** Largest |wasm - cpu| over the largest |cpu| (1 when cpu is all zeros). */
function relErr(cpu: Float32Array, wasm: Float32Array): number {
  if (cpu.length !== wasm.length) return Infinity;
  let scale = 0;
  let err = 0;
  for (let i = 0; i < cpu.length; i++) {
    scale = Math.max(scale, Math.abs(cpu[i]));
    err = Math.max(err, Math.abs(cpu[i] - wasm[i]));
  }
  return Number.isNaN(err) ? Infinity : err / Math.max(scale, 1e-6);
}

let failures: string[] = [];
let count = 0;
async function check(name: string, desc: unknown, f: () => tf.Tensor[]) {
  count++;
  if (process.env.CNN_TEST_TRACE) writeSync(2, `${name} ${JSON.stringify(desc)}\n`); // a hang shows its case
  const { cpu, wasm } = await onBoth(f);
  cpu.forEach((c, i) => {
    const e = relErr(c, wasm[i]);
    if (!(e <= 1e-4)) failures.push(`${name} output ${i}: rel err ${e.toExponential(2)} for ${JSON.stringify(desc)}`);
  });
}

/** An 'explicit' padding, a number, 'same' or 'valid'. */
function randomPad(): Pad {
  const kind = pick(['same', 'valid', 'number', 'explicit'] as const);
  if (kind === 'number') return int(0, 2);
  if (kind === 'explicit') return [[0, 0], [int(0, 2), int(0, 2)], [int(0, 2), int(0, 2)], [0, 0]];
  return kind;
}

/** Input size along one axis big enough for a window of `eff` cells with this padding. */
const roomFor = (eff: number, pad: Pad) => Math.max(1, eff - (pad === 'valid' ? 0 : typeof pad === 'number' ? 2 * pad : 0)) + int(0, 6);

/** The sum(y * r) loss whose gradient all cases take, r fixed by the output's shape. */
const weighted = (y: tf.Tensor) => y.mul(tf.range(0, y.size).reshape(y.shape).mul(0.37).sin()).sum();

describe('wasm kernels match the cpu backend (fixed seed ' + SEED + ')', () => {
  afterAll(async () => {
    await tf.setBackend('wasm');
  });
  beforeEach(() => {
    failures = [];
  });

  it('registers every kernel it lists', async () => {
    await tf.setBackend('wasm');
    registerWasmKernels();
    for (const k of [...WASM_KERNELS, ...WASM_REPLACEMENTS]) {
      expect(tf.getKernel(k.kernelName, 'wasm')?.kernelFunc, k.kernelName).toBe(k.kernelFunc);
    }
  });

  it('conv2d gradients (Conv2DBackpropInput, Conv2DBackpropFilter): 70 cases', async () => {
    for (let i = 0; i < 70; i++) {
      const pad = randomPad();
      let [kh, kw, sh, sw] = [int(1, 4), int(1, 4), int(1, 3), int(1, 3)];
      // tfjs 4.22 sizes a numeric padding's output with filterHeight/strideHeight for both axes
      // (conv_util computeOutputShape2D), and the wasm forward conv then writes out of bounds:
      // numeric paddings only with square filters and strides.
      if (typeof pad === 'number') [kw, sw] = [kh, sh];
      const xs = [int(1, 3), roomFor(kh, pad), roomFor(kw, pad), int(1, 4)] as [number, number, number, number];
      const ws = [kh, kw, xs[3], int(1, 5)] as [number, number, number, number];
      const [xv, wv] = [values(size(xs)), values(size(ws))];
      const rounding = typeof pad === 'number' ? 'floor' : undefined;
      await check('conv2d', { xs, ws, strides: [sh, sw], pad, rounding }, () => {
        const g = tf.grads((x: tf.Tensor, w: tf.Tensor) =>
          weighted(tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, [sh, sw], pad, 'NHWC', 1, rounding)),
        );
        return g([tf.tensor4d(xv, xs), tf.tensor4d(wv, ws)]);
      });
    }
    expect(failures).toEqual([]);
  });

  it('depthwiseConv2d gradients (DepthwiseConv2dNativeBackpropInput/Filter): 60 cases', async () => {
    for (let i = 0; i < 60; i++) {
      const pad = randomPad();
      const kh = int(1, 4);
      const kw = typeof pad === 'number' ? kh : int(1, 4); // see the numeric-padding note above
      const s = int(1, 3);
      const xs = [int(1, 3), roomFor(kh, pad), roomFor(kw, pad), int(1, 4)] as [number, number, number, number];
      const fs = [kh, kw, xs[3], int(1, 3)] as [number, number, number, number];
      const [xv, fv] = [values(size(xs)), values(size(fs))];
      const rounding = typeof pad === 'number' ? 'floor' : undefined;
      await check('depthwiseConv2d', { xs, fs, strides: s, pad, rounding }, () => {
        const g = tf.grads((x: tf.Tensor, f: tf.Tensor) =>
          weighted(tf.depthwiseConv2d(x as tf.Tensor4D, f as tf.Tensor4D, s, pad as 'same', 'NHWC', 1, rounding)),
        );
        return g([tf.tensor4d(xv, xs), tf.tensor4d(fv, fs)]);
      });
    }
    expect(failures).toEqual([]);
  });

  it('depthwise backprop kernels with dilations (vs a zero-inserted filter on cpu): 30 cases', async () => {
    // tfjs's gradient of depthwiseConv2d refuses dilations > 1 and the cpu backprop kernels ignore
    // them, so the reference is the undilated problem with zeros inserted into the filter.
    for (let i = 0; i < 30; i++) {
      const [kh, kw, dh, dw] = [int(1, 3), int(1, 3), int(1, 3), int(1, 3)];
      const kind = pick(['same', 'valid', 'explicit'] as const);
      const padded: Pad = kind === 'explicit' ? randomExplicit() : kind;
      const [eh, ew] = [(kh - 1) * dh + 1, (kw - 1) * dw + 1];
      const xs = [int(1, 2), eh + int(0, 5), ew + int(0, 5), int(1, 3)] as [number, number, number, number];
      const m = int(1, 2);
      const fs = [kh, kw, xs[3], m] as [number, number, number, number];
      const [xv, fv] = [values(size(xs)), values(size(fs))];
      const desc = { xs, fs, dilations: [dh, dw], pad: padded };
      const dilatedFilter = (f: tf.Tensor4D) => {
        // [kh, kw, C, M] -> [eh, ew, C, M] with zeros between taps
        const buf = tf.buffer([eh, ew, xs[3], m]);
        const fa = f.arraySync();
        for (let a = 0; a < kh; a++) for (let b = 0; b < kw; b++) for (let c = 0; c < xs[3]; c++) for (let q = 0; q < m; q++) buf.set(fa[a][b][c][q], a * dh, b * dw, c, q);
        return buf.toTensor() as tf.Tensor4D;
      };
      count++;
      await tf.setBackend('cpu');
      const ref = tf.tidy(() => {
        const x = tf.tensor4d(xv, xs);
        const fd = dilatedFilter(tf.tensor4d(fv, fs));
        const [gx, gfd] = tf.grads((a: tf.Tensor, b: tf.Tensor) => weighted(tf.depthwiseConv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, padded as 'same')))([x, fd]);
        const gf = tf.stridedSlice(gfd, [0, 0, 0, 0], [eh, ew, xs[3], m], [dh, dw, 1, 1]);
        return [gx, gf];
      }) as tf.Tensor[];
      await tf.setBackend('wasm');
      const got = tf.tidy(() => {
        const x = tf.tensor4d(xv, xs);
        const f = tf.tensor4d(fv, fs);
        const y = tf.depthwiseConv2d(x, f, 1, padded as 'same', 'NHWC', [dh, dw]);
        const dy = tf.range(0, y.size).reshape(y.shape).mul(0.37).sin();
        const attrs = { strides: [1, 1], pad: padded, dilations: [dh, dw] };
        const gx = tf.engine().runKernel('DepthwiseConv2dNativeBackpropInput', { dy, filter: f }, { ...attrs, inputShape: xs } as unknown as tf.NamedAttrMap) as tf.Tensor;
        const gf = tf.engine().runKernel('DepthwiseConv2dNativeBackpropFilter', { x, dy }, { ...attrs, filterShape: fs } as unknown as tf.NamedAttrMap) as tf.Tensor;
        return [gx, gf];
      }) as tf.Tensor[];
      for (const [j, e] of [relErr(ref[0].dataSync() as Float32Array, got[0].dataSync() as Float32Array), relErr(ref[1].dataSync() as Float32Array, got[1].dataSync() as Float32Array)].entries()) {
        if (!(e <= 1e-4)) failures.push(`depthwise dilated output ${j}: rel err ${e.toExponential(2)} for ${JSON.stringify(desc)}`);
      }
      tf.dispose([ref[0], ref[1], ...got]);
    }
    expect(failures).toEqual([]);
  });

  it('maxPool gradient (MaxPoolGrad), ties and negative windows included: 50 cases, 15 of them 2x2/2 unpadded', async () => {
    for (let i = 0; i < 50; i++) {
      // The first 15 take the kernel's unrolled path for the usual 2x2 / stride 2 pooling.
      const [k, s] = i < 15 ? [2, 2] : [int(1, 4), int(1, 3)];
      const pad = i < 15 ? pick(['valid', 'number'] as const) : pick(['same', 'valid', 'number'] as const);
      const p: 'same' | 'valid' | number = pad === 'number' ? int(0, Math.floor(k / 2)) : pad;
      const xs = [int(1, 3), k + int(0, 7), k + int(0, 7), int(1, 4)] as [number, number, number, number];
      const ties = rng() < 0.5;
      const shift = rng() < 0.3 ? -2 : 0; // all-negative inputs: windows whose maximum is < 0
      const xv = values(size(xs), ties).map((v) => v + shift);
      const rounding = typeof p === 'number' ? 'floor' : undefined;
      await check('maxPool', { xs, k, s, pad: p, ties, shift }, () => [
        tf.grad((x: tf.Tensor) => weighted(tf.maxPool(x as tf.Tensor4D, k, s, p, rounding)))(tf.tensor4d(xv, xs)),
      ]);
    }
    expect(failures).toEqual([]);
  });

  it('einsum (forward; tfjs defines no einsum gradient) vs a direct sum over labels: 30 cases', async () => {
    // The reference is a loop over every assignment of the labels, not the cpu kernel: tfjs 4.22's
    // cpu Einsum is wrong when a label appears in only one input and not in the output
    // ('abc,cd->' gives a [4, 5] result) and throws for outer products with such labels.
    const letters = 'abcdefg';
    for (let i = 0; i < 30; i++) {
      const two = rng() < 0.8;
      const dims = new Map([...letters].map((l) => [l, int(1, 4)]));
      const term = () => [...letters].filter(() => rng() < 0.45).sort(() => rng() - 0.5).join('') || 'a';
      const ta = term();
      const tb = two ? term() : '';
      const present = [...new Set(ta + tb)];
      const out = present.filter(() => rng() < 0.5).sort(() => rng() - 0.5).join('');
      const eq = two ? `${ta},${tb}->${out}` : `${ta}->${out}`;
      const sa = [...ta].map((l) => dims.get(l)!);
      const sb = [...tb].map((l) => dims.get(l)!);
      const [va, vb] = [values(size(sa)), values(size(sb))];
      count++;
      await tf.setBackend('wasm');
      const got = tf.tidy(() => {
        const r = two ? tf.einsum(eq, tf.tensor(va, sa), tf.tensor(vb, sb)) : tf.einsum(eq, tf.tensor(va, sa));
        return { shape: r.shape, data: r.dataSync() as Float32Array };
      });
      const ref = naiveEinsum(ta, tb, out, dims, va, vb);
      const e = JSON.stringify(got.shape) === JSON.stringify([...out].map((l) => dims.get(l))) ? relErr(ref, got.data) : Infinity;
      if (!(e <= 1e-4)) failures.push(`einsum: rel err ${e.toExponential(2)} for ${JSON.stringify({ eq, sa, sb })}`);
    }
    expect(failures).toEqual([]);
  });

  it('matMul with transposes and its gradient (BatchMatMul): 30 cases', async () => {
    for (let i = 0; i < 30; i++) {
      const batch = Array.from({ length: int(0, 2) }, () => int(1, 3));
      const [m, k, n] = [int(1, 9), int(1, 9), int(1, 9)];
      const [ta, tb] = [rng() < 0.5, rng() < 0.5];
      const sa = [...batch, ...(ta ? [k, m] : [m, k])];
      const sb = [...batch, ...(tb ? [n, k] : [k, n])];
      const [va, vb] = [values(size(sa)), values(size(sb))];
      await check('matMul', { sa, sb, ta, tb }, () => {
        const [a, b] = [tf.tensor(va, sa), tf.tensor(vb, sb)];
        const g = tf.grads((p: tf.Tensor, q: tf.Tensor) => weighted(tf.matMul(p, q, ta, tb)))([a, b]);
        return [tf.matMul(a, b, ta, tb), ...g];
      });
    }
    expect(failures).toEqual([]);
  });

  it('einsum rejects bad equations with the messages of tfjs (its cpu kernel), and leaks nothing', async () => {
    const [a, b, c] = [tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]), tf.tensor2d([0, 1, 2, 3, 4, 5], [3, 2]), tf.tensor2d([1, 2, 3, 4], [2, 2])];
    const cases: [string, tf.Tensor[]][] = [
      ['ij,jk->in', [a, b]],
      ['ij,jk->ik->i', [a, b]],
      ['ij,jk', [a, b]],
      ['ij->ji', [a, b]],
      ['ij,jk,kl->il', [a, b, c]],
      ['ii->', [c]],
      ['...ij->ij', [a]],
      ['ij,jk->ik', [a, c]],
    ];
    const messageOn = async (backend: string, eq: string, ts: tf.Tensor[]) => {
      await tf.setBackend(backend);
      const moved = ts.map((t) => tf.tensor(t.dataSync(), t.shape));
      try {
        tf.einsum(eq, ...moved).dispose();
        return 'no error';
      } catch (e) {
        return (e as Error).message;
      } finally {
        tf.dispose(moved);
      }
    };
    for (const [eq, ts] of cases) {
      const want = await messageOn('cpu', eq, ts);
      await tf.setBackend('wasm');
      const buffers = tf.engine().backend.numDataIds();
      expect(await messageOn('wasm', eq, ts), eq).toBe(want);
      expect(tf.engine().backend.numDataIds(), `${eq} leaked`).toBe(buffers);
    }
    // The two of the issue, spelled out.
    expect(await messageOn('wasm', 'ij,jk->in', [a, b])).toBe('Output subscripts contain the label n not present in the input subscripts.');
    expect(await messageOn('wasm', 'ij,jk->ik->i', [a, b])).toBe('Equation must contain exactly one arrow ("->").');
    tf.dispose([a, b, c]);
  });

  it('conv2dTranspose of a dy larger than the output shape implies reads its top-left part, as the shipped kernel', async () => {
    // inputShape [1, 4, 4, 3] with a 3x3 filter, stride 1, 'same' implies dy [1, 4, 4, 2]; dy is [1, 7, 6, 2].
    const [dyv, fv2] = [values(7 * 6 * 2), values(3 * 3 * 3 * 2)];
    const run = () =>
      tf.tidy(() => {
        const dy = tf.tensor4d(dyv, [1, 7, 6, 2]);
        const f = tf.tensor4d(fv2, [3, 3, 3, 2]);
        const big = tf.conv2dTranspose(dy, f, [1, 4, 4, 3], 1, 'same');
        const part = tf.conv2dTranspose(tf.slice(dy, [0, 0, 0, 0], [1, 4, 4, 2]), f, [1, 4, 4, 3], 1, 'same');
        return [big.dataSync() as Float32Array, part.dataSync() as Float32Array];
      });
    await tf.setBackend('cpu');
    const [cpuBig] = run();
    await tf.setBackend('wasm');
    const [mine, minePart] = run();
    let shipped: Float32Array;
    try {
      registerWasmKernels({ replace: false });
      [shipped] = run();
    } finally {
      registerWasmKernels();
    }
    expect(relErr(shipped, mine)).toBeLessThanOrEqual(1e-6);
    expect(relErr(minePart, mine)).toBeLessThanOrEqual(1e-6);
    expect(relErr(cpuBig, mine)).toBeLessThanOrEqual(1e-4);
    // A dy smaller than that would be read past its end: an error instead of numbers.
    const buffers = tf.engine().backend.numDataIds();
    expect(() => tf.tidy(() => tf.conv2dTranspose(tf.ones([1, 3, 4, 2]) as tf.Tensor4D, tf.ones([3, 3, 3, 2]) as tf.Tensor4D, [1, 4, 4, 3], 1, 'same'))).toThrow(
      'Conv2DBackpropInput (wasm): dy has shape [1,3,4,2], smaller than the [1,4,4,2] that inputShape [1,4,4,3] implies',
    );
    expect(tf.engine().backend.numDataIds()).toBe(buffers);
  });

  it('fused matMul with transposes, bias and activation (_FusedMatMul; shipped wasm adds a wrong bias when it transposes or batches): 40 cases', async () => {
    for (let i = 0; i < 40; i++) {
      const batch = i % 2 === 0 ? [int(1, 3)] : [];
      const [m, k, n] = [int(1, 7), int(1, 7), int(1, 7)];
      const [ta, tb] = [rng() < 0.5, rng() < 0.5];
      const sa = [...batch, ...(ta ? [k, m] : [m, k])];
      const sb = [...batch, ...(tb ? [n, k] : [k, n])];
      const withBias = rng() < 0.75;
      const activation = pick(['linear', 'relu', 'relu6', 'elu', 'sigmoid', 'leakyrelu', 'prelu'] as const);
      const [va, vb, vbias, vprelu] = [values(size(sa)), values(size(sb)), values(n).map((v) => v * 4), values(n)];
      await check('fusedMatMul', { sa, sb, ta, tb, withBias, activation }, () => {
        const [a, b] = [tf.tensor(va, sa) as tf.Tensor, tf.tensor(vb, sb) as tf.Tensor] as tf.Tensor2D[];
        const bias = withBias ? tf.tensor1d(vbias) : undefined;
        const preluActivationWeights = activation === 'prelu' ? tf.tensor1d(vprelu) : undefined;
        return [tf.fused.matMul({ a, b, transposeA: ta, transposeB: tb, bias, activation, preluActivationWeights, leakyreluAlpha: 0.3 })];
      });
    }
    // By hand: a = [[1, 2], [3, 4]], b^T = [[1, 0], [0, 1], [1, 1]], bias [10, 20, 30] -> a . b + bias.
    await tf.setBackend('wasm');
    const y = tf.tidy(() => tf.fused.matMul({ a: tf.tensor2d([1, 2, 3, 4], [2, 2]), b: tf.tensor2d([1, 0, 0, 1, 1, 1], [3, 2]), transposeB: true, bias: tf.tensor1d([10, 20, 30]) }).arraySync());
    expect(y).toEqual([[11, 22, 33], [13, 24, 37]]);
    expect(failures).toEqual([]);
  });

  it('matMul and fused matMul of two reshapes of one tensor (shipped wasm reuses the first shape)', async () => {
    await tf.setBackend('wasm');
    // ones([m, k]) . B gives every row the column sums of B; computed here by hand from B = range(24).
    const colSums = (k: number, n: number) => Array.from({ length: n }, (_, j) => Array.from({ length: k }, (_, i) => i * n + j).reduce((p, q) => p + q, 0));
    tf.tidy(() => {
      const b = tf.range(0, 24).toFloat();
      const row = (t: tf.Tensor) => Array.from((t.arraySync() as number[][])[0]);
      for (const [k, n] of [[4, 6], [6, 4], [3, 8], [4, 6], [2, 12]]) {
        expect(row(tf.matMul(tf.ones([2, k]), b.reshape([k, n]))), `matMul as [${k}, ${n}]`).toEqual(colSums(k, n));
      }
      // Without a bias the fused product's cache key is (b's data id, no bias, relu): the same for all three.
      const f1 = tf.fused.matMul({ a: tf.ones([2, 6]), b: b.reshape([6, 4]), activation: 'relu' });
      const f2 = tf.fused.matMul({ a: tf.ones([2, 8]), b: b.reshape([8, 3]), activation: 'relu' });
      const f3 = tf.fused.matMul({ a: tf.ones([2, 4]), b: b.reshape([4, 6]), activation: 'relu' });
      expect(row(f1)).toEqual(colSums(6, 4));
      expect(row(f2)).toEqual(colSums(8, 3));
      expect(row(f3)).toEqual(colSums(4, 6));
    });
  });

  it('sum over leading axes (the bias gradient) and over other axes (Sum): 30 cases', async () => {
    for (let i = 0; i < 30; i++) {
      const shape = Array.from({ length: int(1, 4) }, () => int(1, 6));
      const lead = int(0, shape.length);
      // Leading axes take the replacement; a random axis set exercises the fallback to the shipped kernel.
      const axes = i % 3 === 2 ? shape.map((_, a) => a).filter(() => rng() < 0.5) : shape.slice(0, lead).map((_, a) => a);
      const keepDims = rng() < 0.5;
      const v = values(size(shape));
      await check('sum', { shape, axes, keepDims }, () => [tf.sum(tf.tensor(v, shape), axes, keepDims)]);
    }
    // Shapes too: keepDims keeps the summed axes as 1.
    await tf.setBackend('wasm');
    expect(tf.tidy(() => tf.sum(tf.ones([2, 3, 4, 5]), [0, 1, 2], true).shape)).toEqual([1, 1, 1, 5]);
    expect(tf.tidy(() => Array.from(tf.sum(tf.ones([2, 3, 4, 5]), [0, 1, 2]).dataSync()))).toEqual([24, 24, 24, 24, 24]);
    expect(failures).toEqual([]);
  });

  it('clone (Identity) shares the data on wasm and survives the original', async () => {
    await tf.setBackend('wasm');
    const before = tf.memory().numTensors;
    const buffers = tf.engine().backend.numDataIds();
    const a = tf.tensor([1, 2, 3, 4], [2, 2]);
    const b = tf.clone(a);
    expect(tf.engine().backend.numDataIds()).toBe(buffers + 1); // one buffer, two tensors
    a.dispose();
    expect(Array.from(b.dataSync())).toEqual([1, 2, 3, 4]);
    b.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(tf.engine().backend.numDataIds()).toBe(buffers);
  });

  it('gather along any axis, with batch dims, float32 and int32 (GatherV2): 40 cases', async () => {
    for (let i = 0; i < 40; i++) {
      const shape = Array.from({ length: int(1, 4) }, () => int(1, 5));
      if (i % 4 === 0) shape.push(int(16, 40)); // slices of 16 or more numbers take the block copy
      const axis = int(0, shape.length - 1);
      const batchDims = i % 3 === 1 ? int(0, axis) : 0;
      // Indices: the batch dims of x, then a random shape of positions along the axis.
      const idxShape = [...shape.slice(0, batchDims), ...Array.from({ length: int(1, 2) }, () => int(1, 4))];
      const idx = Array.from({ length: size(idxShape) }, () => int(0, shape[axis] - 1));
      const dtype = i % 5 === 4 ? 'int32' : 'float32';
      const v = values(size(shape)).map((x) => (dtype === 'int32' ? Math.round(x * 100) : x));
      const negative = rng() < 0.3; // axis counted from the end
      await check('gather', { shape, axis, batchDims, idxShape, dtype, negative }, () => [
        tf.gather(tf.tensor(v, shape, dtype), tf.tensor(idx, idxShape, 'int32'), negative ? axis - shape.length : axis, batchDims),
      ]);
    }
    expect(failures).toEqual([]);
    // An index off the end throws the cpu backend's message, and leaks nothing.
    await tf.setBackend('wasm');
    const buffers = tf.engine().backend.numDataIds();
    expect(() => tf.tidy(() => tf.gather(tf.ones([3, 2]), tf.tensor1d([0, 3], 'int32')))).toThrow('GatherV2: the index value 3 is not in [0, 2]');
    expect(tf.engine().backend.numDataIds()).toBe(buffers);
    // A hand case: rows 2, 0, 2 of a 3x2 matrix.
    expect(tf.tidy(() => Array.from(tf.gather(tf.tensor2d([1, 2, 3, 4, 5, 6], [3, 2]), tf.tensor1d([2, 0, 2], 'int32')).dataSync()))).toEqual([5, 6, 1, 2, 5, 6]);
  });

  it('unsortedSegmentSum and the gather gradient that uses it: 30 cases', async () => {
    for (let i = 0; i < 30; i++) {
      const rows = int(1, 12);
      const rest = Array.from({ length: int(0, 2) }, () => int(1, 4));
      const xs = [rows, ...rest];
      const segs = int(1, 6);
      const ids = Array.from({ length: rows }, () => int(-1, segs - 1)); // -1: dropped
      const xv = values(size(xs));
      const gatherIdx = Array.from({ length: int(1, 10) }, () => int(0, rows - 1));
      await check('unsortedSegmentSum', { xs, segs, ids, gatherIdx }, () => {
        const x = tf.tensor(xv, xs);
        const s = tf.unsortedSegmentSum(x, tf.tensor1d(ids, 'int32'), segs);
        const g = tf.grad((v: tf.Tensor) => weighted(tf.gather(v, tf.tensor1d(gatherIdx, 'int32'))))(x);
        return [s, g];
      });
    }
    expect(failures).toEqual([]);
    expect(count).toBeGreaterThanOrEqual(200);
  });
});

function randomExplicit(): Pad {
  return [[0, 0], [int(0, 2), int(0, 2)], [int(0, 2), int(0, 2)], [0, 0]];
}

/** einsum by brute force: every assignment of every label, row-major over the labels. */
function naiveEinsum(ta: string, tb: string, out: string, dims: Map<string, number>, va: number[], vb: number[]): Float32Array {
  const labels = [...new Set(ta + tb)];
  const outSize = size([...out].map((l) => dims.get(l)!));
  const res = new Float64Array(outSize);
  const idx = new Map(labels.map((l) => [l, 0]));
  const flat = (term: string) => [...term].reduce((acc, l) => acc * dims.get(l)! + idx.get(l)!, 0);
  const total = size(labels.map((l) => dims.get(l)!));
  for (let n = 0; n < total; n++) {
    let r = n;
    for (let i = labels.length - 1; i >= 0; i--) {
      const d = dims.get(labels[i])!;
      idx.set(labels[i], r % d);
      r = Math.floor(r / d);
    }
    res[flat(out)] += va[flat(ta)] * (tb ? vb[flat(tb)] : 1);
  }
  return Float32Array.from(res);
}
