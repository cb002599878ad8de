import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { Executed } from './executed';

const out = (n: number, k: number, s: number, p = 0) => Math.floor((n - k + 2 * p) / s) + 1;
const conv = (k: number, cin: number, cout: number) => (k * k * cin + 1) * cout;

describe('q11-stride', () => {
  const nb = new Executed('q11-stride');

  it('runs clean', () => {
    nb.expectOk();
  });

  it('prints the output sizes of the floor formula', () => {
    for (const s of [1, 2, 3, 4]) {
      const o = out(28, 3, s);
      expect(nb.stdout).toContain(`Stride ${s}: Output = ${o}x${o} (reduction: ${(28 / o).toFixed(2)}x)`);
    }
    expect(nb.stdout).toContain('rows never read: [27]');
    for (const s of [1, 2]) {
      for (const p of [0, 1]) expect(nb.stdout).toContain(`Stride=${s}, Padding=${p}: Output=${out(28, 3, s, p)}x${out(28, 3, s, p)}`);
      expect(nb.stdout).toContain(`Stride=${s}, Padding='same': Output=${Math.ceil(28 / s)}x${Math.ceil(28 / s)}`);
    }
  });

  it('convolves the 5x5 ramp with the sum filter at stride 1 and 2 as computed here', () => {
    const x = (r: number, c: number) => r * 5 + c + 1;
    const win = (r: number, c: number) => [0, 1, 2].reduce((a, m) => a + [0, 1, 2].reduce((b, n) => b + x(r + m, c + n), 0), 0);
    const s1 = [0, 1, 2].map((i) => [0, 1, 2].map((j) => win(i, j)));
    const s2 = [0, 1].map((i) => [0, 1].map((j) => win(2 * i, 2 * j)));
    expect(nb.stdout).toContain(`Output with stride=1 (shape 3x3): ${JSON.stringify(s1)}`);
    expect(nb.stdout).toContain(`Output with stride=2 (shape 2x2): ${JSON.stringify(s2)}`);
    expect(nb.number('stride 1 max |hand - tf.conv2d|:')).toBeLessThanOrEqual(1e-5);
    expect(nb.number('stride 2 max |hand - tf.conv2d|:')).toBeLessThanOrEqual(1e-5);
  });

  it('gives the models their shapes, parameters and multiply-adds', () => {
    expect(nb.stdout).toContain('conv_s2: [null,16,16,32]');
    expect(nb.stdout).toContain('conv_s2_2: [null,8,8,64]');
    expect(nb.stdout).toContain('conv_s1_2: [null,32,32,64]');
    const params = conv(3, 3, 32) + conv(3, 32, 64);
    expect(nb.number('pooling model: 4 layers, parameters')).toBe(params);
    expect(nb.number('strided model: 2 layers, parameters')).toBe(params);
    const macs = (n: number, cin: number, cout: number) => n * n * 9 * cin * cout;
    expect(nb.table('stack').header).toEqual(['stack', 'params', 'MACs', 'output']);
    const expected: [string, number, string][] = [
      ['stride 1', macs(32, 3, 32) + macs(32, 32, 64), '[32,32,64]'],
      ['stride 2', macs(16, 3, 32) + macs(8, 32, 64), '[8,8,64]'],
      ['conv + pool', macs(32, 3, 32) + macs(16, 32, 64), '[8,8,64]'],
    ];
    for (const [name, m, shape] of expected) {
      const [, p, printedMacs, printedShape] = nb.table('stack').rows.find((c) => c[0] === name) ?? [];
      expect(Number(p), name).toBe(params);
      expect(Number(printedMacs.replace(/,/g, '')), name).toBe(m);
      expect(printedShape, name).toBe(shape);
    }
    expect(nb.markdown).toMatch(/\*\*Errata\.\*\*.*19,392/s);
  });

  it("prints the seed's operation counts for 224x224x3 with 64 filters", () => {
    const ops = (s: number) => out(224, 3, s) ** 2 * 9 * 3 * 64;
    for (const s of [1, 2, 3]) {
      const o = out(224, 3, s);
      expect(nb.stdout).toContain(`Stride ${s}: Output ${o}x${o}x64, Operations: ${ops(s).toLocaleString('en-US')}`);
    }
    expect(nb.stdout).toContain(`Reduction: ${(ops(1) / ops(2)).toFixed(1)}x`);
    expect(nb.stdout).toContain(`Reduction: ${(ops(1) / ops(3)).toFixed(1)}x`);
  });

  it("shows where 'same' and padding 1 put their windows at stride 2", () => {
    // 'same': total padding (14 - 1) * 2 + 3 - 28 = 1, all at the end -> windows start at 2i, centre 2i + 1
    expect(nb.stdout).toContain(`window centres, 'same':    ${JSON.stringify(Array.from({ length: 14 }, (_, i) => 2 * i + 1))}`);
    expect(nb.stdout).toContain(`window centres, padding 1: ${JSON.stringify(Array.from({ length: 14 }, (_, i) => 2 * i))}`);
    expect(nb.number("max |hand 'same' - tf.conv2d 'same'|:")).toBeLessThanOrEqual(1e-5);
  });

  it('grows receptive fields by the product of strides', () => {
    const rf = (strides: number[]) => {
      let r = 1;
      let j = 1;
      return strides.map((s) => ((r += 2 * j), (j *= s), r));
    };
    for (const s of [[1, 1, 1], [2, 1, 1], [2, 2, 2]]) expect(nb.stdout).toContain(`strides ${JSON.stringify(s)}: receptive fields ${JSON.stringify(rf(s))}`);
  });

  it('shows stride 2 as stride 1 sampled at even positions on a digit', () => {
    expect(nb.stdout).toContain('digit maps: [1,26,26,1] [1,13,13,1]');
    expect(nb.number('stride 2 = stride 1 sampled at even positions, max error:')).toBeLessThanOrEqual(1e-6);
    expect(nb.number('max |hand stride 2 - tf.conv2d|:')).toBeLessThanOrEqual(1e-5);
    expect(nb.displays.filter((d) => 'application/vnd.vegalite.v5+json' in d).length).toBe(2);
  });

  it('draws output size against input size with sliders whose formula matches tf.conv2d output shapes', () => {
    type Spec = {
      params: { name: string; value: number; bind?: { input: string; min: number; max: number } }[];
      data: { values: { n: number }[] };
      transform: ({ filter: string } | { calculate: string; as: string })[];
    };
    const spec = nb.displays
      .map((d) => d['application/vnd.vegalite.v5+json'] as Spec | undefined)
      .find((x) => x && Array.isArray(x.params))!;
    expect(spec).toBeDefined();
    expect(spec.params.every((p) => p.bind && p.bind.input === 'range')).toBe(true);
    expect(spec.params.map((p) => p.name).sort()).toEqual(['k', 'p', 's']);
    expect(spec.data.values.map((v) => v.n)).toEqual(Array.from({ length: 64 }, (_, i) => i + 1));
    const filter = spec.transform.find((t): t is { filter: string } => 'filter' in t)!.filter;
    const calc = spec.transform.find((t): t is { calculate: string; as: string } => 'calculate' in t)!;
    // vega expressions use floor(); evaluate them as JavaScript with the params bound
    const evalExpr = (expr: string) =>
      new Function('datum', 'k', 's', 'p', 'floor', `return (${expr});`) as (
        d: { n: number }, k: number, s: number, p: number, f: (x: number) => number) => number;
    const fits = evalExpr(filter);
    const out = evalExpr(calc.calculate);
    let checked = 0;
    for (const k of [1, 2, 3, 5, 7, 9]) {
      for (const s of [1, 2, 3, 4]) {
        for (const p of [0, 1, 2, 4]) {
          for (const n of [1, 2, 5, 7, 13, 28, 31, 64]) {
            const fitsHere = Boolean(fits({ n }, k, s, p, Math.floor));
            expect(fitsHere).toBe(n + 2 * p >= k);
            if (!fitsHere) continue;
            const shape = tf.tidy(() =>
              tf.conv2d(tf.zeros([1, n, n, 1]) as tf.Tensor4D, tf.zeros([k, k, 1, 1]) as tf.Tensor4D, s,
                [[0, 0], [p, p], [p, p], [0, 0]]).shape);
            expect(out({ n }, k, s, p, Math.floor), `n=${n} k=${k} s=${s} p=${p}`).toBe(shape[1]);
            checked++;
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(500);
    // the static picture's defaults: k = 3, s = 2, p = 0, so 28 -> 13 as in the text
    const at = Object.fromEntries(spec.params.map((q) => [q.name, q.value]));
    expect(out({ n: 28 }, at.k, at.s, at.p, Math.floor)).toBe(13);
  });

  it('has recall answers a reader can reveal, one per question, that agree with the formula', () => {
    const { text: recall, questions, answers } = nb.recall;
    expect(questions.length).toBe(5);
    expect(answers).toHaveLength(questions.length);
    // answer 1: a 5x5 kernel, stride 2, padding 2 on 64x64
    const o = out(64, 5, 2, 2);
    expect(recall).toContain(`\\rfloor + 1 = ${o}$, so $${o}\\times${o}$`);
  });
});
