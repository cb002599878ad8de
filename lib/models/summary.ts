/**
 * Model summaries in the format of Keras's `model.summary()` (which tfjs's own summary does not follow:
 * it adds an input-shape column and prints totals without thousands separators), a per-layer parameter
 * table for figures, and the depth of a network counted in weight layers.
 * @see notebooks/q02-cnn-architecture.ipynb
 */
import * as tf from '@tensorflow/tfjs';
import { layerNodesIn } from '../backend/internals';
import { checkBoolean, checkFinite, checkOptionKeys, checkPositiveInt } from '../check';
import { checkModel } from './check-model';

/** One layer of {@link parameterTable}. Compatible with `parameterBarsSpec` rows ({ name, params }). */
export interface ParameterTableRow {
  /** Layer name, unique within the model. */
  name: string;
  /** tfjs/Keras class name: Conv2D, Dense, BatchNormalization ... */
  className: string;
  /** Output shape with null for the batch axis, e.g. [null, 26, 26, 32]; one shape per output for multi-output layers. */
  outputShape: (number | null)[] | (number | null)[][];
  /** All weights of the layer (trainable and not). */
  params: number;
  /** The trainable part of `params` (batch norm's moving mean and variance are not trainable). */
  trainable: number;
  /** Layers feeding this one inside the model (empty for inputs). */
  inbound: string[];
}


const size = (shape: readonly (number | null)[]) => shape.reduce<number>((a, b) => a * (b ?? 0), 1);
const sumWeights = (ws: readonly { shape: readonly (number | null)[] }[]) => ws.reduce((s, w) => s + size(w.shape), 0);


/**
 * One row per layer of a model: name, class, output shape, parameters (all and trainable), inputs.
 * @throws ArgError when model is not a tf.LayersModel
 * @example parameterTable(q1Cnn()).map((r) => `${r.name}: ${r.params}`)   // ['conv2d: 320', ...]
 * @see notebooks/q02-cnn-architecture.ipynb
 */
export function parameterTable(model: tf.LayersModel): ParameterTableRow[] {
  const m = checkModel('parameterTable', model);
  return m.layers.map((layer) => {
    let outputShape: ParameterTableRow['outputShape'];
    try {
      outputShape = layer.outputShape as ParameterTableRow['outputShape'];
    } catch {
      outputShape = []; // a layer called several times has no single output shape
    }
    const inbound = layerNodesIn(m, layer, 'parameterTable').flatMap((n) => n.inboundLayers.map((l) => l.name));
    return {
      name: layer.name,
      className: layer.getClassName(),
      outputShape,
      params: layer.countParams(),
      trainable: layer.trainable ? sumWeights(layer.trainableWeights) : 0,
      inbound,
    };
  });
}

/** Keras prints shapes as Python tuples: (None, 26, 26, 32). */
function formatShape(shape: ParameterTableRow['outputShape']): string {
  const tuple = (s: (number | null)[]) => `(${s.map((d) => (d === null ? 'None' : String(d))).join(', ')}${s.length === 1 ? ',' : ''})`;
  if (shape.length === 0) return 'multiple';
  if (Array.isArray(shape[0])) return `[${(shape as (number | null)[][]).map(tuple).join(', ')}]`;
  return tuple(shape as (number | null)[]);
}

/** True when every layer has at most one input and the layers form a chain (Keras's sequential_like). */
function isChain(model: tf.LayersModel, rows: ParameterTableRow[]): boolean {
  if (model instanceof tf.Sequential) return true;
  return rows.every((r, i) => r.inbound.length === 0 ? i === 0 : r.inbound.length === 1 && r.inbound[0] === rows[i - 1]?.name);
}

/**
 * A count with thousands separators, as Keras prints parameter totals.
 * @example formatCount(121930)   // '121,930'
 * @see notebooks/q02-cnn-architecture.ipynb
 */
export function formatCount(n: number): string {
  return Math.round(checkFinite('formatCount', 'n', n)).toLocaleString('en-US');
}

