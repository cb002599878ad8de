/**
 * Static renders of figure specs, in Node and with no network: Vega-Lite -> SVG through vega's
 * headless View, SVG -> PNG through resvg. The guide and static viewers show these; JupyterLab
 * shows the interactive spec.
 * @see notebooks/q01-what-is-a-cnn.ipynb
 */
import * as vega from 'vega';
import * as vl from 'vega-lite';
import { ArgError } from '../errors';

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
  let compiled: vega.Spec;
  try {
    compiled = vl.compile(spec as unknown as vl.TopLevelSpec).spec;
  } catch (e) {
    throw new ArgError(`vegaLiteToSvg: spec must be valid Vega-Lite v5, got an error: ${(e as Error).message}`);
  }
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/**
 * Rasterize an SVG document to PNG bytes.
 * @param opts.scale pixel density (default 2, sharp on high-DPI screens)
 * @example const png = svgToPng(await vegaLiteToSvg(spec));  // PNG bytes
 * @see notebooks/q01-what-is-a-cnn.ipynb
 */
export function svgToPng(svg: string, opts: { scale?: number } = {}): Uint8Array {
  // Loaded lazily: a native module that only the PNG path needs.
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { Resvg } = require('@resvg/resvg-js') as typeof import('@resvg/resvg-js');
  const png = new Resvg(svg, { fitTo: { mode: 'zoom', value: opts.scale ?? 2 }, background: 'white' }).render().asPng();
  return new Uint8Array(png);
}
