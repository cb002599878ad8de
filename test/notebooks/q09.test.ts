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
});
