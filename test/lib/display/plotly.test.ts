import { describe, expect, it } from 'vitest';
import { fillTemplate, Markup, plotlyBundle, ScriptSource, showPlotly } from '../../../lib/display/plotly';
import { PLOTLY_MIME, plotlyHeatmapSpec } from '../../../lib/viz/plotly';
import { fakeKernel } from './fake-kernel';

const fig = plotlyHeatmapSpec({ values: [1, 2, 3, 4], shape: [2, 2] }, { title: 'x </script><script>alert(1)</script>' });

/** The figure JSON that the page's script hands to Plotly.newPlot. */
function figureInPage(page: string): unknown {
  const m = page.match(/\n {2}var fig = (.*);\n/);
  expect(m).not.toBeNull();
  return JSON.parse(m![1]);
}

describe('plotly', () => {
  it('bundles the plotly JSON, HTML with a static fallback image, SVG and PNG', async () => {
    const b = await plotlyBundle(fig);
    expect(b[PLOTLY_MIME]).toEqual({ data: fig.data, layout: fig.layout });
    const page = String(b['text/html']);
    expect(page).toContain('<img alt="static view of the figure" src="data:image/png;base64,');
    expect(page).toContain('window.Plotly.newPlot');
    expect(page.length).toBeLessThan(100_000);
    // The title is data: it cannot close the script element.
    expect(page.match(/<\/script>/g)).toHaveLength(1);
    expect(page).toContain('\\u003c/script>');
    expect(String(b['image/svg+xml'])).toContain('&lt;/script&gt;');
  });

  it('never inlines plotly.js from showPlotly; plotlyBundle inlines it only when asked', async () => {
    const writes = fakeKernel();
    await showPlotly(fig);
    await showPlotly(fig);
    expect(writes).toHaveLength(2);
    for (const w of writes) {
      const page = String(w.content.data['text/html']);
      expect(page.length).toBeLessThan(100_000);
      expect(page).not.toContain('window.Plotly = Plotly');
      expect(page).not.toContain('__cnnDefine');
      expect(page).toContain('if (!el || !window.Plotly) return;');
      expect(w.content.data[PLOTLY_MIME]).toEqual({ data: fig.data, layout: fig.layout });
    }
    const plain = String((await plotlyBundle(fig, { includeLibrary: false }))['text/html']);
    expect(plain.length).toBeLessThan(100_000);
    expect(plain).not.toContain('window.Plotly = Plotly');
    const inlined = String((await plotlyBundle(fig, { includeLibrary: true }))['text/html']);
    expect(inlined.length).toBeGreaterThan(1_000_000);
    expect(inlined).toContain('window.Plotly = Plotly');
  });
});

describe('the plotly page template', () => {
  it('fills every slot: no {{slot}} is left and the div id is the one the script looks up', async () => {
    const page = String((await plotlyBundle(fig))['text/html']);
    expect(page).not.toMatch(/\{\{\w+\}\}/);
    const divId = page.match(/<div id="([^"]+)" class="cnn-plotly">/)![1];
    expect(divId).toMatch(/^cnn-plotly-[0-9a-f]{12}$/);
    expect(page).toContain(`document.getElementById("${divId}")`);
    const png = Buffer.from((await plotlyBundle(fig))['image/png'] as Uint8Array).toString('base64');
    expect(page).toContain(`src="data:image/png;base64,${png}"`);
  });

  it('puts the figure JSON in the page so that it parses back to the input figure', async () => {
    const page = String((await plotlyBundle(fig))['text/html']);
    expect(figureInPage(page)).toEqual({ data: fig.data, layout: fig.layout });
    expect(figureInPage(String((await plotlyBundle({ data: fig.data }))['text/html']))).toEqual({ data: fig.data, layout: {} });
  });

  it('keeps `</script>` in a title from closing a script, with and without plotly.js inlined', async () => {
    // Without the library: the one drawing script. With it: three loader scripts and the drawing one.
    const plain = String((await plotlyBundle(fig))['text/html']);
    const inlined = String((await plotlyBundle(fig, { includeLibrary: true }))['text/html']);
    expect(plain.match(/<\/script>/gi)).toHaveLength(1);
    expect(inlined.match(/<\/script>/gi)).toHaveLength(4);
    expect(inlined.match(/<script>/gi)).toHaveLength(4);
    expect(inlined.startsWith('<script>window.__cnnDefine = window.define; window.define = undefined;</script>\n<script>')).toBe(true);
    expect(figureInPage(inlined)).toEqual({ data: fig.data, layout: fig.layout });
  });

  it('escapes each value for where its slot sits and fills values in one pass', () => {
    const t = '<p title="{{v}}">{{v}}</p><script>var v = {{v}}; {{code}}</script>{{tail}}';
    const out = fillTemplate(t, { v: '"a" </script> {{tail}}', code: new ScriptSource('f("</script>"); // <!--'), tail: new Markup('<hr>') }).html;
    expect(out).toBe(
      '<p title="&quot;a&quot; &lt;/script&gt; {{tail}}">&quot;a&quot; &lt;/script&gt; {{tail}}</p>' +
        '<script>var v = "\\"a\\" \\u003c/script> {{tail}}"; f("<\\/script>"); // <\\!--</script><hr>',
    );
  });

  it('throws on an unfilled slot, an unknown slot, and a value that does not fit its place', () => {
    expect(() => fillTemplate('<b>{{a}}</b><i>{{b}}</i>', { a: 'x' })).toThrow('fillTemplate: values.b must fill the slot {{b}} of the template, got undefined');
    expect(() => fillTemplate('<b>{{a}}</b>', { a: 'x', title: 'y' })).toThrow('fillTemplate: values must name only slots of the template (a), got "title"');
    expect(() => fillTemplate('<b>{{a}}</b>', { a: { x: 1 } })).toThrow('fillTemplate: values.a outside <script> must be a string or Markup, got {"x":1}');
    expect(() => fillTemplate('<script>{{a}}</script>', { a: new Markup('<b>') })).toThrow('fillTemplate: values.a inside <script> must be a JSON value or a ScriptSource');
    expect(() => fillTemplate('<script>{{a}}</script>', { a: () => 1 })).toThrow('fillTemplate: values.a inside <script> must be a JSON value or a ScriptSource');
  });
});
