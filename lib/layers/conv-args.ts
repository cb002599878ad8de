/**
 * The arguments every cnnlib convolution layer shares with tf.layers.conv2d (filters, kernelSize,
 * strides, padding, dilationRate, useBias, kernelInitializer): their types, their checks, their config
 * and the output shape they give. GroupedConv2D and DepthwiseSeparableConv2D resolve their arguments here,
 * so a rule (strides and dilation not both above 1, as in Keras) is written once. The output length
 * comes from lib/ops/output-size.ts, the one home of window arithmetic. Internal to lib/layers.
 * @see notebooks/q23-alternative-convolutions.ipynb
 */
import type * as tf from '@tensorflow/tfjs';
import { checkOneOf, checkPositiveInt } from '../check';
import { argError } from '../errors';
import { layerWindowOutput, toPair } from '../ops/output-size';
import { type InitializerName, type LayerArgs, type LayerShape, makeInitializer, oneShape, optionalBoolean } from './common';

/** The names of {@link ConvArgs}' own options (null is rejected for each). */
export const CONV_ARG_KEYS = ['filters', 'kernelSize', 'strides', 'padding', 'dilationRate', 'useBias', 'kernelInitializer'] as const;

/** The conv arguments, as a layer's constructor takes them (Keras's names and defaults). */
export interface ConvArgs extends LayerArgs {
  /** Output channels. Integer >= 1. */
  filters: number;
  /** Window, k or [kh, kw]. */
  kernelSize: number | [number, number];
  /** Stride, s or [sh, sw]. Default 1. Strides > 1 cannot be combined with dilation > 1. */
  strides?: number | [number, number];
  /** 'valid' (default, as in Keras) or 'same'. */
  padding?: 'valid' | 'same';
  /** Dilation, d or [dh, dw]. Default 1. */
  dilationRate?: number | [number, number];
  /** Bias per output channel. Default true. */
  useBias?: boolean;
  /** Kernel initializer. Default 'glorotUniform'. */
  kernelInitializer?: InitializerName;
}

/** The conv arguments checked, with pairs expanded and defaults filled. */
export interface ResolvedConvArgs {
  filters: number;
  kernelSize: [number, number];
  strides: [number, number];
  padding: 'valid' | 'same';
  dilationRate: [number, number];
  useBias: boolean;
  kernelInitializer: InitializerName;
}

/**
 * Check the conv arguments of layer `fn`; `required` names what a missing `args` must give.
 * @throws ArgError when filters, kernelSize, strides or dilationRate is not a positive integer (or
 *   [height, width] of them), padding is not 'valid' or 'same', strides and dilationRate both exceed 1,
 *   useBias is not a boolean, or kernelInitializer is not a known name
 */
export function resolveConvArgs(fn: string, args: ConvArgs, required: string): ResolvedConvArgs {
  if (args === undefined || args === null) argError(fn, 'args', `must give ${required}`, args);
  const useBias = optionalBoolean(fn, 'useBias', args.useBias, true);
  const filters = checkPositiveInt(fn, 'filters', args.filters);
  const kernelSize = toPair(fn, 'kernelSize', args.kernelSize);
  const strides = toPair(fn, 'strides', args.strides ?? 1);
  const padding = checkOneOf(fn, 'padding', args.padding ?? 'valid', ['valid', 'same'] as const);
  const dilationRate = toPair(fn, 'dilationRate', args.dilationRate ?? 1);
  if (Math.max(...strides) > 1 && Math.max(...dilationRate) > 1) {
    argError(fn, 'strides', 'must be 1 when dilationRate > 1', args.strides);
  }
  const kernelInitializer = args.kernelInitializer ?? 'glorotUniform';
  makeInitializer(fn, 'kernelInitializer', kernelInitializer);
  return { filters, kernelSize, strides, padding, dilationRate, useBias, kernelInitializer };
}

/** The conv arguments as a layer config (what getConfig adds to the base layer's). */
export function convArgsConfig(c: ResolvedConvArgs): tf.serialization.ConfigDict {
  return {
    filters: c.filters,
    kernelSize: c.kernelSize,
    strides: c.strides,
    padding: c.padding,
    dilationRate: c.dilationRate,
    useBias: c.useBias,
    kernelInitializer: c.kernelInitializer,
  };
}

/**
 * Output shape [N, H', W', filters] of a 2-D convolution layer on an NHWC input shape (null stays null).
 * @throws ArgError when the (dilated) kernel does not fit a known input with 'valid' padding
 */
export function convLayerOutputShape(fn: string, inputShape: LayerShape | LayerShape[], c: ResolvedConvArgs): LayerShape {
  const s = oneShape(fn, inputShape);
  const [h, w] = layerWindowOutput(fn, s, c.kernelSize, c.strides, c.padding, c.dilationRate);
  return [s[0], h, w, c.filters];
}
