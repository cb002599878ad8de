import { describe, expect, it } from 'vitest';
import { bestTimeMs } from '../../../lib/backend/timing';

describe('bestTimeMs', () => {
  it('warms up, then returns the fastest of the timed runs', () => {
    let calls = 0;
    // Busy-wait 30 ms on the first two calls, ~0 ms afterwards: the warm-up absorbs the first slow call.
    const run = () => {
      calls++;
      if (calls <= 2) {
        const end = performance.now() + 30;
        while (performance.now() < end);
      }
    };
    const ms = bestTimeMs(run, { repeats: 3, warmup: 1 });
    expect(calls).toBe(4);
    expect(ms).toBeLessThan(30);
  });

  it('times a known delay', () => {
    const ms = bestTimeMs(() => {
      const end = performance.now() + 5;
      while (performance.now() < end);
    }, { repeats: 2, warmup: 0 });
    expect(ms).toBeGreaterThanOrEqual(5);
  });

  it('rejects bad arguments', () => {
    expect(() => bestTimeMs(() => 0, { repeats: 0 })).toThrow('bestTimeMs: opts.repeats must be a positive integer, got 0');
    expect(() => bestTimeMs(() => 0, { warmup: -1 })).toThrow('bestTimeMs: opts.warmup must be a non-negative integer, got -1');
    expect(() => bestTimeMs(42 as unknown as () => void)).toThrow('bestTimeMs: run must be a function, got 42');
  });
});
