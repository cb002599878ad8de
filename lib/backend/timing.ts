/**
 * Timing a computation the way a benchmark should on a shared machine: warm up first (kernels are
 * compiled, buffers allocated), then keep the fastest of several runs, the one least disturbed by
 * other processes.
 * @see notebooks/q23-alternative-convolutions.ipynb
 */
import { checkNonNegativeInt, checkPositiveInt } from '../check';
import { argError } from '../errors';

/**
 * Milliseconds of the fastest of `repeats` runs of `run`, after `warmup` untimed runs. `run` must
 * finish its work before returning (read a result with dataSync, or dispose it).
 * @param opts.repeats timed runs (default 5); opts.warmup untimed runs first (default 1)
 * @throws ArgError when run is not a function or a count is not an integer (repeats >= 1, warmup >= 0)
 * @example bestTimeMs(() => tf.tidy(() => model.predict(x)).dataSync(), { repeats: 3 })  // 12.4
 * @see notebooks/q23-alternative-convolutions.ipynb
 */
export function bestTimeMs(run: () => unknown, opts: { repeats?: number; warmup?: number } = {}): number {
  const fn = 'bestTimeMs';
  if (typeof run !== 'function') argError(fn, 'run', 'must be a function', run);
  const repeats = checkPositiveInt(fn, 'opts.repeats', opts.repeats ?? 5);
  const warmup = checkNonNegativeInt(fn, 'opts.warmup', opts.warmup ?? 1);
  for (let i = 0; i < warmup; i++) run();
  let best = Infinity;
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    run();
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}
