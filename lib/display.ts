/**
 * The only module of cnnlib that talks to the notebook kernel. A figure goes out as ONE
 * display_data message carrying several MIME types (e.g. vega-lite JSON for JupyterLab, SVG for
 * the static guide, text/plain for terminals), which tslab's own `display.raw` cannot do.
 * Outside a kernel (tests, scripts) the text/plain part is printed instead.
 * @see notebooks/q01-what-is-a-cnn.ipynb
 */
import { randomBytes } from 'crypto';
import { readFileSync } from 'fs';
import * as tf from '@tensorflow/tfjs';
import { argError } from './errors';
import { checkInRange, checkOneOf } from './check';
import { svgToPng, vegaLiteToSvg, VEGA_LITE_MIME, type VegaLiteSpec } from './viz/render';
import { PLOTLY_MIME, plotlyToVegaLiteSpec, type PlotlyFigure } from './viz/plotly';
import { metricOf, trainingCurvesSpec, type CurvePoint } from './viz/training';

/** MIME type -> payload. JSON types (`application/*json`) take objects; binary images take bytes. */
export type MimeBundle = Record<string, string | object | Uint8Array>;

type WriteDisplayData = (
  content: { data: Record<string, unknown>; metadata: Record<string, unknown>; transient: { display_id?: string } },
  update: boolean,
) => void;

/** tslab's hook for the cell being executed, or undefined outside a tslab kernel. */
function kernelWriter(): WriteDisplayData | undefined {
  try {
    // Same module instance as the running kernel: both resolve to node_modules/tslab.
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const jupyter = require('tslab/dist/jupyter') as { lastWriteDisplayData: WriteDisplayData | null };
    return jupyter.lastWriteDisplayData ?? undefined;
  } catch {
    return undefined;
  }
}

/**
 * True when running inside a tslab kernel cell (figures are sent as display data), false in tests
 * and scripts (figures fall back to their text/plain part).
 * @example if (!inKernel()) console.log('no notebook here');
 * @see notebooks/q01-what-is-a-cnn.ipynb
 */
export function inKernel(): boolean {
  return kernelWriter() !== undefined;
}

/**
 * Encode a bundle as Jupyter expects: bytes as base64, JSON types as objects, text as strings; adds a
 * text/plain part when missing.
 * @throws ArgError on an empty bundle, a key that is not a MIME type, or an object for a non-JSON type
 * @example encodeBundle({ 'image/png': bytes })  // { 'image/png': 'iVBOR...', 'text/plain': '<figure: image/png>' }
 * @see notebooks/q01-what-is-a-cnn.ipynb
 */
export function encodeBundle(bundle: MimeBundle): Record<string, unknown> {
  const fn = 'encodeBundle';
  const keys = Object.keys(bundle);
  if (keys.length === 0) argError(fn, 'bundle', 'must have at least one MIME type', bundle);
  const data: Record<string, unknown> = {};
  for (const mime of keys) {
    if (!/^[a-z]+\/[a-z0-9.+-]+$/i.test(mime)) argError(fn, 'bundle', 'keys must be MIME types like image/png', mime);
    const v = bundle[mime];
    if (v instanceof Uint8Array) data[mime] = Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64');
    else if (typeof v === 'string') data[mime] = v;
    else if (/json$/.test(mime)) data[mime] = v;
    else argError(fn, `bundle['${mime}']`, 'must be a string or bytes (only JSON MIME types take objects)', v);
  }
  if (!('text/plain' in data)) data['text/plain'] = `<figure: ${keys.join(', ')}>`;
  return data;
}

/**
 * Show one output with several MIME types. Inside a kernel it is one display_data message; outside,
 * its text/plain part is printed.
 * @example show({ 'image/svg+xml': svg, 'text/plain': 'filters of conv1' })
 * @see notebooks/q01-what-is-a-cnn.ipynb
 */
export function show(bundle: MimeBundle, metadata: Record<string, unknown> = {}): void {
  const data = encodeBundle(bundle);
  const write = kernelWriter();
  if (write) write({ data, metadata, transient: {} }, false);
  else console.log(String(data['text/plain']));
}

