/**
 * Shared plumbing of the cnnlib layers: the constructor-argument type of tfjs layers, named weight
 * initializers (so that configs stay plain JSON), and the unwrapping of a call's single tensor or shape.
Conv arguments and conv output shapes are in conv-args.ts. Internal to lib/layers and
 * lib/models; the barrel exports only the types.
 */
import * as tf from '@tensorflow/tfjs';
import { argError } from '../errors';

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
