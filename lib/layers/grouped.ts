/**
 * Grouped convolution (AlexNet's two-GPU split, ResNeXt, ShuffleNet) as a TensorFlow.js layer: the C_in
 * input channels are cut into g groups, and each group of C_out / g filters sees only its own C_in / g
 * channels. One kernel [kh, kw, C_in / g, C_out] holds all groups (group q owns output columns
 * q C_out/g .. (q+1) C_out/g - 1).
 *
 *   parameters: kh kw (C_in / g) C_out + C_out    (standard convolution: g = 1, so g times more)
 *
 * g = C_in = C_out is a depthwise convolution.
 * @see notebooks/q23-alternative-convolutions.ipynb
 */
import * as tf from '@tensorflow/tfjs';
import { checkPositiveInt } from '../check';
import { argError } from '../errors';
import { channelsOf, checkWeightShapes, type InitializerName, type Kwargs, type LayerShape, layerArgs, makeInitializer, oneShape, oneTensor } from './common';
import { CONV_ARG_KEYS, type ConvArgs, convArgsConfig, convLayerOutputShape, resolveConvArgs } from './conv-args';

/** The conv arguments ({@link ConvArgs}: filters C_out must be a multiple of groups) and the group count. */
export interface GroupedConv2DArgs extends ConvArgs {
  /** Number of groups g; must divide both C_in and filters. */
  groups: number;
}

/**
 * Grouped convolution: [N, H, W, C_in] -> [N, H', W', filters].
 * @throws ArgError when filters, groups, kernelSize, strides or dilationRate is not a positive integer (or
 *   pair), groups does not divide filters or the input channel count, padding is not 'valid' or 'same',
 *   useBias is not a boolean, the input is not rank 4, or (padding 'valid') the kernel is larger than the input
 * @example groupedConv2d({ filters: 64, kernelSize: 3, groups: 4, padding: 'same' })   // on 32 channels: 9*8*64 + 64 = 4,672 params
 * @see notebooks/q23-alternative-convolutions.ipynb
 */
export class GroupedConv2D extends tf.layers.Layer {
  /** @nocollapse */
  static className = 'GroupedConv2D';
  readonly filters: number;
  readonly kernelSize: [number, number];
  readonly groups: number;
  readonly strides: [number, number];
  readonly padding: 'valid' | 'same';
  readonly dilationRate: [number, number];
  readonly useBias: boolean;
  readonly kernelInitializer: InitializerName;
  private kernel?: tf.LayerVariable;
  private bias?: tf.LayerVariable;

  constructor(args: GroupedConv2DArgs) {
    const fn = 'GroupedConv2D';
    super(layerArgs(fn, args, [...CONV_ARG_KEYS, 'groups'], 'filters, kernelSize and groups'));
    const c = resolveConvArgs(fn, args, 'filters, kernelSize and groups');
    ({ filters: this.filters, kernelSize: this.kernelSize, strides: this.strides, padding: this.padding } = c);
    ({ dilationRate: this.dilationRate, useBias: this.useBias, kernelInitializer: this.kernelInitializer } = c);
    this.groups = checkPositiveInt(fn, 'groups', args.groups);
    if (this.filters % this.groups !== 0) argError(fn, 'groups', `must divide filters (${this.filters})`, this.groups);
  }

  override build(inputShape: LayerShape | LayerShape[]): void {
    const fn = 'GroupedConv2D';
    const cin = channelsOf(fn, oneShape(fn, inputShape));
    convLayerOutputShape(fn, inputShape, this); // the kernel fits, before any weight exists
    if (cin % this.groups !== 0) argError(fn, 'groups', `must divide the input channel count (${cin})`, this.groups);
    const [kh, kw] = this.kernelSize;
    checkWeightShapes(fn, { kernel: [kh, kw, cin / this.groups, this.filters] });
    this.kernel = this.addWeight(
      'kernel',
      [kh, kw, cin / this.groups, this.filters],
      'float32',
      makeInitializer(fn, 'kernelInitializer', this.kernelInitializer),
    );
    if (this.useBias) this.bias = this.addWeight('bias', [this.filters], 'float32', tf.initializers.zeros());
    this.built = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _kwargs: Kwargs): tf.Tensor {
    return tf.tidy(() => {
      const x = oneTensor('GroupedConv2D', inputs) as tf.Tensor4D;
      const kernel = this.kernel!.read() as tf.Tensor4D;
      let y: tf.Tensor4D;
      if (this.groups === 1) {
        y = tf.conv2d(x, kernel, this.strides, this.padding, 'NHWC', this.dilationRate);
      } else {
        const xs = tf.split(x, this.groups, 3) as tf.Tensor4D[];
        const ks = tf.split(kernel, this.groups, 3) as tf.Tensor4D[];
        y = tf.concat<tf.Tensor4D>(
          xs.map((xg, q) => tf.conv2d(xg, ks[q], this.strides, this.padding, 'NHWC', this.dilationRate)),
          3,
        );
      }
      return this.bias ? tf.add(y, this.bias.read()) : y;
    });
  }

  override computeOutputShape(inputShape: LayerShape | LayerShape[]): LayerShape {
    return convLayerOutputShape('GroupedConv2D', inputShape, this);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), ...convArgsConfig(this), groups: this.groups };
  }
}
tf.serialization.registerClass(GroupedConv2D);

/**
 * Factory for {@link GroupedConv2D}.
 * @example const y = groupedConv2d({ filters: 64, kernelSize: 3, groups: 4, padding: 'same' }).apply(x);
 * @see notebooks/q23-alternative-convolutions.ipynb
 */
export function groupedConv2d(args: GroupedConv2DArgs): GroupedConv2D {
  return new GroupedConv2D(args);
}
