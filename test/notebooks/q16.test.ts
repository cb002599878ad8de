import { describe, expect, it } from 'vitest';
import { Executed } from './executed';

describe('q16-weight-initialization', () => {
  const nb = new Executed('q16-weight-initialization');

  it('runs clean', () => {
    nb.expectOk();
  });

  it("shows that the seed's models without Flatten output a map of class scores", () => {
    // conv 3x3 on 28x28 -> 26x26x32; dense(10) on the last axis: (32 + 1) * 10 weights.
    expect(nb.stdout).toContain('model_he: output shape [null,26,26,10], params ' + ((9 + 1) * 32 + (32 + 1) * 10));
    expect(nb.stdout).toContain('model_custom: output shape [null,26,26,32], params ' + (9 + 1) * 32);
    expect(nb.markdown).toMatch(/\*\*Errata\.\*\*.*Flatten/s);
  });

  it('prints sample standard deviations next to the formulas', () => {
    const fanIn = 3 * 3 * 64;
    const fanOut = 3 * 3 * 128;
    const formulas: Record<string, number> = {
      heNormal: Math.sqrt(2 / fanIn),
      glorotNormal: Math.sqrt(2 / (fanIn + fanOut)),
      glorotUniform: Math.sqrt(2 / (fanIn + fanOut)),
      leCunNormal: Math.sqrt(1 / fanIn),
    };
    // Std of a standard normal truncated at +-2: sqrt(1 - 2 * 2 * phi(2) / (2 * Phi(2) - 1)).
    const phi2 = Math.exp(-2) / Math.sqrt(2 * Math.PI);
    const truncated = Math.sqrt(1 - (4 * phi2) / 0.9544997361036416);
    for (const [name, f] of Object.entries(formulas)) {
      const m = nb.stdout.match(new RegExp(`${name}\\s+sample std ([\\d.]+)\\s+formula ([\\d.]+)\\s+ratio ([\\d.]+)`))!;
      expect(Number(m[2])).toBeCloseTo(f, 5);
      const expectedRatio = name === 'glorotUniform' ? 1 : truncated; // tfjs truncates without rescaling
      expect(Math.abs(Number(m[3]) - expectedRatio)).toBeLessThan(0.02);
    }
  });

  it('measures activation scale through depth: zeros die, 0.01 vanishes, rescaled He stays level', () => {
    const ratio = (name: string) => nb.stdout.match(new RegExp(`${name.replace(/[()]/g, '\\$&')}\\s+activation std.*\\(10/1 ratio ([^)]+)\\)`))![1];
    expect(ratio('zeros')).toBe('undefined');
    // sigma = 0.01 with n_in = 3*3*16: each ReLU layer scales the std by about sqrt(144 / 2) * 0.01.
    expect(Number(ratio('small random N(0, 0.01)'))).toBeLessThan((Math.sqrt(72) * 0.01) ** 9 * 100);
    const he = Number(ratio('He normal (rescaled)'));
    expect(he).toBeGreaterThan(0.3);
    expect(he).toBeLessThan(3);
  });

  it('shows the symmetry problem: equal starting filters stay equal', () => {
    const line = (name: string) => nb.stdout.match(new RegExp(`${name.replace(/[()]/g, '\\$&')}: distinct conv1 filters after training (\\d) of 8, test accuracy ([\\d.]+)%`))!;
    expect(line('zeros')[1]).toBe('1');
    expect(line('constant 0.05')[1]).toBe('1');
    expect(Number(line('zeros')[2])).toBeLessThan(20); // chance is 10%
    for (const name of ['small random N(0, 0.01)', 'Glorot uniform (default)', 'He normal (rescaled)']) {
      expect(line(name)[1]).toBe('8');
      expect(Number(line(name)[2])).toBeGreaterThan(70);
    }
    expect(nb.displays.filter((d) => 'application/vnd.vegalite.v5+json' in d)).toHaveLength(2);
  });
});
