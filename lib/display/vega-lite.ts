/**
 * Showing a Vega-Lite figure: one output with the spec (interactive in JupyterLab), an SVG (the
 * static guide, GitHub) and a PNG fallback. The spec itself comes from a pure builder in lib/viz/.
 * @see notebooks/q01-what-is-a-cnn.ipynb
 */
import { checkOptionKeys, checkString } from '../check';
import { argError } from '../errors';
import { pngAs, svgAs, VEGA_LITE_MIME, type VegaLiteSpec } from '../viz/render';
import { LiveDisplay, showAs, type MimeBundle } from './kernel-output';

/**
 * Show a Vega-Lite figure: the spec for JupyterLab (interactive), an SVG for the static guide and
 * viewers such as GitHub, and a PNG fallback, all in one output.
 * @param opts.text the text/plain part (default: the spec's title); opts.live a {@link LiveDisplay} to update
 *   in place instead of a new output
 * @throws ArgError when the spec does not compile or an option is unknown or of the wrong type
 * @example await showVegaLite(imageGridSpec(digits));
 * @see notebooks/q01-what-is-a-cnn.ipynb
 */
export async function showVegaLite(spec: VegaLiteSpec, opts: { text?: string; live?: LiveDisplay } = {}): Promise<void> {
  const fn = 'showVegaLite';
  checkOptionKeys(fn, 'opts', opts, ['text', 'live']);
  if (opts.live !== undefined && !(opts.live instanceof LiveDisplay)) argError(fn, 'opts.live', 'must be a LiveDisplay', opts.live);
  const bundle = await bundleAs(fn, spec, { text: opts.text });
  if (opts.live) opts.live.updateAs(fn, bundle);
  else showAs(fn, bundle);
}

/**
 * The bundle {@link showVegaLite} sends: the spec (JupyterLab), an SVG (static guide, GitHub) and a PNG.
 * @param opts.text the text/plain part (default `<Vega-Lite figure: title>`)
 * @throws ArgError when the spec does not compile
 * @example const b = await vegaLiteBundle(spec); Object.keys(b)  // [vega-lite MIME, 'image/svg+xml', 'image/png', 'text/plain']
 * @see notebooks/q07-feature-maps.ipynb
 */
export async function vegaLiteBundle(spec: VegaLiteSpec, opts: { text?: string } = {}): Promise<MimeBundle> {
  return bundleAs('vegaLiteBundle', spec, opts);
}

async function bundleAs(fn: string, spec: VegaLiteSpec, opts: { text?: string }): Promise<MimeBundle> {
  checkOptionKeys(fn, 'opts', opts, ['text']);
  const text = opts.text === undefined ? undefined : checkString(fn, 'opts.text', opts.text);
  const svg = await svgAs(fn, spec);
  return {
    [VEGA_LITE_MIME]: spec,
    'image/svg+xml': svg,
    'image/png': pngAs(fn, svg),
    'text/plain': text ?? `<Vega-Lite figure: ${titleText(spec.title)}>`,
  };
}

/**
 * The text of a figure title, Vega-Lite's or plotly's (a string or `{ text }`), for a text/plain
 * part; 'figure' when there is none. Shared with plotly.ts; not in the barrel.
 * @example titleText({ text: 'loss', subtitle: 'epoch 3' })  // 'loss'
 */
export function titleText(t: unknown): string {
  if (typeof t === 'string') return t || 'figure';
  if (t && typeof t === 'object' && typeof (t as { text?: unknown }).text === 'string') return (t as { text: string }).text || 'figure';
  return 'figure';
}
