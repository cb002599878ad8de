/**
 * The display room: the only part of cnnlib that talks to the notebook kernel. Figures are built
 * by the pure spec builders of lib/viz/ and shown from here.
 * - kernel-output.ts: MIME bundles, `show`, `LiveDisplay`, `html`, `clearOutput` (tslab's display API);
 * - vega-lite.ts: Vega-Lite figures (spec, SVG, PNG in one output);
 * - plotly.ts: plotly figures (plotly MIME, HTML running plotly.js, static SVG/PNG);
 * - training-monitor.ts: the live `model.fit` monitor;
 * - rich-results.ts: the bundles a cell ending in a tensor or a model shows (installed on import).
 * @see notebooks/q01-what-is-a-cnn.ipynb
 */
export { clearOutput, encodeBundle, html, inKernel, LiveDisplay, show, type MimeBundle } from './kernel-output';
export { showVegaLite, vegaLiteBundle } from './vega-lite';
export { plotlyBundle, showPlotly } from './plotly';
export { TrainingMonitor, trainingMonitor, type TrainingMonitorOptions } from './training-monitor';
export { installRichResults, JUPYTER_DISPLAY, modelBundle, tensorBundle } from './rich-results';
