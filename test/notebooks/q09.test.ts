import { describe, expect, it } from 'vitest';
import { Executed } from './executed';

/** rf = 1 + sum_i (k_i - 1) * prod_{j<i} s_j, per layer. */
function rf(layers: [number, number][]): number[] {
  let size = 1;
  let jump = 1;
  return layers.map(([k, s]) => {
    size += (k - 1) * jump;
    jump *= s;
    return size;
  });
}

describe('q09-receptive-fields', () => {
  const nb = new Executed('q09-receptive-fields');

  it('runs clean', () => {
    nb.expectOk();
  });

  it("computes the seed's four configurations with the recursion", () => {
    const configs: [string, [number, number, string][]][] = [
      ['Example 1', [[3, 1, 'Conv1'], [2, 2, 'Pool1'], [3, 1, 'Conv2'], [2, 2, 'Pool2'], [3, 1, 'Conv3']]],
      ['Example 2', [[7, 2, 'Conv1'], [3, 2, 'Pool1'], [3, 1, 'Conv2'], [3, 1, 'Conv3']]],
      ['AlexNet', [[11, 4, 'Conv1'], [3, 2, 'Pool1'], [5, 1, 'Conv2'], [3, 2, 'Pool2']]],
    ];
    for (const [, config] of configs) {
      const sizes = rf(config.map(([k, s]) => [k, s]));
      config.forEach(([k, s, name], i) => expect(nb.stdout).toContain(`${name} (k=${k}, s=${s}): RF = ${sizes[i]},`));
      const last = sizes[sizes.length - 1];
      expect(nb.stdout).toContain(`Final receptive field: ${last}x${last}`);
    }
    expect(nb.stdout).toContain(`Conv10 (k=3, s=1): RF = ${2 * 10 + 1}, jump = 1`);
    expect(nb.markdown).toMatch(/\*\*Errata\.\*\*.*24×24/s);
  });

  it("gives the seed's real model 3, 5, 6, 10, 14, 16 and measures the same by backpropagation", () => {
    const names = ['conv1', 'conv2', 'pool1', 'conv3', 'conv4', 'pool2'];
    const sizes = rf([[3, 1], [3, 1], [2, 2], [3, 1], [3, 1], [2, 2]]);
    expect(sizes).toEqual([3, 5, 6, 10, 14, 16]);
    names.forEach((name, i) => {
      expect(nb.stdout).toContain(`${name.padEnd(6)} RF: ${String(sizes[i]).padStart(3)}x${sizes[i]}`);
      expect(nb.stdout).toContain(`${name} empirical RF: ${sizes[i]}x${sizes[i]} (formula ${sizes[i]}), ${sizes[i] ** 2} pixels`);
    });
    expect(nb.stdout).toContain('conv1: Output shape = [null,64,64,32]');
    expect(nb.stdout).toContain('pool2: Output shape = [null,16,16,128]');
  });

  it('measures the Q7 network and a centre-heavy effective field', () => {
    const sizes = rf([[3, 1], [2, 2], [3, 1], [2, 2], [3, 1]]);
    [['conv1', sizes[0]], ['conv2', sizes[2]], ['conv3', sizes[4]]].forEach(([name, s]) => {
      expect(nb.stdout).toContain(`q7Cnn ${name}: empirical RF ${s}x${s}, formula ${s}`);
    });
    expect(nb.number(/effective RF of conv3: .*\(ratio ([\d.]+)\)/)).toBeGreaterThan(1);
    expect(nb.displays.some((d) => 'application/vnd.vegalite.v5+json' in d)).toBe(true);
  });

  it('grows 2n + 1 with plain and 4n + 1 with dilated 3x3 convolutions, measured', () => {
    for (let n = 1; n <= 4; n++) {
      expect(nb.stdout).toContain(`dilation 1, layer ${n}: RF = ${2 * n + 1} (effective kernel 3x3); measured ${2 * n + 1}x${2 * n + 1} by gradient`);
      expect(nb.stdout).toContain(`dilation 2, layer ${n}: RF = ${4 * n + 1} (effective kernel 5x5); measured ${4 * n + 1}x${4 * n + 1} by perturbation`);
    }
  });

  it('draws receptive-field growth under bound sliders, every row equal to the recursion', () => {
    type Row = { k: number; s: number; d: number; depth: number; rf: number };
    const specs = nb.displays.map((d) => d['application/vnd.vegalite.v5+json'] as { params?: { name: string; bind?: unknown }[]; data?: { values?: Row[] } } | undefined);
    const spec = specs.find((sp) => sp?.params?.some((p) => p.bind))!;
    expect(spec).toBeDefined();
    expect(spec.params!.filter((p) => p.bind).map((p) => p.name)).toEqual(['k', 's', 'd']);
    const values = spec.data!.values!;
    expect(values.length).toBeGreaterThan(100);
    for (const r of values) {
      // n identical layers with the dilated kernel d(k - 1) + 1
      const sizes = rf(Array.from({ length: r.depth }, () => [r.d * (r.k - 1) + 1, r.s] as [number, number]));
      expect(r.rf).toBe(sizes[sizes.length - 1]);
    }
    for (const [k, st, d] of [[3, 1, 1], [3, 2, 1], [3, 1, 2]]) {
      const sizes = rf(Array.from({ length: 10 }, () => [d * (k - 1) + 1, st] as [number, number]));
      expect(nb.stdout).toContain(`k=${k}, s=${st}, d=${d}, layers 1..10: ${sizes.join(', ')}`);
    }
    // recall 5
    expect(rf(Array.from({ length: 5 }, () => [3, 2] as [number, number]))[4]).toBe(63);
    // Yu and Koltun's doubling: dilations 1, 2, 4, 8 give 2^(n+1) - 1
    expect(nb.stdout).toContain(`dilations 1, 2, 4, 8 (3x3 each): RF = ${rf([[3, 1], [5, 1], [9, 1], [17, 1]]).join(', ')}`);
    expect(rf([[3, 1], [5, 1], [9, 1], [17, 1]])).toEqual([3, 7, 15, 31]);
  });

  it('measures the effective receptive field before and after training under 3 seeds, as the prose says', () => {
    const t = nb.table('gradient mass %');
    expect(t.header).toEqual(['gradient mass %', 'r <= 3', 'r <= 6', 'r <= 9']);
    // the test's own area shares: pixels of rows/cols 4..21 within r of (12.5, 12.5), of 324
    const area = [3, 6, 9].map((r) => {
      let n = 0;
      for (let i = 4; i <= 21; i++) for (let j = 4; j <= 21; j++) if (Math.hypot(i - 12.5, j - 12.5) <= r) n++;
      return ((n / 324) * 100).toFixed(1);
    });
    expect(t.rows[2]).toEqual(['area of the 18x18 square', ...area]);
    const parse = (cell: string) => cell.match(/^([\d.]+) \(([\d.]+)-([\d.]+)\)$/)!.slice(1).map(Number);
    const [initial, trained] = [t.rows[0], t.rows[1]].map((r) => r.slice(1).map(parse));
    for (const row of [initial, trained]) {
      row.forEach(([mean, lo, hi], k) => {
        expect(lo).toBeLessThanOrEqual(mean);
        expect(mean).toBeLessThanOrEqual(hi);
        // centre-heavy: more mass than area within each radius
        expect(mean).toBeGreaterThan(Number(area[k]));
      });
      // mass within a larger disc is larger
      expect(row[0][0]).toBeLessThan(row[1][0]);
      expect(row[1][0]).toBeLessThan(row[2][0]);
    }
    const seeds = [...nb.stdout.matchAll(/^seed (\d): share within r <= 6: initial ([\d.]+)%, trained ([\d.]+)%; gradient outside the square: (\S+), (\S+); test accuracy on the 64 digits ([\d.]+)$/gm)];
    expect(seeds.map((m) => Number(m[1]))).toEqual([1, 2, 3]);
    for (const m of seeds) {
      // the prose: training concentrated the field under every seed; nothing outside the theoretical field
      expect(Number(m[3])).toBeGreaterThan(Number(m[2]));
      expect(Number(m[4])).toBe(0);
      expect(Number(m[5])).toBe(0);
      expect(Number(m[6])).toBeGreaterThan(0.6);
    }
    const r6 = seeds.map((m) => [Number(m[2]), Number(m[3])]);
    expect(initial[1][1]).toBeCloseTo(Math.min(...r6.map((v) => v[0])), 1);
    expect(trained[1][2]).toBeCloseTo(Math.max(...r6.map((v) => v[1])), 1);
    expect(nb.displays.filter((d) => 'application/vnd.vegalite.v5+json' in d).length).toBe(3);
  });

  it('has recall answers a reader can reveal, one per question', () => {
    const { questions, answers } = nb.recall;
    expect(questions.length).toBe(5);
    expect(answers).toHaveLength(questions.length);
  });
});
