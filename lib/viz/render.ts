/**
 * Static renders of figure specs, in Node and with no network: Vega-Lite -> SVG through vega's
 * headless View, SVG -> PNG through resvg. The guide and static viewers show these; JupyterLab
 * shows the interactive spec.
 * @see notebooks/q01-what-is-a-cnn.ipynb
 */
import * as vega from 'vega';
import * as vl from 'vega-lite';
import { argError, ArgError } from '../errors';
import { checkFinite, checkOptionKeys, MAX_ELEMENTS } from '../check';

/** A Vega-Lite v5 spec, as plain JSON. */
export type VegaLiteSpec = Record<string, unknown>;

/** Vega-Lite's schema URL for the v5 line; JupyterLab renders `application/vnd.vegalite.v5+json`. */
export const VEGA_LITE_SCHEMA = 'https://vega.github.io/schema/vega-lite/v5.json';
export const VEGA_LITE_MIME = 'application/vnd.vegalite.v5+json';

/**
 * Render a Vega-Lite spec to an SVG document.
 * @throws ArgError when the spec does not compile (the message carries vega-lite's reason)
 * @example const svg = await vegaLiteToSvg(imageGridSpec(images));  // '<svg ...'
 * @see notebooks/q01-what-is-a-cnn.ipynb
 */
export async function vegaLiteToSvg(spec: VegaLiteSpec): Promise<string> {
  return svgAs('vegaLiteToSvg', spec);
}

/** {@link vegaLiteToSvg} reporting errors under the name `fn` (display/ shows figures through it). @internal */
export async function svgAs(fn: string, spec: VegaLiteSpec): Promise<string> {
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) argError(fn, 'spec', 'must be a Vega-Lite v5 spec (an object)', spec);
  let view: vega.View;
  try {
    const compiled = vl.compile(spec as unknown as vl.TopLevelSpec).spec;
    view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  } catch (e) {
    throw new ArgError(`${fn}: spec must be valid Vega-Lite v5, got an error: ${String((e as Error)?.message ?? e).split('\n')[0]}`);
  }
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/**
 * Rasterize an SVG document to PNG bytes.
 * @param opts.scale pixel density, > 0 (default 2, sharp on high-DPI screens); the image may have at most
 *   MAX_ELEMENTS (2^28) pixels
 * @throws ArgError when svg is not an SVG document, or the scale is not a positive number or makes too
 *   many pixels
 * @example const png = svgToPng(await vegaLiteToSvg(spec));  // PNG bytes
 * @see notebooks/q01-what-is-a-cnn.ipynb
 */
export function svgToPng(svg: string, opts: { scale?: number } = {}): Uint8Array {
  return pngAs('svgToPng', svg, opts);
}

/** {@link svgToPng} reporting errors under the name `fn`. @internal */
export function pngAs(fn: string, svg: string, opts: { scale?: number } = {}): Uint8Array {
  if (typeof svg !== 'string') argError(fn, 'svg', 'must be an SVG document (a string)', svg);
  checkOptionKeys(fn, 'opts', opts, ['scale']);
  const scale = checkFinite(fn, 'opts.scale', opts.scale ?? 2);
  if (scale <= 0) argError(fn, 'opts.scale', 'must be > 0', scale);
  // Loaded lazily: a native module that only the PNG path needs.
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { Resvg } = require('@resvg/resvg-js') as typeof import('@resvg/resvg-js');
  let doc: InstanceType<typeof Resvg>;
  try {
    doc = new Resvg(svg, { fitTo: { mode: 'zoom', value: scale }, background: 'white' });
  } catch (e) {
    throw new ArgError(`${fn}: svg must be an SVG document, got an error: ${String((e as Error)?.message ?? e).split('\n')[0]}`);
  }
  const pixels = Math.ceil(doc.width * scale) * Math.ceil(doc.height * scale);
  if (!(pixels <= MAX_ELEMENTS)) argError(fn, 'opts.scale', `must leave at most ${MAX_ELEMENTS} pixels (2^28) for a ${doc.width} x ${doc.height} SVG`, scale);
  return new Uint8Array(doc.render().asPng());
}
