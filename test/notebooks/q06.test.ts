import { describe, expect, it } from 'vitest';
import { Executed } from './executed';

describe('q06-fully-connected-vs-convolutional', () => {
  const nb = new Executed('q06-fully-connected-vs-convolutional');
  const dense = (nin: number, nout: number) => (nin + 1) * nout;
  const conv = (k: number, cin: number, cout: number) => (k * k * cin + 1) * cout;

  it('runs clean', () => {
    nb.expectOk();
  });

  it('prints the parameter counts of the seed layers', () => {
    expect(nb.number('FC Layer Parameters:')).toBe(dense(28 * 28, 128));
    expect(nb.number('Conv Layer Parameters:')).toBe(conv(3, 1, 128));
    expect(nb.number('Reduction:')).toBe(Number((dense(784, 128) / conv(3, 1, 128)).toFixed(1)));
    const totals = [...nb.stdout.matchAll(/^Total params: ([\d,]+)/gm)].map((m) => Number(m[1].replace(/,/g, '')));
    expect(totals).toEqual([dense(784, 128), conv(3, 1, 128)]);
  });

  it('counts connections: parameters are not multiply-adds', () => {
    expect(nb.number('FC connections (multiply-adds):')).toBe(784 * 128);
    // 'valid' 3x3 on 28x28 gives 26x26 outputs per filter, each reading 9 pixels
    expect(nb.number('Conv connections (multiply-adds):')).toBe(26 * 26 * 128 * 9);
    expect(nb.stdout).toMatch(/^Conv output shape: \[26, 26, 128\]$/m);
    expect(nb.stdout).toMatch(/^FC output shape: \[1,128\]$/m);
  });

  it('measures equivariance: the conv map of the moved square is the moved map', () => {
    expect(nb.number('conv: max |conv(img2) - shift(conv(img1))| =')).toBe(0);
    const m = nb.stdout.match(/strongest response img1 at (\d+), img2 at (\d+)/)!;
    // a move of 15 rows and 15 columns in a 26-wide map
    expect(Number(m[2]) - Number(m[1])).toBe(15 * 26 + 15);
    expect(nb.number('FC: cosine similarity of the two 128-d outputs =')).toBeLessThan(0.99);
  });

  it('trains an MLP and three CNN heads with the parameter counts of the formulas', () => {
    expect(nb.number('MLP:')).toBe(dense(784, 128) + dense(128, 10));
    // 28 -conv3-> 26 -pool-> 13 -conv3-> 11 -pool-> 5 -conv3-> 3: flatten 3*3*32, or GAP 32
    const body = conv(3, 1, 8) + conv(3, 8, 16) + conv(3, 16, 32);
    expect(nb.number('CNN flatten:')).toBe(body + dense(3 * 3 * 32, 10));
    expect(nb.number('CNN GAP:')).toBe(body + dense(32, 10));
    expect(nb.number('CNN flatten + aug:')).toBe(body + dense(3 * 3 * 32, 10));
    // the augmentation's tf.image.transform moves a digit exactly as pad-and-crop does
    expect(nb.number('augmentation check, shift (2, 3): max |transform - pad and crop| =')).toBe(0);
  });

  it('tests on shifted digits under 3 seeds; the spread and the prose agree with the runs', () => {
    const names = ['MLP', 'CNN flatten', 'CNN GAP', 'CNN flatten + aug'];
    const t = nb.table('shift (px)');
    expect(t.header).toEqual(['shift (px)', ...names.map((n) => `${n} acc %`)]);
    expect(t.rows.map((r) => Number(r[0]))).toEqual([0, 1, 2, 3, 4, 5, 6]);
    // per model: runs[seed][shift], from the per-seed lines
    const runs: Record<string, number[][]> = {};
    for (const n of names) {
      const line = nb.stdout.split('\n').find((l) => l.startsWith(`${n}, seeds 1, 2, 3, accuracy % at shifts 0..6: `))!;
      runs[n] = line.split(': ')[1].split(' | ').map((g) => g.split(' ').map(Number));
      expect(runs[n].map((v) => v.length)).toEqual([7, 7, 7]);
    }
    const stat = (n: string, shift: number) => {
      const v = runs[n].map((r) => r[shift]);
      return { mean: v.reduce((a, b) => a + b, 0) / 3, min: Math.min(...v), max: Math.max(...v) };
    };
    t.rows.forEach((row, shift) =>
      names.forEach((n, j) => {
        const [mean, lo, hi] = row[j + 1].match(/^([\d.]+) \(([\d.]+)-([\d.]+)\)$/)!.slice(1).map(Number);
        const st = stat(n, shift);
        expect(mean).toBeCloseTo(st.mean, 0);
        expect(lo).toBeCloseTo(st.min, 1);
        expect(hi).toBeCloseTo(st.max, 1);
      }),
    );
    const above = (a: string, b: string, shift: number) => expect(stat(a, shift).min).toBeGreaterThan(stat(b, shift).max);
    // the prose, claim by claim
    // unshifted: MLP and flatten CNN learn MNIST (10 classes: chance is 10%)
    expect(stat('MLP', 0).min).toBeGreaterThan(75);
    expect(stat('CNN flatten', 0).min).toBeGreaterThan(75);
    above('MLP', 'CNN flatten', 0);
    // unshifted, the GAP head and the augmented network pay for it after this short training
    above('CNN flatten', 'CNN GAP', 0);
    above('CNN flatten', 'CNN flatten + aug', 0);
    // weight sharing and pooling: the flatten CNN keeps more than the MLP at 1 and 2 pixels
    above('CNN flatten', 'MLP', 1);
    above('CNN flatten', 'MLP', 2);
    // from 3 pixels on, both remedies beat the flatten head in every seed
    for (const shift of [3, 4]) {
      above('CNN GAP', 'CNN flatten', shift);
      above('CNN flatten + aug', 'CNN flatten', shift);
    }
    // augmentation wins within its +-4 range (2 and 3 px), GAP beyond it (6 px)
    for (const shift of [2, 3]) for (const other of ['MLP', 'CNN flatten', 'CNN GAP']) above('CNN flatten + aug', other, shift);
    above('CNN GAP', 'CNN flatten + aug', 6);
    // none is invariant: every network loses accuracy from 0 to 6 pixels, in every seed
    for (const n of names) runs[n].forEach((r) => expect(r[6]).toBeLessThan(r[0] - 20));
    // the MLP falls below chance
    expect(stat('MLP', 4).max).toBeLessThan(10);
  });

  it('has recall answers a reader can reveal, one per question', () => {
    const { questions, answers } = nb.recall;
    expect(questions.length).toBe(5);
    expect(answers).toHaveLength(questions.length);
  });

  it('shows its figures, an errata note and recall questions', () => {
    expect(nb.displays.filter((d) => 'application/vnd.vegalite.v5+json' in d).length).toBeGreaterThanOrEqual(3);
    expect(nb.markdown).toMatch(/\*\*Errata\.\*\*/);
    expect(nb.markdown).toMatch(/## Recall/);
  });
});
