/**
 * Shared plumbing of the cnnlib layers: the constructor-argument type of tfjs layers, named weight
 * initializers (so that configs stay plain JSON), and the unwrapping of a call's single tensor or shape.
Conv arguments and conv output shapes are in conv-args.ts. Internal to lib/layers and
 * lib/models; the barrel exports only the types.
 */
import * as tf from '@tensorflow/tfjs';
import { argError } from '../errors';
import { checkBoolean, checkElementCount } from '../check';

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

/**
 * The constructor argument of layer `fn`, checked before it reaches tfjs's base constructor (which reads
 * `args.name` and fails on null): an object (or undefined when nothing is `required`), whose own options
 * `ours` are not null (leave one out for its default). The base layer's keys (name, inputShape, trainable ...)
 * are tfjs's and pass through.
 * @throws ArgError `fn: args must be an object giving <required>, got null`, `fn: useBias must not be null ...`
 */
export function layerArgs<T extends object>(fn: string, args: T | undefined, ours: readonly string[], required?: string): T {
  if (args === undefined && required === undefined) return {} as T;
  if (args === null || typeof args !== 'object' || Array.isArray(args)) {
    argError(fn, 'args', required ? `must be an object giving ${required}` : 'must be an object', args);
  }
  for (const key of ours) {
    if ((args as Record<string, unknown>)[key] === null) argError(fn, key, 'must not be null (leave it out for the default)', null);
  }
  return args;
}

/**
 * Every weight a layer is about to create must fit one array (at most MAX_ELEMENTS = 2^28 values): checked for
 * all of them before the first is added, so a huge filter count or input channel count is an error and not a
 * heap exhausted, or a weight left behind by a build that failed halfway.
 * @throws ArgError `fn: kernel must hold at most 268435456 elements (2^28), got "[3, 3, 4, 1000000000] = ..."`
 */
export function checkWeightShapes(fn: string, shapes: Record<string, readonly number[]>): void {
  for (const [name, shape] of Object.entries(shapes)) {
    checkElementCount(fn, name, shape.reduce((a, b) => a * b, 1), `[${shape.join(', ')}]`);
  }
}

/** An optional boolean argument: true or false, else `fallback` when absent. */
export function optionalBoolean(fn: string, arg: string, value: unknown, fallback: boolean): boolean {
  return value === undefined ? fallback : checkBoolean(fn, arg, value);
}

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
