/**
 * Depthwise-separable convolution (MobileNet, Xception) as a TensorFlow.js layer: a k x k depthwise
 * convolution filters each input channel on its own (spatial mixing), then a 1 x 1 pointwise convolution
 * mixes channels.
 *
 *   parameters: k^2 C_in m  (depthwise)  +  C_in m C_out  (pointwise)  +  C_out (bias)
 *   standard:   k^2 C_in C_out + C_out
 *
 * with depth multiplier m (default 1). Like Keras's SeparableConv2D, the depthwise step has no bias. The
 * reference answer's Q23 version (DepthwiseConv2D then Conv2D, two Keras layers) adds C_in depthwise biases.
 * @see notebooks/q23-alternative-convolutions.ipynb
 */
import * as tf from '@tensorflow/tfjs';
import { checkPositiveInt } from '../check';
import { channelsOf, checkWeightShapes, type InitializerName, type Kwargs, type LayerShape, layerArgs, makeInitializer, oneShape, oneTensor } from './common';
import { CONV_ARG_KEYS, type ConvArgs, convArgsConfig, convLayerOutputShape, resolveConvArgs } from './conv-args';

/**
 * The conv arguments ({@link ConvArgs}: filters is C_out of the pointwise step; kernelSize, strides and
 * dilationRate are the depthwise step's; the bias comes after the pointwise step; kernelInitializer
 * initializes both kernels) and the depth multiplier.
 */
export interface DepthwiseSeparableConv2DArgs extends ConvArgs {
  /** Depthwise outputs per input channel, m. Default 1. */
  depthMultiplier?: number;
}

/**
 * Depthwise-separable convolution: [N, H, W, C_in] -> [N, H', W', filters].
 * @throws ArgError when filters, kernelSize, strides, depthMultiplier or dilationRate is not a positive
 *   integer (or pair), padding is not 'valid' or 'same', strides and dilation both exceed 1, useBias is not a
 *   boolean, the input is not rank 4, or (padding 'valid') the (dilated) kernel is larger than the input
 * @example depthwiseSeparableConv2d({ filters: 64, kernelSize: 3, padding: 'same' })   // 3*3*32 + 32*64 + 64 = 2,400 params on 32 channels
 * @see notebooks/q23-alternative-convolutions.ipynb
 */
export class DepthwiseSeparableConv2D extends tf.layers.Layer {
  /** @nocollapse */
  static className = 'DepthwiseSeparableConv2D';
  readonly filters: number;
  readonly kernelSize: [number, number];
  readonly strides: [number, number];
  readonly padding: 'valid' | 'same';
  readonly depthMultiplier: number;
  readonly dilationRate: [number, number];
  readonly useBias: boolean;
  readonly kernelInitializer: InitializerName;
  private depthwiseKernel?: tf.LayerVariable;
  private pointwiseKernel?: tf.LayerVariable;
  private bias?: tf.LayerVariable;

  constructor(args: DepthwiseSeparableConv2DArgs) {
    const fn = 'DepthwiseSeparableConv2D';
    super(layerArgs(fn, args, [...CONV_ARG_KEYS, 'depthMultiplier'], 'filters and kernelSize'));
    const c = resolveConvArgs(fn, args, 'filters and kernelSize');
    ({ filters: this.filters, kernelSize: this.kernelSize, strides: this.strides, padding: this.padding } = c);
    ({ dilationRate: this.dilationRate, useBias: this.useBias, kernelInitializer: this.kernelInitializer } = c);
    this.depthMultiplier = checkPositiveInt(fn, 'depthMultiplier', args.depthMultiplier ?? 1);
  }

  override build(inputShape: LayerShape | LayerShape[]): void {
    const fn = 'DepthwiseSeparableConv2D';
    const cin = channelsOf(fn, oneShape(fn, inputShape));
    convLayerOutputShape(fn, inputShape, this); // the kernel fits, before any weight exists
    const [kh, kw] = this.kernelSize;
    const m = this.depthMultiplier;
    const init = () => makeInitializer(fn, 'kernelInitializer', this.kernelInitializer);
    checkWeightShapes(fn, { depthwise_kernel: [kh, kw, cin, m], pointwise_kernel: [1, 1, cin * m, this.filters] });
    this.depthwiseKernel = this.addWeight('depthwise_kernel', [kh, kw, cin, m], 'float32', init());
    this.pointwiseKernel = this.addWeight('pointwise_kernel', [1, 1, cin * m, this.filters], 'float32', init());
    if (this.useBias) this.bias = this.addWeight('bias', [this.filters], 'float32', tf.initializers.zeros());
    this.built = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _kwargs: Kwargs): tf.Tensor {
    return tf.tidy(() => {
      const x = oneTensor('DepthwiseSeparableConv2D', inputs) as tf.Tensor4D;
      const y = tf.separableConv2d(
        x,
        this.depthwiseKernel!.read() as tf.Tensor4D,
        this.pointwiseKernel!.read() as tf.Tensor4D,
        this.strides,
        this.padding,
        this.dilationRate,
      );
      return this.bias ? tf.add(y, this.bias.read()) : y;
    });
  }

  override computeOutputShape(inputShape: LayerShape | LayerShape[]): LayerShape {
    return convLayerOutputShape('DepthwiseSeparableConv2D', inputShape, this);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), ...convArgsConfig(this), depthMultiplier: this.depthMultiplier };
  }
}
tf.serialization.registerClass(DepthwiseSeparableConv2D);

/**
 * Factory for {@link DepthwiseSeparableConv2D}.
 * @example const y = depthwiseSeparableConv2d({ filters: 64, kernelSize: 3, padding: 'same' }).apply(x);
 * @see notebooks/q23-alternative-convolutions.ipynb
 */
export function depthwiseSeparableConv2d(args: DepthwiseSeparableConv2DArgs): DepthwiseSeparableConv2D {
  return new DepthwiseSeparableConv2D(args);
}
