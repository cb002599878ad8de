import { describe, expect, it } from 'vitest';
import { Executed } from './executed';

describe('q01-what-is-a-cnn', () => {
  const nb = new Executed('q01-what-is-a-cnn');

  it('runs clean', () => {
    nb.expectOk();
  });

  it('prints the backend it chose', () => {
    expect(nb.stdout).toMatch(/^cnnlib: backend (tensorflow|wasm|cpu)/m);
  });

  it('prints the parameter counts that the formulas give', () => {
    const conv = (k: number, cin: number, cout: number) => (k * k * cin + 1) * cout;
    const dense = (nin: number, nout: number) => (nin + 1) * nout;
    // 28 -conv3-> 26 -pool2-> 13 -conv3-> 11 -pool2-> 5, so the flattened size is 5*5*64.
    const expected = conv(3, 1, 32) + conv(3, 32, 64) + dense(5 * 5 * 64, 64) + dense(64, 10);
    expect(nb.number('Total params:')).toBe(expected);
    expect(nb.stdout).toContain(`[null,5,5,64]`);
  });

  it('shows a figure as vega-lite, SVG and PNG in one output', () => {
    const fig = nb.displays.find((d) => 'application/vnd.vegalite.v5+json' in d);
    expect(fig).toBeDefined();
    expect(String(fig!['image/svg+xml'])).toMatch(/^<svg/);
    expect(String(fig!['image/png']).length).toBeGreaterThan(1000);
  });

  it('predicts a probability distribution per image', () => {
    expect(nb.stdout).toContain('prediction shape: [ 8, 10 ]');
    const sums = nb.stdout.match(/each row sums to 1: (.*)/)![1].split(' ').map(Number);
    expect(sums).toHaveLength(8);
    for (const s of sums) expect(s).toBeCloseTo(1, 3);
  });
});
