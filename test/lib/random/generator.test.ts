import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../lib/random/generator';
import { seed, unseed } from '../../../lib/random/seed';

/**
 * sfc32 and splitmix32 written again from their definitions in BigInt arithmetic (mod 2^32), so a
 * slip in the generator's 32-bit tricks (| 0, >>> 0, Math.imul) shows up as a different stream.
 */
function referenceStream(s: number, count: number): number[] {
  const M = 0xffffffffn;
  const u = (x: bigint) => x & M;
  let state = u(BigInt(s));
  const splitmix = () => {
    state = u(state + 0x9e3779b9n);
    let z = state;
    z = u((z ^ (z >> 16n)) * 0x85ebca6bn);
    z = u((z ^ (z >> 13n)) * 0xc2b2ae35n);
    return z ^ (z >> 16n);
  };
  const hi = u(BigInt(Math.floor(s / 4294967296)));
  let a = splitmix();
  let b = splitmix() ^ hi;
  let c = splitmix();
  let d = 1n;
  const next = () => {
    const t = u(a + b + d);
    d = u(d + 1n);
    a = b ^ (b >> 9n);
    b = u(c + (c << 3n));
    c = u((c << 21n) | (c >> 11n));
    c = u(c + t);
    return Number(t) / 4294967296;
  };
  for (let i = 0; i < 12; i++) next();
  return Array.from({ length: count }, next);
}

describe('seededRandom', () => {
  it('is sfc32 seeded by splitmix32, for small, large and negative seeds', () => {
    for (const s of [0, 1, 42, 20240611, 2 ** 40 + 3, -7]) {
      const rand = seededRandom(s);
      expect(Array.from({ length: 50 }, rand)).toEqual(referenceStream(s, 50));
    }
  });

  it('is uniform on [0, 1): mean, variance and a 10-bin chi-square within their sampling bounds', () => {
    const n = 100_000;
    const rand = seededRandom(3);
    const xs = Array.from({ length: n }, rand);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    const mean = xs.reduce((a, b) => a + b, 0) / n;
    expect(Math.abs(mean - 0.5)).toBeLessThan(5 * Math.sqrt(1 / 12 / n));
    const bins = new Array(10).fill(0);
    for (const x of xs) bins[Math.floor(x * 10)]++;
    const chi2 = bins.reduce((s, o) => s + (o - n / 10) ** 2 / (n / 10), 0);
    expect(chi2).toBeLessThan(27.9); // chi-square, 9 degrees of freedom, p = 0.001
  });

  it('gives different streams for different seeds, the same for the same seed', () => {
    const a = seededRandom(5), b = seededRandom(5), c = seededRandom(6);
    const sa = Array.from({ length: 20 }, a);
    expect(Array.from({ length: 20 }, b)).toEqual(sa);
    expect(Array.from({ length: 20 }, c)).not.toEqual(sa);
  });

  it('is the stream seed() installs as Math.random', () => {
    seed(11);
    const fromMath = Array.from({ length: 10 }, () => Math.random());
    unseed();
    const rand = seededRandom(11);
    expect(fromMath).toEqual(Array.from({ length: 10 }, rand));
  });

  it('rejects a seed that is not a safe integer, in one line', () => {
    expect(() => seededRandom(1.5)).toThrow(/^seededRandom: seed must be a safe integer, got 1\.5$/);
    expect(() => seededRandom(NaN)).toThrow(/^seededRandom: seed must be a safe integer, got NaN$/);
    expect(() => seededRandom('3' as unknown as number)).toThrow(/^seededRandom: seed must be a safe integer, got "3"$/);
  });
});
