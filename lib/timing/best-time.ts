/**
 * Timing a computation the way a benchmark should on a shared machine: warm up first (kernels are
 * compiled, buffers allocated), then keep the fastest of several runs, the one least disturbed by
 * other processes.
 * @see notebooks/q23-alternative-convolutions.ipynb
 */
import { checkNonNegativeInt, checkOptionKeys, checkPositiveInt, MAX_STEPS } from '../check';
import { argError } from '../errors';

/**
 * Milliseconds of the fastest of `repeats` runs of `run`, after `warmup` untimed runs. `run` must
 * finish its work before returning (read a result with dataSync, or dispose it).
 * @param opts.repeats timed runs (default 5); opts.warmup untimed runs first (default 1); each at most
 *   MAX_STEPS (100,000)
 * @throws ArgError when run is not a function or a count is not an integer (repeats >= 1, warmup >= 0) up
 *   to MAX_STEPS
 * @example bestTimeMs(() => tf.tidy(() => model.predict(x)).dataSync(), { repeats: 3 })  // 12.4
 * @see notebooks/q23-alternative-convolutions.ipynb
 */
export function bestTimeMs(run: () => unknown, opts: { repeats?: number; warmup?: number } = {}): number {
  const fn = 'bestTimeMs';
  if (typeof run !== 'function') argError(fn, 'run', 'must be a function', run);
  const { repeats, warmup } = counts(fn, opts);
  return fastestInRounds([run], repeats, warmup)[0];
}

/**
 * Milliseconds of the fastest run of each function in `runs`, timed in interleaved rounds: every
 * round runs each function once, in order, so a burst of load from another process slows every
 * candidate alike instead of one of them. Use it to compare designs; `bestTimeMs` times one.
 * @param runs functions to compare (at least one); each must finish its work before returning
 * @param opts.repeats timed rounds (default 5); opts.warmup untimed rounds first (default 1)
 * @returns one time per function, in the order of `runs`
 * @throws ArgError when runs is empty or holds a non-function, or a count is not an integer
 * @example bestTimesMs([() => convA(x).dataSync(), () => convB(x).dataSync()])  // [29.4, 6.4]
 * @see notebooks/q23-alternative-convolutions.ipynb
 */
export function bestTimesMs(runs: readonly (() => unknown)[], opts: { repeats?: number; warmup?: number } = {}): number[] {
  const fn = 'bestTimesMs';
  if (!Array.isArray(runs) || runs.length === 0) argError(fn, 'runs', 'must be a non-empty array of functions', runs);
  runs.forEach((run, i) => {
    if (typeof run !== 'function') argError(fn, `runs[${i}]`, 'must be a function', run);
  });
  const { repeats, warmup } = counts(fn, opts);
  return fastestInRounds(runs, repeats, warmup);
}

function counts(fn: string, opts: { repeats?: number; warmup?: number }): { repeats: number; warmup: number } {
  checkOptionKeys(fn, 'opts', opts, ['repeats', 'warmup']);
  return {
    repeats: checkPositiveInt(fn, 'opts.repeats', opts.repeats ?? 5, MAX_STEPS),
    warmup: checkNonNegativeInt(fn, 'opts.warmup', opts.warmup ?? 1, MAX_STEPS),
  };
}

/** `warmup` untimed rounds, then `repeats` timed ones; each function's fastest run. */
function fastestInRounds(runs: readonly (() => unknown)[], repeats: number, warmup: number): number[] {
  for (let r = 0; r < warmup; r++) for (const run of runs) run();
  const best = runs.map(() => Infinity);
  for (let r = 0; r < repeats; r++) {
    runs.forEach((run, i) => {
      const t0 = performance.now();
      run();
      best[i] = Math.min(best[i], performance.now() - t0);
    });
  }
  return best;
}