/**
 * A display that is replaced in place: the first `update` shows it, later ones overwrite it, so a
 * static export keeps only the last frame (training curves, progress).
 * @example const live = new LiveDisplay(); for (...) live.update({ 'text/plain': `epoch ${e}` });
 * @see notebooks/q01-what-is-a-cnn.ipynb
 */
export class LiveDisplay {
  readonly id = randomBytes(8).toString('hex');
  private shown = false;
  private lastText = '';

  update(bundle: MimeBundle, metadata: Record<string, unknown> = {}): void {
    const data = encodeBundle(bundle);
    const write = kernelWriter();
    if (write) {
      write({ data, metadata, transient: { display_id: this.id } }, this.shown);
    } else {
      // Outside a kernel print only changes, so logs stay short.
      const text = String(data['text/plain']);
      if (text !== this.lastText) console.log(text);
      this.lastText = text;
    }
    this.shown = true;
  }
}

/**
 * Show an HTML fragment (tables), with its tags stripped as the text/plain part.
 * @example html('<table><tr><td>conv1</td><td>320</td></tr></table>');
 * @see notebooks/q01-what-is-a-cnn.ipynb
 */
export function html(markup: string, text = ''): void {
  show({ 'text/html': markup, 'text/plain': text || markup.replace(/<[^>]+>/g, '') });
}

/**
 * Show a Vega-Lite figure: the spec for JupyterLab (interactive), an SVG for the static guide and
 * viewers such as GitHub, and a PNG fallback, all in one output.
 * @param opts.text the text/plain part (default: the spec's title)
 * @example await showVegaLite(imageGrid(digits));
 * @see notebooks/q01-what-is-a-cnn.ipynb
 */
export async function showVegaLite(spec: VegaLiteSpec, opts: { text?: string; live?: LiveDisplay } = {}): Promise<void> {
  const bundle = await vegaLiteBundle(spec, { text: opts.text });
  if (opts.live) opts.live.update(bundle);
  else show(bundle);
}

/**
 * The bundle {@link showVegaLite} sends: the spec (JupyterLab), an SVG (static guide, GitHub) and a PNG.
 * @param opts.text the text/plain part (default `<Vega-Lite figure: title>`)
 * @throws ArgError when the spec does not compile
 * @example const b = await vegaLiteBundle(spec); Object.keys(b)  // [vega-lite MIME, 'image/svg+xml', 'image/png', 'text/plain']
 * @see notebooks/q07-feature-maps.ipynb
 */
export async function vegaLiteBundle(spec: VegaLiteSpec, opts: { text?: string } = {}): Promise<MimeBundle> {
  const svg = await vegaLiteToSvg(spec);
  return {
    [VEGA_LITE_MIME]: spec,
    'image/svg+xml': svg,
    'image/png': svgToPng(svg),
    'text/plain': opts.text ?? `<Vega-Lite figure: ${titleText(spec.title)}>`,
  };
}

function titleText(t: unknown): string {
  if (typeof t === 'string') return t || 'figure';
  if (t && typeof t === 'object' && typeof (t as { text?: unknown }).text === 'string') return (t as { text: string }).text || 'figure';
  return 'figure';
}

// ---------------------------------------------------------------------------------------------
// Plotly: the plotly MIME type for JupyterLab's plotly extension, HTML that runs plotly.js (inlined
// once per kernel session), and a static SVG/PNG from the figure's Vega-Lite equivalent.

/** Whether this process (one kernel session) has already sent plotly.js inside an output. */
let plotlyInlined = false;

/** JSON for a <script> element: no `</script>` or `<!--` can end or bend it. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

function plotlySource(): string {
  const file = require.resolve('plotly.js-dist/plotly.js');
  // Defensive: a literal `</script` or `<!--` inside the library would end or bend the element.
  return readFileSync(file, 'utf8').replace(/<\/script/gi, '<\\/script').replace(/<!--/g, '<\\!--');
}

/**
 * The bundle {@link showPlotly} sends. Its HTML draws the figure with `window.Plotly`; when
 * `includeLibrary` is true it first defines it by inlining `node_modules/plotly.js-dist/plotly.js`
 * (about 11 MB; require.js's `define` is hidden while it loads). Until plotly.js is there (say,
 * the first figure's output was cleared), the HTML shows the static PNG instead.
 * @param opts.includeLibrary inline plotly.js (default false); opts.text the text/plain part
 * @throws ArgError when the figure has a trace type with no static view (see lib/viz/plotly.ts)
 * @example const b = await plotlyBundle(plotlySurfaceSpec(z), { includeLibrary: true });
 * @see notebooks/q07-feature-maps.ipynb
 */
