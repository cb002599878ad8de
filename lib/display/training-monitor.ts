/**
 * The live training monitor: a `model.fit` callback that keeps one display up to date (the
 * training curves with a progress line), replaced in place so a saved notebook keeps the last frame.
 * @see notebooks/q07-feature-maps.ipynb
 */
import * as tf from '@tensorflow/tfjs';
import { checkBoolean, checkInRange, checkOneOf, checkOptionKeys, checkString } from '../check';
import type { VegaLiteSpec } from '../viz/render';
import { metricOf, trainingCurvesSpec, type CurvePoint } from '../viz/training';
import { inKernel, LiveDisplay } from './kernel-output';
import { showVegaLite } from './vega-lite';

/** Options of {@link trainingMonitor}. */
export interface TrainingMonitorOptions {
  /** Figure title (plain text; default 'Training'). */
  title?: string;
  /** 'epoch' (default): the curves get a point per epoch; 'batch': also the loss of every batch. */
  every?: 'epoch' | 'batch';
  /** Least time between two redraws inside an epoch, in ms (default 2000); epoch ends always redraw. */
  minIntervalMs?: number;
  /** false: progress text only, no figure (default true). */
  figure?: boolean;
}

/** The factory a TrainingMonitor is being made by, so that its messages name the function the user called. */
let calledAs: string | undefined;

const fmtSeconds = (s: number) => (s < 100 ? `${s.toFixed(1)} s` : `${Math.round(s)} s`);

/**
 * A `model.fit` callback that keeps ONE display up to date while training runs: the training curves
 * with a progress line (epoch i/n, batch, loss, elapsed, ETA) as the title. Each redraw replaces the
 * previous one, so a saved notebook keeps only the final frame. Outside a kernel it prints one
 * progress line per epoch instead.
 * Pass it as `callbacks: monitor` or in an array of tf.Callback objects (tfjs does not mix
 * tf.Callback instances with plain `{ onEpochEnd }` objects in one array).
 * @example await model.fit(xs, ys, { epochs: 2, callbacks: new TrainingMonitor({ title: 'MNIST' }) });
 * @see notebooks/q07-feature-maps.ipynb
 */
export class TrainingMonitor extends tf.Callback {
  readonly points: CurvePoint[] = [];
  private readonly live = new LiveDisplay();
  private readonly opts: Required<TrainingMonitorOptions>;
  private start = 0;
  private lastDraw = 0;
  private epoch = 0;
  private progress = 'waiting for training to start';

  constructor(opts: TrainingMonitorOptions = {}) {
    super();
    const fn = calledAs ?? 'TrainingMonitor';
    checkOptionKeys(fn, 'opts', opts, ['title', 'every', 'minIntervalMs', 'figure']);
    this.opts = {
      title: checkString(fn, 'opts.title', opts.title ?? 'Training'),
      every: checkOneOf(fn, 'opts.every', opts.every ?? 'epoch', ['epoch', 'batch'] as const),
      minIntervalMs: checkInRange(fn, 'opts.minIntervalMs', opts.minIntervalMs ?? 2000, 0, 3_600_000),
      figure: checkBoolean(fn, 'opts.figure', opts.figure ?? true),
    };
  }

  private get epochs(): number {
    return Number(this.params?.epochs ?? 0) || 1;
  }

  private get batchesPerEpoch(): number {
    const p = this.params ?? {};
    if (typeof p.steps === 'number' && p.steps > 0) return p.steps;
    if (typeof p.samples === 'number' && typeof p.batchSize === 'number' && p.batchSize > 0) return Math.ceil(p.samples / p.batchSize);
    return 0;
  }

  /** The current frame: the curves spec (undefined before the first point) and the progress line. */
  frame(): { spec?: VegaLiteSpec; text: string } {
    const text = `${this.opts.title}: ${this.progress}`;
    if (this.points.length === 0) return { text };
    return { spec: trainingCurvesSpec(this.points, { title: this.opts.title, subtitle: this.progress }), text };
  }

