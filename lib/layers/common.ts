/**
 * Shared plumbing of the cnnlib layers: the constructor-argument type of tfjs layers, named weight
 * initializers (so that configs stay plain JSON), and shape helpers. Internal to lib/layers and
 * lib/models; the barrel exports only the types.
 */
import * as tf from '@tensorflow/tfjs';
import { argError } from '../errors';
import { checkPositiveInt } from '../check';

/** Constructor arguments every tfjs layer takes (name, trainable, inputShape, dtype ...). */
export type LayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;

/** A symbolic or concrete shape, batch axis first; `null` for an unknown size (tfjs-layers `Shape`). */
export type LayerShape = (number | null)[];

/** Keyword arguments tfjs passes to `call` (e.g. `training`). */
export type Kwargs = Record<string, unknown>;

/** Weight initializers a cnnlib layer can be configured with, by name (serializable). */
export const INITIALIZERS = ['glorotUniform', 'glorotNormal', 'heNormal', 'heUniform', 'leCunNormal', 'zeros', 'ones'] as const;
export type InitializerName = (typeof INITIALIZERS)[number];

type Initializer = ReturnType<typeof tf.initializers.glorotUniform>;

/** The tfjs initializer object for a name; `fn` names the layer in the error message. */
export function makeInitializer(fn: string, arg: string, name: unknown): Initializer {
  switch (name) {
    case 'glorotUniform':
      return tf.initializers.glorotUniform({});
    case 'glorotNormal':
      return tf.initializers.glorotNormal({});
    case 'heNormal':
      return tf.initializers.heNormal({});
    case 'heUniform':
      return tf.initializers.heUniform({});
    case 'leCunNormal':
      return tf.initializers.leCunNormal({});
    case 'zeros':
      return tf.initializers.zeros();
    case 'ones':
      return tf.initializers.ones();
    default:
      return argError(fn, arg, `must be one of ${INITIALIZERS.map((s) => `'${s}'`).join(', ')}`, name);
  }
}

/** The single tensor of a layer call (tfjs passes one tensor or a one-element list). */
export function oneTensor(fn: string, inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
  if (!Array.isArray(inputs)) return inputs;
  if (inputs.length !== 1) argError(fn, 'inputs', 'must be a single tensor', `${inputs.length} tensors`);
  return inputs[0];
}

/** The single shape of a `build`/`computeOutputShape` call. */
export function oneShape(fn: string, shape: LayerShape | LayerShape[]): LayerShape {
  if (shape.length > 0 && Array.isArray(shape[0])) {
    const list = shape as LayerShape[];
    if (list.length !== 1) argError(fn, 'inputShape', 'must be a single shape', list);
    return list[0];
  }
  return shape as LayerShape;
}

/** The input must be [N, H, W, C] with a known channel count; returns C. */
export function channelsOf(fn: string, shape: LayerShape): number {
  if (shape.length !== 4) argError(fn, 'input', 'must have rank 4 [N, H, W, C]', shape);
  const c = shape[3];
  if (c === null || c === undefined) argError(fn, 'input', 'must have a known channel count (last axis)', shape);
  return c;
}

/** A kernel size, stride or dilation given as n or [n, n]: returns [rows, cols] of positive integers. */
export function pair(fn: string, arg: string, value: unknown): [number, number] {
  if (typeof value === 'number') {
    checkPositiveInt(fn, arg, value);
    return [value, value];
  }
  if (Array.isArray(value) && value.length === 2) {
    checkPositiveInt(fn, `${arg}[0]`, value[0]);
    checkPositiveInt(fn, `${arg}[1]`, value[1]);
    return [value[0], value[1]];
  }
  return argError(fn, arg, 'must be a positive integer or a pair of them', value);
}

/** Output length of a conv/pool along one axis (null stays null), as tfjs computes it. */
export function convLength(
  input: number | null,
  kernel: number,
  stride: number,
  padding: 'valid' | 'same',
  dilation = 1,
): number | null {
  if (input === null) return null;
  const effective = kernel + (kernel - 1) * (dilation - 1);
  return padding === 'same' ? Math.ceil(input / stride) : Math.ceil((input - effective + 1) / stride);
}

/** Output shape [N, H', W', filters] of a 2-D convolution layer on an NHWC input shape. */
export function convLayerOutputShape(
  fn: string,
  inputShape: LayerShape | LayerShape[],
  conv: {
    kernelSize: [number, number];
    strides: [number, number];
    padding: 'valid' | 'same';
    dilationRate: [number, number];
    filters: number;
  },
): LayerShape {
  const s = oneShape(fn, inputShape);
  return [
    s[0],
    convLength(s[1], conv.kernelSize[0], conv.strides[0], conv.padding, conv.dilationRate[0]),
    convLength(s[2], conv.kernelSize[1], conv.strides[1], conv.padding, conv.dilationRate[1]),
    conv.filters,
  ];
}
