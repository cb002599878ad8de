import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { checkpointedGradients, type CheckpointSegment } from '../../../lib/grad/checkpoint';
import { memoryProbe } from '../../../lib/grad/memory-probe';

const B = 4, S = 8, C = 4, L = 8;

/** A chain of L conv + ReLU layers and a mean-pool + dense head, with its variables. */
function chain() {
  const ws = Array.from({ length: L }, (_, l) => tf.variable(tf.randomNormal([3, 3, l === 0 ? 2 : C, C], 0, 0.4)));
  const bs = Array.from({ length: L }, () => tf.variable(tf.randomNormal([C], 0, 0.1)));
  const wd = tf.variable(tf.randomNormal([C, 3], 0, 0.5));
  const bd = tf.variable(tf.zeros([3]));
  const x = tf.randomNormal([B, S, S, 2]);
  const y = tf.oneHot(tf.tensor1d([0, 1, 2, 1], 'int32'), 3);
  const layers = (h: tf.Tensor, from: number, to: number, w: tf.Tensor[], b: tf.Tensor[]) => {
    for (let l = from; l < to; l++) h = tf.relu(tf.conv2d(h as tf.Tensor4D, w[l - from] as tf.Tensor4D, 1, 'same').add(b[l - from]));
    return h;
  };
  const head = (h: tf.Tensor, [w, b]: tf.Tensor[]) => tf.losses.softmaxCrossEntropy(y, h.mean([1, 2]).matMul(w).add(b)) as tf.Scalar;
  const segments = (s: number): CheckpointSegment[] =>
    Array.from({ length: Math.ceil(L / s) }, (_, k) => {
      const from = k * s, to = Math.min(L, from + s), n = to - from;
      return { apply: (h, p) => layers(h, from, to, p.slice(0, n), p.slice(n)), variables: [...ws.slice(from, to), ...bs.slice(from, to)] };
    });
  const all = [...ws, ...bs, wd, bd];
  const dispose = () => tf.dispose([...all, x, y]);
  return { ws, bs, wd, bd, x, layers, head, segments, all, dispose };
}

describe('checkpointedGradients', () => {
  it('gives the gradients of plain backpropagation through the whole chain', () => {
    const c = chain();
    const plain = tf.grads((...p: tf.Tensor[]) => c.head(c.layers(c.x, 0, L, p.slice(0, L), p.slice(L, 2 * L)), p.slice(2 * L)))(c.all);
    for (const s of [1, 3, 8]) {
      const grads = checkpointedGradients(c.x, c.segments(s), c.head, [c.wd, c.bd]);
      expect(Object.keys(grads).sort()).toEqual(c.all.map((v) => v.name).sort());
      c.all.forEach((v, i) => {
        const diff = tf.tidy(() => grads[v.name].sub(plain[i]).abs().max().dataSync()[0]);
        expect(diff, `segments of ${s}, ${v.name}`).toBeLessThan(1e-5);
      });
      tf.dispose(Object.values(grads));
    }
    tf.dispose(plain);
    c.dispose();
  });

  it('frees everything but the gradients it returns', () => {
    const c = chain();
    const before = tf.memory().numTensors;
    const grads = checkpointedGradients(c.x, c.segments(3), c.head, [c.wd, c.bd]);
    expect(tf.memory().numTensors).toBe(before + c.all.length);
    tf.dispose(Object.values(grads));
    c.dispose();
  });

  it('holds fewer bytes during backpropagation than the plain pass, which holds every activation', () => {
    const c = chain();
    const probe = memoryProbe();
    probe.reset();
    tf.tidy(() => {
      tf.grads((...p: tf.Tensor[]) => probe(c.head(c.layers(c.x, 0, L, p.slice(0, L), p.slice(L, 2 * L)), p.slice(2 * L))))(c.all);
    });
    const plainPeak = probe.peakBytes;
    // Each of the L layers keeps at least its [B, S, S, C] float32 output for the backward pass.
    expect(plainPeak).toBeGreaterThanOrEqual(L * B * S * S * C * 4);
    probe.reset();
    let kept = 0;
    tf.tidy(() => {
      checkpointedGradients(c.x, c.segments(3), c.head, [c.wd, c.bd], { probe, afterForward: () => (kept = probe.bytesAboveBase()) });
    });
    // After the forward pass only the ceil(8 / 3) = 3 segment outputs are alive.
    expect(kept).toBe(3 * B * S * S * C * 4);
    expect(probe.peakBytes).toBeGreaterThan(0);
    expect(probe.peakBytes).toBeLessThan(plainPeak);
    c.dispose();
  });

  it('rejects an empty chain and a segment without apply', () => {
    const v = tf.variable(tf.zeros([1]));
    const head = (h: tf.Tensor) => h.sum() as tf.Scalar;
    expect(() => checkpointedGradients(tf.zeros([1]), [], head, [v])).toThrow('checkpointedGradients: segments must be a non-empty array, got []');
    expect(() => checkpointedGradients(tf.zeros([1]), [{ variables: [] } as never], head, [v])).toThrow('checkpointedGradients: segments[0] must be { apply(h, params), variables }');
    v.dispose();
  });
});

describe('memoryProbe', () => {
  it('is the identity forward and in gradients, and records the bytes alive above its base', () => {
    const probe = memoryProbe();
    const x = tf.tensor1d([1, 2, 3]);
    probe.reset();
    const g = tf.grad((t: tf.Tensor) => probe(t.square()).sum())(x);
    expect(Array.from(g.dataSync())).toEqual([2, 4, 6]);
    // x was made before the base; the 3-float square and the probe's copy of it (12 bytes each) are alive
    // above the base when the backward pass reaches the probe.
    expect(probe.peakBytes).toBeGreaterThanOrEqual(12);
    probe.reset(probe.baseBytes);
    expect(probe.peakBytes).toBe(0);
    expect(() => probe([1] as never)).toThrow('memoryProbe: x must be a tf.Tensor, got [1]');
    expect(() => probe.reset(-1)).toThrow('MemoryProbe.reset: baseBytes must be a non-negative number of bytes, got -1');
    tf.dispose([x, g]);
  });
});
