/**
 * Showing a plotly figure: the plotly MIME type for JupyterLab's plotly extension, HTML that shows a
 * static PNG and runs plotly.js where the page has it (the HTML guide loads it from a file; outputs never
 * inline it, which made a notebook 11 MB heavier per kernel session), and a static SVG/PNG from the
 * figure's Vega-Lite equivalent (lib/viz/plotly.ts).
 *
 * The HTML is filled from two module-level templates with named slots (`{{divId}}`): the page and
 * the plotly.js loader that goes into its `{{library}}` slot. {@link fillTemplate} escapes each value
 * for where its slot sits, so a figure title holding `</script>` stays data.
 * @see notebooks/q07-feature-maps.ipynb
 */
import { randomBytes } from 'crypto';
import { readFileSync } from 'fs';
import { argError } from '../errors';
import { checkBoolean, checkOptionKeys, checkString } from '../check';
import { PLOTLY_MIME, plotlyStillAs, type PlotlyFigure } from '../viz/plotly';
import { pngAs, svgAs } from '../viz/render';
import { showAs, type MimeBundle } from './kernel-output';
import { titleText } from './vega-lite';

// ---------------------------------------------------------------------------------------------
// Templates.

/** Trusted markup for a slot outside <script>, inserted as is: a filled template, never user data. */
export class Markup {
  constructor(readonly html: string) {}
}

/** Trusted JavaScript for a slot inside <script> (plotly.js itself), inserted as code, not as JSON. */
export class ScriptSource {
  constructor(readonly code: string) {}
}

/**
 * plotly.js, defined as `window.Plotly`. require.js's `define` is hidden while it loads, or its UMD
 * wrapper would register an AMD module instead.
 */
const LIBRARY_TEMPLATE = `<script>window.__cnnDefine = window.define; window.define = undefined;</script>
<script>{{plotlyJs}}</script>
<script>window.define = window.__cnnDefine; delete window.__cnnDefine;</script>
`;

/** The page: the static PNG in a div, replaced by the interactive figure once `window.Plotly` is there. */
const PAGE_TEMPLATE = `{{library}}<div id="{{divId}}" class="cnn-plotly"><img alt="static view of the figure" src="data:image/png;base64,{{pngBase64}}" style="max-width: 100%"></div>
<script>(function () {
  var el = document.getElementById({{divId}});
  if (!el || !window.Plotly) return;
  var fig = {{figure}};
  el.innerHTML = '';
  window.Plotly.newPlot(el, fig.data, fig.layout, { responsive: true });
})();</script>`;

const SLOT = /\{\{([A-Za-z][A-Za-z0-9]*)\}\}/g;