export async function plotlyBundle(fig: PlotlyFigure, opts: { includeLibrary?: boolean; text?: string } = {}): Promise<MimeBundle> {
  const still = plotlyToVegaLiteSpec(fig);
  const svg = await vegaLiteToSvg(still);
  const png = svgToPng(svg);
  const id = `cnn-plotly-${randomBytes(6).toString('hex')}`;
  const pngB64 = Buffer.from(png.buffer, png.byteOffset, png.byteLength).toString('base64');
  const library = opts.includeLibrary
    ? `<script>window.__cnnDefine = window.define; window.define = undefined;</script>\n<script>${plotlySource()}</script>\n` +
      `<script>window.define = window.__cnnDefine; delete window.__cnnDefine;</script>\n`
    : '';
  const draw =
    `<script>(function () {\n` +
    `  var el = document.getElementById(${scriptJson(id)});\n` +
    `  if (!el || !window.Plotly) return;\n` +
    `  var fig = ${scriptJson({ data: fig.data, layout: fig.layout ?? {} })};\n` +
    `  el.innerHTML = '';\n` +
    `  window.Plotly.newPlot(el, fig.data, fig.layout, { responsive: true });\n` +
    `})();</script>`;
  const html =
    library +
    `<div id="${id}" class="cnn-plotly"><img alt="static view of the figure" src="data:image/png;base64,${pngB64}" style="max-width: 100%"></div>\n` +
    draw;
  return {
    [PLOTLY_MIME]: { data: fig.data, layout: fig.layout ?? {} },
    'text/html': html,
    'image/svg+xml': svg,
    'image/png': png,
    'text/plain': opts.text ?? `<Plotly figure: ${titleText(fig.layout?.title)}>`,
  };
}

/**
 * Show a plotly figure: interactive in JupyterLab (plotly extension) and in the HTML guide (the
 * first plotly figure of a kernel session carries plotly.js, later ones reuse `window.Plotly`), and
 * a static SVG/PNG elsewhere. Use it for the one or two figures that need interaction; Vega-Lite
 * ({@link showVegaLite}) is the default.
 * @throws ArgError when the figure has a trace type with no static view
 * @example await showPlotly(plotlySurfaceSpec(lossGrid, { title: 'loss surface' }));
 * @see notebooks/q07-feature-maps.ipynb
 */
export async function showPlotly(fig: PlotlyFigure, opts: { text?: string } = {}): Promise<void> {
  const includeLibrary = inKernel() && !plotlyInlined;
  show(await plotlyBundle(fig, { includeLibrary, text: opts.text }));
  if (includeLibrary) plotlyInlined = true;
}

// ---------------------------------------------------------------------------------------------
// Live training monitor.

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
  private pending: Promise<void> = Promise.resolve();

  constructor(opts: TrainingMonitorOptions = {}) {
    super();
    const fn = 'trainingMonitor';
    this.opts = {
      title: opts.title ?? 'Training',
      every: checkOneOf(fn, 'opts.every', opts.every ?? 'epoch', ['epoch', 'batch'] as const),
      minIntervalMs: checkInRange(fn, 'opts.minIntervalMs', opts.minIntervalMs ?? 2000, 0, 3_600_000),
      figure: opts.figure ?? true,
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
 * @throws ArgError on an unknown `every` or a negative interval
 * @example await model.fit(xs, ys, { epochs: 3, batchSize: 64, callbacks: trainingMonitor({ title: 'MNIST CNN' }) });
 * @see notebooks/q07-feature-maps.ipynb
 */
export function trainingMonitor(opts: TrainingMonitorOptions = {}): TrainingMonitor {
  return new TrainingMonitor(opts);
}
