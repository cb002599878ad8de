/**
 * One experiment repeated under several seeds, with its spread: the mean, median, min and max of what
 * each run returned. A conclusion drawn from training rests on such a spread, not on one run.
 * @see notebooks/q04-pooling.ipynb
 */
import { argError } from '../errors';
import { checkFunction } from '../check';
import { seed } from './seed';

/** At most this many seeds in one call (each is a full run). */
const MAX_SEEDS = 1000;

/** What {@link overSeeds} returns: each run's result and their spread, per component. */
export interface SeedRuns {
  /** The seeds, in the order they ran. */
  seeds: number[];
  /** values[i] is what the run under seeds[i] returned, as an array (a number n becomes [n]). */
  values: number[][];
  /** Per component k: the mean over seeds of values[i][k]. */
  mean: number[];
  /** Per component k: the median over seeds (the middle value; for an even count, the mean of the two middle ones). */
  median: number[];
  /** Per component k: the smallest values[i][k]. */
  min: number[];
  /** Per component k: the largest values[i][k]. */
  max: number[];
}

/**
 * Runs `run(s)` once for each seed `s` in order, calling `seed(s)` first (so a model built and trained
 * inside the run is reproducible), and returns every result with its mean, min and max. A run returns
 * one number (an accuracy, say) or a fixed-length array of numbers (an accuracy per shift, say); the
 * spread is taken per component. An error thrown by `run` comes through unchanged.
 * @param seeds 1 to 1000 distinct safe integers
 * @param run called as `await run(s)` right after `seed(s)`; returns a finite number or a non-empty array
 *   of finite numbers, of the same length for every seed
 * @returns {@link SeedRuns}; after it, Math.random stays seeded with the last seed
 * @throws ArgError when seeds is not such a list, run is not a function, or a run returns anything else
 * @example
 *   const r = await overSeeds([1, 2, 3], async () => {
 *     const m = q1Cnn();  // built after seed(s)
 *     m.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
 *     await m.fit(train.xs, train.labels, { epochs: 1, verbose: 0 });
 *     const acc = accuracy(m, test.xs, test.labels);
 *     m.dispose();
 *     return acc;
 *   });
 *   r.mean[0], r.median[0], r.min[0], r.max[0]  // e.g. 0.93, 0.93, 0.92, 0.94
 * @see notebooks/q04-pooling.ipynb
 */
export async function overSeeds(
  seeds: readonly number[],
  run: (seed: number) => number | readonly number[] | Promise<number | readonly number[]>,
): Promise<SeedRuns> {
  const fn = 'overSeeds';
  if (!Array.isArray(seeds) || seeds.length < 1 || seeds.length > MAX_SEEDS) {
    argError(fn, 'seeds', `must be an array of 1 to ${MAX_SEEDS} seeds`, seeds);
  }
  seeds.forEach((s, i) => {
    if (typeof s !== 'number' || !Number.isSafeInteger(s)) argError(fn, `seeds[${i}]`, 'must be a safe integer', s);
    if (seeds.indexOf(s) !== i) argError(fn, `seeds[${i}]`, 'must differ from the seeds before it', s);
  });
  checkFunction(fn, 'run', run);
  const values: number[][] = [];
  for (const s of seeds) {
    seed(s);
    const result = await run(s);
    const row = typeof result === 'number' ? [result] : result;
    const what = `run(${s}) result`;
    if (!Array.isArray(row) || row.length === 0) argError(fn, what, 'must be a number or a non-empty array of numbers', result);
    row.forEach((v, k) => {
      if (typeof v !== 'number' || !Number.isFinite(v)) argError(fn, `${what}[${k}]`, 'must be a finite number', v);
    });
    if (values.length > 0 && row.length !== values[0].length) {
      argError(fn, what, `must have ${values[0].length} entries, as the first run's did`, result);
    }
    values.push([...row]);
  }
  const width = values[0].length;
  const column = (k: number) => values.map((v) => v[k]);
  const ks = Array.from({ length: width }, (_, k) => k);
  return {
    seeds: [...seeds],
    values,
    mean: ks.map((k) => column(k).reduce((a, b) => a + b, 0) / values.length),
    median: ks.map((k) => {
      const v = column(k).sort((a, b) => a - b);
      const mid = v.length >> 1;
      return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
    }),
    min: ks.map((k) => Math.min(...column(k))),
    max: ks.map((k) => Math.max(...column(k))),
  };
}