  private async draw(force: boolean): Promise<void> {
    const now = Date.now();
    if (!force && now - this.lastDraw < this.opts.minIntervalMs) return;
    this.lastDraw = now;
    const { spec, text } = this.frame();
    if (!inKernel()) {
      if (force) console.log(text);
      return;
    }
    if (spec && this.opts.figure) await showVegaLite(spec, { text, live: this.live });
    else this.live.update({ 'text/plain': text });
  }

  private status(epoch: number, done: number, loss?: number): string {
    const elapsed = (Date.now() - this.start) / 1000;
    const frac = Math.min(1, done / this.epochs);
    const eta = frac > 0 ? elapsed / frac - elapsed : NaN;
    const parts = [`epoch ${Math.min(epoch + 1, this.epochs)}/${this.epochs}`];
    if (loss !== undefined && Number.isFinite(loss)) parts.push(`loss ${loss.toFixed(4)}`);
    parts.push(`${fmtSeconds(elapsed)} elapsed`);
    if (frac < 1 && Number.isFinite(eta)) parts.push(`ETA ${fmtSeconds(eta)}`);
    return parts.join(' | ');
  }

  override async onTrainBegin(): Promise<void> {
    this.start = Date.now();
    this.progress = `epoch 1/${this.epochs} | starting`;
    await this.draw(true);
  }

  override async onEpochBegin(epoch: number): Promise<void> {
    this.epoch = epoch;
  }

  override async onBatchEnd(batch: number, logs?: tf.Logs): Promise<void> {
    const loss = await logValue(logs?.loss);
    const per = this.batchesPerEpoch;
    const done = this.epoch + (per > 0 ? Math.min(1, (batch + 1) / per) : 0);
    if (this.opts.every === 'batch' && loss !== undefined && Number.isFinite(loss)) {
      this.points.push({ step: done, panel: 'loss', series: 'train (batch)', value: loss });
    }
    this.progress = `${this.status(this.epoch, done, loss)}${per > 0 ? ` | batch ${batch + 1}/${per}` : ''}`;
    await this.draw(false);
  }

  override async onEpochEnd(epoch: number, logs?: tf.Logs): Promise<void> {
    for (const [key, v] of Object.entries(logs ?? {})) {
      const value = await logValue(v);
      if (value === undefined || !Number.isFinite(value)) continue;
      const { panel, split } = metricOf(key);
      this.points.push({ step: epoch + 1, panel, series: split, value });
    }
    const loss = await logValue(logs?.loss);
    this.progress = this.status(epoch, epoch + 1, loss);
    await this.draw(true);
  }

  override async onTrainEnd(): Promise<void> {
    const elapsed = (Date.now() - this.start) / 1000;
    const last = [...this.points].reverse().find((p) => p.panel === 'loss' && p.series === 'train');
    this.progress = `done: ${this.epochs} epochs in ${fmtSeconds(elapsed)}${last ? ` | final loss ${last.value.toFixed(4)}` : ''}`;
    await this.draw(true);
  }
}

async function logValue(v: unknown): Promise<number | undefined> {
  if (typeof v === 'number') return v;
  if (v instanceof tf.Tensor) return (await v.data())[0];
  return undefined;
}

/**
 * A live training monitor for `model.fit`: one display, updated in place (see {@link TrainingMonitor}).
 * @param opts.title; opts.every 'epoch' (default) or 'batch'; opts.minIntervalMs (default 2000); opts.figure (default true)
 * @throws ArgError on an unknown `every` or option, a negative interval, a title that is not a string, or a
 *   figure flag that is not a boolean
 * @example await model.fit(xs, ys, { epochs: 3, batchSize: 64, callbacks: trainingMonitor({ title: 'MNIST CNN' }) });
 * @see notebooks/q07-feature-maps.ipynb
 */
export function trainingMonitor(opts: TrainingMonitorOptions = {}): TrainingMonitor {
  calledAs = 'trainingMonitor';
  try {
    return new TrainingMonitor(opts);
  } finally {
    calledAs = undefined;
  }
}
