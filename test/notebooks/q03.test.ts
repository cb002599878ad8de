import { describe, expect, it } from 'vitest';
import { Executed } from './executed';

/** The test's own convolution of a single-channel image (zero padding p, stride s), independent of lib/ops. */
function conv(img: number[][], k: number[][], s: number, p: number): number[][] {
  const h = img.length;
  const w = img[0].length;
  const at = (r: number, c: number) => (r < 0 || c < 0 || r >= h || c >= w ? 0 : img[r][c]);
  const oh = Math.floor((h - k.length + 2 * p) / s) + 1;
  const ow = Math.floor((w - k[0].length + 2 * p) / s) + 1;
  return Array.from({ length: oh }, (_, i) =>
    Array.from({ length: ow }, (_, j) => k.reduce((acc, row, m) => acc + row.reduce((a, v, n) => a + v * at(i * s + m - p, j * s + n - p), 0), 0)),
  );
}

const IMAGE = Array.from({ length: 6 }, () => [0, 0, 0, 1, 1, 1]);
const EDGE = [
  [1, 0, -1],
  [1, 0, -1],
  [1, 0, -1],
];

describe('q03-convolution-operation', () => {
  const nb = new Executed('q03-convolution-operation');

  it('runs clean', () => {
    nb.expectOk();
  });

  it('prints the valid convolution of the seed image, hand-written and tf.conv2d alike', () => {
    const expected = JSON.stringify(conv(IMAGE, EDGE, 1, 0));
    expect(nb.stdout).toContain(`hand-written conv2d, valid, stride 1: ${expected}`);
    expect(nb.stdout).toContain(`tf.conv2d,           valid, stride 1: ${expected}`);
    expect(nb.number('max |hand - tf|:')).toBeLessThanOrEqual(1e-5);
  });

  it('prints the stride and padding variants with the sizes of the floor formula', () => {
    for (const [label, s, p] of [['stride 2', 2, 0], ['padding 1', 1, 1], ['stride 2 + padding 1', 2, 1]] as const) {
      const out = conv(IMAGE, EDGE, s, p);
      const size = Math.floor((6 - 3 + 2 * p) / s) + 1;
      expect(out.length).toBe(size);
      expect(nb.stdout).toContain(`${label}: output shape [1,${size},${size},1], formula floor((6 - 3 + 2*${p}) / ${s}) + 1 = ${size}`);
      expect(nb.stdout).toContain(`  ${label} output: ${JSON.stringify(out)}`);
      const diff = nb.stdout.match(new RegExp(`^${label.replace(/\+/g, '\\+')}: .*max \\|hand - tf\\| = (\\S+)`, 'm'));
      expect(Number(diff![1])).toBeLessThanOrEqual(1e-5);
    }
  });

  it('shows im2col as 16 windows of 9 pixels whose products give the same output', () => {
    expect(nb.stdout).toContain('im2col matrix shape: [16,9]');
    // output (0, 2) covers columns 2..4 of rows 0..2
    const window = [0, 1, 2].flatMap((r) => IMAGE[r].slice(2, 5));
    expect(nb.stdout).toContain(`window of output (0, 2) as a row: ${JSON.stringify(window)}`);
    expect(nb.number('that row times the flattened kernel:')).toBe(conv(IMAGE, EDGE, 1, 0)[0][2]);
    expect(nb.number('max |im2col conv - loop conv|:')).toBeLessThanOrEqual(1e-6);
  });

  it('applies two kernels to the first MNIST test digit (a 7) and agrees with tf.conv2d', () => {
    expect(nb.number('digit label:')).toBe(7); // the first image of the MNIST test set is a 7
    expect(nb.stdout).toContain('feature maps shape: [1,28,28,2]');
    expect(nb.number('max |hand - tf| on the digit:')).toBeLessThanOrEqual(1e-5);
  });

  it('shows the heatmap figures and the errata', () => {
    const figs = nb.displays.filter((d) => 'application/vnd.vegalite.v5+json' in d);
    expect(figs.length).toBe(2);
    for (const f of figs) expect(String(f['image/png']).length).toBeGreaterThan(1000);
    expect(nb.markdown).toMatch(/\*\*Errata\.\*\*.*high values/s);
    expect(nb.markdown).toMatch(/\*\*Errata\.\*\*.*floor/s);
  });

  it('rejects impossible shapes with one-line messages', () => {
    // 4 = (6 - 3)/1 + 1 for the valid convolution of the 6x6 image.
    expect(nb.stdout).toContain('valid output has the expected shape [1, 4, 4, 1]');
    expect(nb.stdout).toContain('ArgError: conv2d: kernel must be no larger than the padded input [6, 6], got [7, 7]');
    expect(nb.stdout).toContain('ArgError: convOutputSize: kernelSize must be a positive integer, got 2.5');
  });
});
