// Sweep tables: the figure builders of lib/viz and the display room.
import * as tf from '@tensorflow/tfjs';
import * as lib from '../../../lib/index';
import { array, bad, bool, covering, custom, entry, int, model, num, opts, str, tensor, type Entry, type Param } from './harness';
import { fixtures } from './fixtures';

const U = undefined;
/** A tensor-like argument (tensor, { values, shape }, nested arrays) whose good value is `valid`. */
const tensorLike = (name: string, valid: () => unknown, optional = false): Param =>
  custom(name, valid, () => [
    ['42', 42],
    ['{ values: [1], shape: [2] }', { values: [1], shape: [2] }],
    ['a ragged nested array', [[1, 2], [3]]],
    ['a nested array holding a string', [[1, 'x']]],
    ['a NaN value', [[NaN, 1], [1, 1]]],
    ['an Infinity value', { values: [1, Infinity, 1, 1], shape: [2, 2] }],
    ['an empty array', []],
  ], { optional });
const title = (name = 'title') => str(name);
const grid = () => [[0, 1], [2, 3]];
const heatFig = () => lib.plotlyHeatmapSpec(grid());

export const vizEntries: Entry[] = [
  entry('channelWeightsSpec', (w, o) => lib.channelWeightsSpec(w, o), [
    tensorLike('weights', () => [0.1, 0.9]),
    opts('opts', [array('names', () => U, { of: str('names[0]', 'a', U, false), optional: true }), title(), title('yTitle')]),
  ], [bad('names of 2 for 1 input', () => [[0.1, 0.9], { names: ['a', 'b'] }]), bad('weights of rank 3', () => [[[[1]]], U])]),
  entry('heatmapOverlaySpec', (items, o) => lib.heatmapOverlaySpec(items, o), [
    array('items', () => [{ image: grid(), map: grid() }], {
      of: custom('items[0]', () => ({ image: grid(), map: grid() }), () => [
        ['an image with 3 channels', { image: [[[1, 1, 1]]], map: grid() }],
        ['a NaN map', { image: grid(), map: [[NaN]] }],
        ['no map', { image: grid() }],
        ['a title 42', { image: grid(), map: grid(), title: 42 }],
      ]),
    }),
    opts('opts', [
      num('opacity', U, { min: 0, max: 1, optional: true }),
      title('scheme'),
      int('size', U, { optional: true }),
      title(),
      title('mapTitle'),
      custom('panels', () => U, () => [['[]', []], ["['bogus']", ['bogus']], ["'map'", 'map']], { optional: true, types: false }),
    ]),
  ]),
  entry('confusionMatrixSpec', (input, o) => lib.confusionMatrixSpec(input, o), [
    custom('input', () => ({ labels: [0, 1, 1], predictions: [0, 1, 0] }), () => [
      ['labels of 3 and predictions of 2', { labels: [0, 1, 1], predictions: [0, 1] }],
      ['a label -1', { labels: [-1, 1, 1], predictions: [0, 1, 0] }],
      ['a label 0.5', { labels: [0.5, 1, 1], predictions: [0, 1, 0] }],
      ['a label NaN', { labels: [NaN, 1, 1], predictions: [0, 1, 0] }],
      ['a label 1e6 (too many classes)', { labels: [1e6, 1, 1], predictions: [0, 1, 0] }],
      ['a non-square matrix', [[1, 2], [3]]],
      ['a matrix with a negative count', [[1, -2], [3, 4]]],
      ['a matrix with a NaN count', [[1, NaN], [3, 4]]],
      ['no labels', { predictions: [0] }],
    ]),
    opts('opts', [
      int('numClasses', U, { max: 1000, optional: true }),
      array('classNames', () => U, { of: str('classNames[0]', 'a', U, false), optional: true }),
      title(),
      int('cellSize', U, { optional: true }),
    ]),
  ], [
    bad('numClasses 1e6 (too many classes)', () => [{ labels: [0], predictions: [0] }, { numClasses: 1e6 }]),
    bad('a label 5 for numClasses 3', () => [{ labels: [5], predictions: [0] }, { numClasses: 3 }]),
  ]),
  entry('featureMapsSpec', (maps, o) => lib.featureMapsSpec(maps, o), [
    tensorLike('maps', () => ({ values: [1, 2, 3, 4, 5, 6, 7, 8], shape: [2, 2, 2] })),
    opts('opts', [
      tensorLike('input', () => U, true),
      int('top', U, { optional: true }),
      str('rankBy', U, ['mean', 'max']),
      title(),
      int('columns', U, { optional: true }),
      int('cellSize', U, { optional: true }),
    ]),
  ]),
  entry('filtersSpec', (k, o) => lib.filtersSpec(k, o), [
    tensorLike('kernel', () => tf.ones([3, 3, 1, 2])),
    opts('opts', [
      title(),
      str('mode', U, ['auto', 'image', 'channels']),
      int('maxFilters', U, { optional: true }),
      int('maxChannels', U, { optional: true }),
      int('cellSize', U, { optional: true }),
      int('columns', U, { optional: true }),
    ]),
  ], [bad("'image' mode with 2 channels", () => [tf.ones([3, 3, 2, 2]), { mode: 'image' }])]),
  entry('gradientFlowSpec', (runs, o) => lib.gradientFlowSpec(runs, o), [
    array('runs', () => [{ name: 'relu', layers: [{ layer: 'd1', value: 0.1 }] }], {
      of: custom('runs[0]', () => ({ name: 'relu', layers: [{ layer: 'd1', value: 0.1 }] }), () => [
        ['a value -1', { name: 'relu', layers: [{ layer: 'd1', value: -1 }] }],
        ['a value NaN', { name: 'relu', layers: [{ layer: 'd1', value: NaN }] }],
        ['a name 42', { name: 42, layers: [] }],
        ['layers null', { name: 'relu', layers: null }],
        ['a layer null', { name: 'relu', layers: [null] }],
      ]),
    }),
    opts('opts', [title(), title('yTitle'), int('width', U, { optional: true })]),
  ]),
  entry('imageGridSpec', (images, o) => lib.imageGridSpec(images, o), [
    array('images', () => [{ values: [0, 1, 2, 3], height: 2, width: 2 }], {
      of: custom('images[0]', () => ({ values: [0, 1, 2, 3], height: 2, width: 2 }), () => [
        ['3 values for 2x2', { values: [0, 1, 2], height: 2, width: 2 }],
        ['height 0', { values: [], height: 0, width: 2 }],
        ['a NaN value', { values: [NaN, 1, 2, 3], height: 2, width: 2 }],
        ['no values', { height: 2, width: 2 }],
        ['a title 42', { values: [0, 1, 2, 3], height: 2, width: 2, title: 42 }],
      ]),
    }),
    opts('opts', [int('columns', U, { optional: true }), int('cellSize', U, { optional: true }), title(), title('scheme')]),
  ]),
  entry('parameterBarsSpec', (rows, o) => lib.parameterBarsSpec(rows, o), [
    array('rows', () => [{ name: 'conv1', params: 320 }], {
      of: custom('rows[0]', () => ({ name: 'conv1', params: 320 }), () => [['params -1', { name: 'c', params: -1 }], ['params NaN', { name: 'c', params: NaN }], ['name 42', { name: 42, params: 1 }]]),
    }),
    opts('opts', [str('scale', U, ['linear', 'log']), title()]),
  ], [bad('a repeated name', () => [[{ name: 'a', params: 1 }, { name: 'a', params: 2 }], U])]),
  entry('receptiveFieldGrowthSpec', (o) => lib.receptiveFieldGrowthSpec(o), [
    opts('opts', [
      int('maxKernel', U, { max: 15, optional: true }),
      int('maxStride', U, { max: 4, optional: true }),
      int('maxDilation', U, { max: 4, optional: true }),
      int('maxDepth', U, { max: 20, optional: true }),
      title(),
    ], { optional: true }),
  ]),
  entry('plotlyHeatmapSpec', (z, o) => lib.plotlyHeatmapSpec(z, o), [tensorLike('z', grid), opts('opts', [title(), title('colorscale')])], [bad('z of rank 3 with 2 channels', () => [[[[1, 2], [3, 4]], [[1, 2], [3, 4]]], U])]),
  entry('plotlySurfaceSpec', (z, o) => lib.plotlySurfaceSpec(z, o), [
    tensorLike('z', grid),
    opts('opts', [
      array('x', () => U, { of: num('x[0]', 0), optional: true }),
      array('y', () => U, { of: num('y[0]', 0), optional: true }),
      title(),
      custom('axes', () => U, () => [['42', 42], ['{ x: 42 }', { x: 42 }]], { optional: true, types: false }),
    ]),
  ], [bad('x of 3 values for 2 columns', () => [grid(), { x: [0, 1, 2] }])]),
  entry('plotlyToVegaLiteSpec', (f) => lib.plotlyToVegaLiteSpec(f), [
    custom('fig', heatFig, () => [
      ['no traces', { data: [] }],
      ['a pie', { data: [{ type: 'pie', values: [1] }] }],
      ['a scatter without y', { data: [{ type: 'scatter' }] }],
      ['a heatmap with a NaN', { data: [{ type: 'heatmap', z: [[NaN]] }] }],
      ['a scatter with x of another length', { data: [{ type: 'scatter', x: [1, 2], y: [1] }] }],
      ['a null trace', { data: [null] }],
    ]),
  ]),
  entry('predictionGridSpec', (items, o) => lib.predictionGridSpec(items, o), [
    array('items', () => [{ image: grid(), label: 1, prediction: 1 }], {
      of: custom('items[0]', () => ({ image: grid(), label: 1, prediction: 1 }), () => [
        ['label -1', { image: grid(), label: -1, prediction: 1 }],
        ['prediction 0.5', { image: grid(), label: 1, prediction: 0.5 }],
        ['probability 2', { image: grid(), label: 1, prediction: 1, probability: 2 }],
        ['probability NaN', { image: grid(), label: 1, prediction: 1, probability: NaN }],
        ['no image', { label: 1, prediction: 1 }],
      ]),
    }),
    opts('opts', [array('classNames', () => U, { of: str('classNames[0]', 'a', U, false), optional: true }), int('columns', U, { optional: true }), int('cellSize', U, { optional: true }), title()]),
  ], [bad('images of two sizes', () => [[{ image: grid(), label: 1, prediction: 1 }, { image: [[1]], label: 1, prediction: 1 }], U])], [
    'opts .classNames an empty array', // names are optional per id: ids without a name are shown as numbers
  ]),
  entry('svgToPng', (svg, o) => lib.svgToPng(svg, o), [
    custom('svg', () => '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"></svg>', () => [['42', 42], ["'not svg'", 'not svg']]),
    opts('opts', [num('scale', U, { above: 0, optional: true })]),
  ], [bad('scale 1e6 (too many pixels)', () => ['<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"></svg>', { scale: 1e6 }])]),
  entry('vegaLiteToSvg', (s) => lib.vegaLiteToSvg(s), [custom('spec', () => ({ mark: 'point', data: { values: [{ x: 1 }] }, encoding: { x: { field: 'x', type: 'quantitative' } } }), () => [['42', 42], ["{ mark: 'bogus' }", { mark: 'bogus' }]])]),
  entry('textTable', (h, r, o) => lib.textTable(h, r, o), [
    array('header', () => ['a', 'b'], { of: str('header[0]', 'a', U, false) }),
    custom('rows', () => [[1, 'x']], () => [['a row of 3 cells', [[1, 2, 3]]], ['a NaN cell', [[NaN, 'x']]], ['a null cell', [[null, 'x']]], ['a row null', [null]]]),
    opts('opts', [
      custom('align', () => U, () => [["['left']", ['left']], ["['left', 'middle']", ['left', 'middle']], ["'left'", 'left']], { optional: true, types: false }),
      str('separator'),
    ]),
  ], [], [
    'rows an array', // a table of no rows: the header and its rule
  ]),
  entry('movingAverage', (v, s) => lib.movingAverage(v, s), [array('values', () => [1, 2, 3], { of: num('values[0]', 1), min: 0 }), int('span', 2)]),
  entry('trainingCurvesSpec', (input, o) => lib.trainingCurvesSpec(input, o), [
    custom('input', () => ({ loss: [1, 0.5], acc: [0.5, 0.7] }), () => [
      ['a NaN loss', { loss: [1, NaN] }],
      ['a metric that is not an array', { loss: 1 }],
      ['an empty history', {}],
      ['a point without a panel', [{ step: 1, series: 'train', value: 1 }]],
      ['a named history of null', [{ name: 'a', history: null }]],
      ['a loss of strings', { loss: ['1'] }],
    ]),
    opts('opts', [title('x'), title(), title('subtitle'), int('width', U, { optional: true }), str('yScale', U, ['linear', 'log'])]),
  ]),
];

