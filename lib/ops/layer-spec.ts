/**
 * A plain description of a layer stack (no TensorFlow.js objects), with the argument names of
 * tf.layers, and the shape of every activation it produces. Parameter, FLOP and memory counts
 * (./layer-stats) and receptive fields (./receptive-field) are computed from it.
 * Shapes here are per example, without the batch axis: [H, W, C] for images, [F] after flatten.
 * @see notebooks/q05-depth.ipynb
 */
import { argError } from '../errors';
import { checkBoolean, checkPositiveInt, type Shape } from '../check';
import { toPair, window2d, type Pair, type Padding } from './output-size';

interface Named {
  /** Shown in tables; default `<type>_<index>`. */
  name?: string;
}

/** tf.layers.conv2d */
export interface Conv2dSpec extends Named {
  type: 'conv2d';
  filters: number;
  kernelSize: Pair;
  /** default 1 */
  strides?: Pair;
  /** default 'valid' */
  padding?: Padding;
  /** default 1 */
  dilationRate?: Pair;
  /** grouped convolution; default 1 */
  groups?: number;
  /** default true */
  useBias?: boolean;
}

/** tf.layers.depthwiseConv2d */
export interface DepthwiseConv2dSpec extends Named {
  type: 'depthwiseConv2d';
  kernelSize: Pair;
  /** default 1 */
  depthMultiplier?: number;
  strides?: Pair;
  padding?: Padding;
  dilationRate?: Pair;
  useBias?: boolean;
}

/** tf.layers.maxPooling2d / averagePooling2d */
export interface Pool2dSpec extends Named {
  type: 'maxPooling2d' | 'averagePooling2d';
  /** default 2 */
  poolSize?: Pair;
  /** default poolSize */
  strides?: Pair;
  padding?: Padding;
}

/** tf.layers.dense, applied to the last axis as Keras does. */
export interface DenseSpec extends Named {
  type: 'dense';
  units: number;
  useBias?: boolean;
}

/** Layers without a window: global pooling, flatten, and shape-preserving ones. */
export interface SimpleSpec extends Named {
  type:
    | 'globalAveragePooling2d'
    | 'globalMaxPooling2d'
    | 'flatten'
    | 'batchNormalization'
    | 'activation'
    | 'dropout'
    | 'localResponseNormalization';
}

/** One layer of a stack. */
export type LayerSpec = Conv2dSpec | DepthwiseConv2dSpec | Pool2dSpec | DenseSpec | SimpleSpec;

/** Layer types that keep the shape of their input. */
export const ELEMENTWISE_TYPES = ['batchNormalization', 'activation', 'dropout', 'localResponseNormalization'] as const;

const ALL_TYPES = [
  'conv2d',
  'depthwiseConv2d',
  'maxPooling2d',
  'averagePooling2d',
  'globalAveragePooling2d',
  'globalMaxPooling2d',
  'flatten',
  'dense',
  ...ELEMENTWISE_TYPES,
] as const;

/** A layer with its input and output shapes resolved. */
export interface ResolvedLayer {
  index: number;
  name: string;
  spec: LayerSpec;
  inputShape: number[];
  outputShape: number[];
}

function needImage(fn: string, where: string, layer: LayerSpec, shape: readonly number[]): [number, number, number] {
  if (shape.length !== 3) argError(fn, `${where} (${layer.type})`, 'must receive an image input [H, W, C]', shape);
  return shape as [number, number, number];
}

/**
 * Output shape of one layer given its input shape (per example). @internal
 * @param where the argument name used in messages, e.g. 'layers[2]'
 */