/**
 * A Keras-style summary: Layer (type), Output Shape, Param # (and Connected to for models that are not a
 * chain), then Total / Trainable / Non-trainable params with thousands separators.
 * @param opts.print print it with console.log (default true); opts.lineLength minimum width (default 65,
 *   Keras's for sequential models; columns widen to fit long names; at most 10,000)
 * @returns the text that was (or would have been) printed
 * @throws ArgError when model is not a tf.LayersModel
 * @example summary(q1Cnn());   // ... Total params: 121,930
 * @see notebooks/q02-cnn-architecture.ipynb
 */
export function summary(model: tf.LayersModel, opts: { print?: boolean; lineLength?: number } = {}): string {
  const m = checkModel('summary', model);
  checkOptionKeys('summary', 'opts', opts, ['print', 'lineLength']);
  const print = checkBoolean('summary', 'opts.print', opts.print ?? true);
  const minLength = checkPositiveInt('summary', 'opts.lineLength', opts.lineLength ?? 65, 10_000);
  const rows = parameterTable(m);
  const chain = isChain(m, rows);
  // A cell may span several lines: Keras lists each input of a layer on its own line.
  const cells: string[][][] = rows.map((r) => [
    [`${r.name} (${r.className})`],
    [formatShape(r.outputShape)],
    [String(r.params)],
    ...(chain ? [] : [r.inbound.length ? r.inbound.map((n) => `${n}[0][0]`) : ['[]']]),
  ]);
  const header = ['Layer (type)', 'Output Shape', 'Param #', ...(chain ? [] : ['Connected to'])];
  const minWidths = chain ? [29, 26, 10] : [29, 26, 10, 30];
  const widths = header.map((h, c) =>
    Math.max(minWidths[c], h.length + 2, ...cells.flatMap((row) => row[c].map((text) => text.length + 2))),
  );
  const lineLength = Math.max(minLength, widths.reduce((a, b) => a + b, 0));
  const line = (fields: string[]) => fields.map((f, c) => ` ${f}`.padEnd(widths[c])).join('').trimEnd();
  const rowLines = (row: string[][]) =>
    Array.from({ length: Math.max(...row.map((cell) => cell.length)) }, (_, k) => line(row.map((cell) => cell[k] ?? '')));
  const trainable = sumWeights(m.trainableWeights);
  const total = m.countParams();
  const out = [
    `Model: "${m.name}"`,
    '_'.repeat(lineLength),
    line(header),
    '='.repeat(lineLength),
    ...cells.flatMap((row, i) => [...rowLines(row), i < cells.length - 1 ? '' : '='.repeat(lineLength)]),
    `Total params: ${formatCount(total)}`,
    `Trainable params: ${formatCount(trainable)}`,
    `Non-trainable params: ${formatCount(total - trainable)}`,
    '_'.repeat(lineLength),
  ].join('\n');
  if (print) console.log(out);
  return out;
}

/** Layers that count towards depth: those that hold a kernel (convolutions, dense, capsules). */
function isWeightLayer(layer: tf.layers.Layer): boolean {
  return layer.trainableWeights.length > 0 && !/Normalization$/.test(layer.getClassName());
}

/**
 * Depth of a network in weight layers: the largest number of convolution / dense (any layer with
 * trainable weights except normalization layers) on one path from an input to an output. VGG16 gives 16,
 * ResNet50 50 (its projection shortcuts are parallel, not in series).
 * @throws ArgError when model is not a tf.LayersModel
 * @example modelDepth(vgg16())   // 16
 * @see notebooks/q17-popular-architectures.ipynb
 */
export function modelDepth(model: tf.LayersModel): number {
  const m = checkModel('modelDepth', model);
  // A Sequential model is a chain (its outputLayers live in an inner model).
  if (m instanceof tf.Sequential) return m.layers.filter(isWeightLayer).length;
  const memo = new Map<tf.layers.Layer, number>();
  const depthOf = (layer: tf.layers.Layer): number => {
    const known = memo.get(layer);
    if (known !== undefined) return known;
    const before = Math.max(0, ...layerNodesIn(m, layer, 'modelDepth').flatMap((n) => n.inboundLayers.map(depthOf)));
    const d = before + (isWeightLayer(layer) ? 1 : 0);
    memo.set(layer, d);
    return d;
  };
  return Math.max(0, ...m.outputLayers.map(depthOf));
}