const bundle = () => ({ 'text/plain': 'hi' });
export const displayEntries: Entry[] = [
  entry('encodeBundle', (b) => lib.encodeBundle(b), [
    custom('bundle', bundle, () => [['{}', {}], ["{ 'not a mime': 'x' }", { 'not a mime': 'x' }], ["{ 'image/png': 42 }", { 'image/png': 42 }], ["{ 'text/plain': null }", { 'text/plain': null }]]),
  ]),
  entry('show', (b, m) => lib.show(b, m), [custom('bundle', bundle, () => [['{}', {}]]), custom('metadata', () => U, () => [['42', 42], ["'x'", 'x']], { optional: true, types: false })]),
  // LiveDisplay's constructor takes nothing: its method is the entry point.
  covering('LiveDisplay', entry('LiveDisplay.update', (b, m) => new lib.LiveDisplay().update(b, m), [custom('bundle', bundle, () => [['{}', {}]]), custom('metadata', () => U, () => [['42', 42]], { optional: true, types: false })])),
  entry('html', (h, t) => lib.html(h, t), [str('markup', '<b>x</b>', U, false), str('text')]),
  entry('clearOutput', (o) => lib.clearOutput(o), [opts('opts', [bool('wait')], { optional: true })]),
  entry('tensorBundle', (t, o) => lib.tensorBundle(t, o), [tensor('t', () => tf.ones([2, 2])), opts('opts', [int('maxCells', U, { optional: true })])]),
  entry('modelBundle', (m) => lib.modelBundle(m), [model('model', () => fixtures().model)]),
  entry('vegaLiteBundle', (s, o) => lib.vegaLiteBundle(s, o), [
    custom('spec', () => ({ mark: 'point', data: { values: [{ x: 1 }] }, encoding: { x: { field: 'x', type: 'quantitative' } } }), () => [["{ mark: 'bogus' }", { mark: 'bogus' }]]),
    opts('opts', [str('text')]),
  ]),
  entry('showVegaLite', (s, o) => lib.showVegaLite(s, o), [
    custom('spec', () => ({ mark: 'point', data: { values: [{ x: 1 }] }, encoding: { x: { field: 'x', type: 'quantitative' } } }), () => [["{ mark: 'bogus' }", { mark: 'bogus' }]]),
    opts('opts', [str('text'), custom('live', () => U, () => [['42', 42], ['{}', {}]], { optional: true, types: false })]),
  ]),
  entry('plotlyBundle', (f, o) => lib.plotlyBundle(f, o), [
    custom('fig', heatFig, () => [['a pie', { data: [{ type: 'pie' }] }], ['no traces', { data: [] }]]),
    opts('opts', [bool('includeLibrary'), str('text')]),
  ]),
  entry('showPlotly', (f, o) => lib.showPlotly(f, o), [custom('fig', heatFig, () => [['a pie', { data: [{ type: 'pie' }] }]]), opts('opts', [str('text')])]),
  ...([['TrainingMonitor', (o: never) => new lib.TrainingMonitor(o)], ['trainingMonitor', (o: never) => lib.trainingMonitor(o)]] as const).map(([name, make]) =>
    entry([name, 'TrainingMonitor'], make, [
      opts('opts', [title(), str('every', U, ['epoch', 'batch']), num('minIntervalMs', U, { min: 0, max: 3_600_000, optional: true }), bool('figure')]),
    ]),
  ),
];