export function layerOutputShape(fn: string, where: string, layer: LayerSpec, input: readonly number[]): number[] {
  if (layer === null || typeof layer !== 'object' || !(ALL_TYPES as readonly string[]).includes(layer.type)) {
    argError(fn, `${where}.type`, `must be one of ${ALL_TYPES.join(', ')}`, layer?.type);
  }
  if ('useBias' in layer && layer.useBias !== undefined) checkBoolean(fn, `${where}.useBias`, layer.useBias);
  switch (layer.type) {
    case 'conv2d':
    case 'depthwiseConv2d': {
      const [h, w, c] = needImage(fn, where, layer, input);
      const k = toPair(fn, `${where}.kernelSize`, layer.kernelSize);
      const s = toPair(fn, `${where}.strides`, layer.strides ?? 1);
      const d = toPair(fn, `${where}.dilationRate`, layer.dilationRate ?? 1);
      const win = window2d(fn, [h, w], k, s, d, layer.padding ?? 'valid', { kernel: `${where}.kernelSize`, padding: `${where}.padding` });
      let cout: number;
      if (layer.type === 'conv2d') {
        cout = checkPositiveInt(fn, `${where}.filters`, layer.filters);
        const g = checkPositiveInt(fn, `${where}.groups`, layer.groups ?? 1);
        if (c % g !== 0 || cout % g !== 0) argError(fn, `${where}.groups`, `must divide input channels ${c} and filters ${cout}`, g);
      } else {
        cout = c * checkPositiveInt(fn, `${where}.depthMultiplier`, layer.depthMultiplier ?? 1);
      }
      return [win.outHeight, win.outWidth, cout];
    }
    case 'maxPooling2d':
    case 'averagePooling2d': {
      const [h, w, c] = needImage(fn, where, layer, input);
      const k = toPair(fn, `${where}.poolSize`, layer.poolSize ?? 2);
      const s = toPair(fn, `${where}.strides`, layer.strides ?? k);
      const win = window2d(fn, [h, w], k, s, [1, 1], layer.padding ?? 'valid', { kernel: `${where}.poolSize`, padding: `${where}.padding` });
      return [win.outHeight, win.outWidth, c];
    }
    case 'globalAveragePooling2d':
    case 'globalMaxPooling2d':
      return [needImage(fn, where, layer, input)[2]];
    case 'flatten':
      return [input.reduce((a, b) => a * b, 1)];
    case 'dense':
      return [...input.slice(0, -1), checkPositiveInt(fn, `${where}.units`, layer.units)];
    default:
      return [...input];
  }
}

/**
 * Resolve the input and output shape of every layer of a stack.
 * @param inputShape per example, [H, W, C] (or [F] for a dense-only stack)
 * @param layers the stack, first layer first
 * @returns one entry per layer: index, name, spec, inputShape, outputShape
 * @throws ArgError on a bad input shape, an unknown layer type, a non-positive or fractional size, a
 *   window larger than its (padded) input, or a spatial layer after flatten
 * @example layerShapes([28, 28, 1], [{ type: 'conv2d', filters: 32, kernelSize: 3 }])[0].outputShape  // [26, 26, 32]
 * @see notebooks/q05-depth.ipynb
 */
export function layerShapes(inputShape: Shape, layers: readonly LayerSpec[]): ResolvedLayer[] {
  return resolveLayers('layerShapes', inputShape, layers);
}

/** {@link layerShapes} reporting errors under the name `fn`. @internal */
export function resolveLayers(fn: string, inputShape: Shape, layers: readonly LayerSpec[]): ResolvedLayer[] {
  if (!Array.isArray(inputShape) || inputShape.length === 0 || inputShape.some((d) => !Number.isInteger(d) || d < 1)) {
    argError(fn, 'inputShape', 'must be a non-empty list of positive integers, e.g. [28, 28, 1]', inputShape);
  }
  if (!Array.isArray(layers)) argError(fn, 'layers', 'must be an array of layer specs', layers);
  let shape = [...inputShape];
  return layers.map((spec, index) => {
    const outputShape = layerOutputShape(fn, `layers[${index}]`, spec, shape);
    const row = { index, name: spec.name ?? `${spec.type}_${index + 1}`, spec, inputShape: shape, outputShape };
    shape = outputShape;
    return row;
  });
}
