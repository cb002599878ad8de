import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';

/** Gradient of sum(conv2d(x, w) * r) w.r.t. w on one backend. */
async function filterGrad(backend: string, x: number[], xs: number[], w: number[], ws: number[], strides: number, pad: 'same' | 'valid' | number) {
  await tf.setBackend(backend);
  return tf.tidy(() => {
    const xt = tf.tensor4d(x, xs as [number, number, number, number]);
    const wt = tf.tensor4d(w, ws as [number, number, number, number]);
    const g = tf.grad((v: tf.Tensor) => {
      const y = tf.conv2d(xt, v as tf.Tensor4D, strides, pad);
      return y.mul(tf.range(0, y.size).reshape(y.shape).sin()).sum();
    })(wt);
    return Array.from(g.dataSync());
  });
}

function rand(n: number, seed: number) {
  let s = seed;
  return Array.from({ length: n }, () => ((s = (s * 16807) % 2147483647) / 2147483647) * 2 - 1);
}

describe('Conv2DBackpropFilter on wasm', () => {
  const cases: [number[], number[], number, 'same' | 'valid' | number][] = [
    [[2, 7, 7, 3], [3, 3, 3, 4], 1, 'valid'],
    [[2, 8, 9, 2], [3, 2, 2, 5], 2, 'same'],
    [[1, 9, 9, 1], [5, 5, 1, 2], 3, 'valid'],
    [[3, 6, 6, 2], [3, 3, 2, 3], 2, 1],
  ];
  for (const [xs, ws, s, p] of cases) {
    it(`matches cpu for x ${xs} w ${ws} stride ${s} pad ${p}`, async () => {
      const x = rand(xs.reduce((a, b) => a * b), 7);
      const w = rand(ws.reduce((a, b) => a * b), 11);
      const cpu = await filterGrad('cpu', x, xs, w, ws, s, p);
      const wasm = await filterGrad('wasm', x, xs, w, ws, s, p);
      await tf.setBackend('wasm');
      expect(wasm.length).toBe(cpu.length);
      const scale = Math.max(...cpu.map(Math.abs));
      for (let i = 0; i < cpu.length; i++) expect(Math.abs(wasm[i] - cpu[i]) / scale).toBeLessThan(1e-5);
    });
  }
});