/** HTML text or attribute value. */
const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/** JSON for a <script> element: no `</script>` or `<!--` can end or bend it. */
function scriptJson(value: unknown): string | undefined {
  return JSON.stringify(value)?.replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** Defensive: a literal `</script` or `<!--` inside a library would end or bend the element. */
const scriptCode = (code: string) => code.replace(/<\/script/gi, '<\\/script').replace(/<!--/g, '<\\!--');

/**
 * Fill every `{{name}}` slot of an HTML template in one pass (inserted values are not searched for
 * slots), escaped for where the slot sits:
 * - outside `<script>`: a string is HTML-escaped (text or attribute value); a {@link Markup} goes in as is;
 * - inside `<script>`: a {@link ScriptSource} goes in as code with `</script` and `<!--` neutralized;
 *   any other value as JSON with `<`, U+2028 and U+2029 escaped (a string becomes a JS string literal).
 * A slot may appear several times, in either place. Not in the barrel: plotly.ts's own machinery.
 * @returns the filled page, as {@link Markup} (so it can fill a slot of another template)
 * @throws ArgError when a slot has no value, a value names no slot, or a value does not fit where its slot sits
 * @example fillTemplate('<b>{{who}}</b><script>var x = {{x}};</script>', { who: 'a<b', x: [1] }).html
 *   // '<b>a&lt;b</b><script>var x = [1];</script>'
 */
export function fillTemplate(template: string, values: Record<string, unknown>): Markup {
  const fn = 'fillTemplate';
  const slots = new Set([...template.matchAll(SLOT)].map((m) => m[1]));
  for (const name of Object.keys(values)) {
    if (!slots.has(name)) argError(fn, 'values', `must name only slots of the template (${[...slots].join(', ')})`, name);
  }
  const lower = template.toLowerCase();
  const filled = template.replace(SLOT, (_, name: string, at: number) => {
    const value = values[name];
    if (value === undefined) argError(fn, `values.${name}`, `must fill the slot {{${name}}} of the template`, value);
    const before = lower.slice(0, at);
    const inScript = before.lastIndexOf('<script') > before.lastIndexOf('</script');
    if (inScript) {
      if (value instanceof ScriptSource) return scriptCode(value.code);
      const json = value instanceof Markup ? undefined : scriptJson(value);
      if (json === undefined) argError(fn, `values.${name}`, 'inside <script> must be a JSON value or a ScriptSource', value);
      return json;
    }
    if (value instanceof Markup) return value.html;
    if (typeof value !== 'string') argError(fn, `values.${name}`, 'outside <script> must be a string or Markup', value);
    return escapeHtml(value);
  });
  return new Markup(filled);
}

// ---------------------------------------------------------------------------------------------
// Plotly output.

function plotlySource(): ScriptSource {
  return new ScriptSource(readFileSync(require.resolve('plotly.js-dist/plotly.js'), 'utf8'));
}

/**
 * The bundle {@link showPlotly} sends. Its HTML draws the figure with `window.Plotly` where the page
 * defines it (the HTML guide loads plotly.js from a file) and shows the static PNG otherwise; only when
 * `includeLibrary` is true does it define it itself by inlining `node_modules/plotly.js-dist/plotly.js`
 * (about 11 MB; require.js's `define` is hidden while it loads), for a stand-alone HTML page.
 * @param opts.includeLibrary inline plotly.js (default false; showPlotly never does); opts.text the text/plain part
 * @throws ArgError when the figure has a trace type with no static view (see lib/viz/plotly.ts), or an
 *   option is unknown or of the wrong type
 * @example const b = await plotlyBundle(plotlySurfaceSpec(z), { includeLibrary: true });
 * @see notebooks/q07-feature-maps.ipynb
 */
export async function plotlyBundle(fig: PlotlyFigure, opts: { includeLibrary?: boolean; text?: string } = {}): Promise<MimeBundle> {
  const fn = 'plotlyBundle';
  checkOptionKeys(fn, 'opts', opts, ['includeLibrary', 'text']);
  return bundleAs(fn, fig, checkBoolean(fn, 'opts.includeLibrary', opts.includeLibrary ?? false), opts.text);
}

async function bundleAs(fn: string, fig: PlotlyFigure, includeLibrary: boolean, textOpt: unknown): Promise<MimeBundle> {
  const text = textOpt === undefined ? undefined : checkString(fn, 'opts.text', textOpt);
  const still = plotlyStillAs(fn, fig);
  const svg = await svgAs(fn, still);
  const png = pngAs(fn, svg);
  const figure = { data: fig.data, layout: fig.layout ?? {} };
  const page = fillTemplate(PAGE_TEMPLATE, {
    library: includeLibrary ? fillTemplate(LIBRARY_TEMPLATE, { plotlyJs: plotlySource() }) : new Markup(''),
    divId: `cnn-plotly-${randomBytes(6).toString('hex')}`,
    pngBase64: Buffer.from(png.buffer, png.byteOffset, png.byteLength).toString('base64'),
    figure,
  });
  return {
    [PLOTLY_MIME]: figure,
    'text/html': page.html,
    'image/svg+xml': svg,
    'image/png': png,
    'text/plain': text ?? `<Plotly figure: ${titleText(fig.layout?.title)}>`,
  };
}

/**
 * Show a plotly figure: the figure as plotly JSON (interactive in JupyterLab with its plotly extension),
 * HTML that shows a static PNG and draws the interactive figure wherever `window.Plotly` is defined (the
 * HTML guide loads plotly.js once per page from a file), and a static SVG/PNG elsewhere. plotly.js itself
 * (about 11 MB) is never put in the output, so a notebook carries only the figure's data. Use it for the
 * one or two figures that need interaction; Vega-Lite ({@link showVegaLite}) is the default.
 * @throws ArgError when the figure has a trace type with no static view, or an option is unknown or not a string
 * @example await showPlotly(plotlySurfaceSpec(lossGrid, { title: 'loss surface' }));
 * @see notebooks/q07-feature-maps.ipynb
 */
export async function showPlotly(fig: PlotlyFigure, opts: { text?: string } = {}): Promise<void> {
  const fn = 'showPlotly';
  checkOptionKeys(fn, 'opts', opts, ['text']);
  showAs(fn, await bundleAs(fn, fig, false, opts.text));
}
