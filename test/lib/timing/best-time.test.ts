import { describe, expect, it } from 'vitest';
import { bestTimeMs, bestTimesMs } from '../../../lib/timing/best-time';

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

describe('bestTimesMs', () => {
  const busy = (ms: number) => {
    const end = performance.now() + ms;
    while (performance.now() < end);
  };

  it('runs the candidates in interleaved rounds and keeps each one\'s fastest run', () => {
    const order: string[] = [];
    const times = bestTimesMs([() => { order.push('a'); busy(4); }, () => { order.push('b'); }], { repeats: 2, warmup: 1 });
    expect(order.join('')).toBe('ababab'); // one warm-up round, then two timed rounds
    expect(times).toHaveLength(2);
    expect(times[0]).toBeGreaterThanOrEqual(4);
    expect(times[1]).toBeLessThan(4);
  });

  it('a slow round does not decide the time: the minimum over rounds is kept', () => {
    let round = 0;
    const times = bestTimesMs([() => { round++; busy(round === 1 ? 30 : 0); }], { repeats: 3, warmup: 0 });
    expect(times[0]).toBeLessThan(30);
  });

  it('rejects bad arguments', () => {
    expect(() => bestTimesMs([])).toThrow('bestTimesMs: runs must be a non-empty array of functions, got []');
    expect(() => bestTimesMs([() => 0, 7 as unknown as () => void])).toThrow('bestTimesMs: runs[1] must be a function, got 7');
    expect(() => bestTimesMs([() => 0], { repeats: 1.5 })).toThrow('bestTimesMs: opts.repeats must be a positive integer, got 1.5');
  });
});
