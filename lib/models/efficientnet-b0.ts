/**
 * EfficientNetB0 (Tan & Le 2019) built layer by layer with random weights, following Keras Applications'
 * `EfficientNetB0` (width and depth coefficients 1.0, so no rounding changes any size):
 *   Rescaling(1/255) -> Normalization (mean, variance, count: 7 non-trainable numbers for RGB) ->
 *   stem 3x3/2 conv (no bias) + BN + swish ->
 *   16 MBConv blocks in 7 stages (kernel, repeats, filters in -> out, expansion, stride):
 *     3,1,32->16,1,1 | 3,2,16->24,6,2 | 5,2,24->40,6,2 | 3,3,40->80,6,2 | 5,3,80->112,6,1 | 5,4,112->192,6,2 | 3,1,192->320,6,1
 *   top 1x1 conv to 1280 + BN + swish -> [global average pool, dropout 0.2, softmax dense].
 * An MBConv block: 1x1 expansion (if expansion > 1) + BN + swish, depthwise k x k + BN + swish, squeeze-
 * and-excitation (reduce to max(1, floor(filters_in / 4)) with bias and swish, expand with bias and sigmoid,
 * multiply), 1x1 projection + BN, and a residual add (with drop-connect dropout) when the shape is kept.
 * Strided depthwise convolutions are preceded by Keras's asymmetric zero padding (`correct_pad`).
 * Keras reports 5,330,571 parameters with the top and 4,049,571 without.
 * @see notebooks/q17-popular-architectures.ipynb
 */
import * as tf from '@tensorflow/tfjs';
import { Normalization } from '../layers/normalization';
import { type ArchitectureOptions, averagePoolTop, resolveOptions, sym } from './common';

type T = tf.SymbolicTensor;

/** Keras's DEFAULT_BLOCKS_ARGS. */
const BLOCKS: readonly {
  kernel: number;
  repeats: number;
  filtersIn: number;
  filtersOut: number;
  expand: number;
  strides: number;
}[] = [
  { kernel: 3, repeats: 1, filtersIn: 32, filtersOut: 16, expand: 1, strides: 1 },
  { kernel: 3, repeats: 2, filtersIn: 16, filtersOut: 24, expand: 6, strides: 2 },
  { kernel: 5, repeats: 2, filtersIn: 24, filtersOut: 40, expand: 6, strides: 2 },
  { kernel: 3, repeats: 3, filtersIn: 40, filtersOut: 80, expand: 6, strides: 2 },
  { kernel: 5, repeats: 3, filtersIn: 80, filtersOut: 112, expand: 6, strides: 1 },
  { kernel: 5, repeats: 4, filtersIn: 112, filtersOut: 192, expand: 6, strides: 2 },
  { kernel: 3, repeats: 1, filtersIn: 192, filtersOut: 320, expand: 6, strides: 1 },
];
const SE_RATIO = 0.25;
const DROP_CONNECT_RATE = 0.2;

/** Keras's imagenet_utils.correct_pad: [[top, bottom], [left, right]] so a stride-2 'valid' conv halves the size. */
function correctPad(size: readonly number[], kernel: number): [[number, number], [number, number]] {
  const adjust = [1 - (size[0] % 2), 1 - (size[1] % 2)];
  const c = Math.floor(kernel / 2);
  return [
    [c - adjust[0], c],
    [c - adjust[1], c],
  ];
}

/**
 * EfficientNetB0 as a tfjs functional model (random weights; nothing is downloaded).
 * @param opts.includeTop default true; opts.inputShape default [224, 224, 3], sides >= 32; opts.classes
 *   default 1000; opts.pooling 'avg' | 'max' without top
 * @returns a LayersModel named 'efficientnetb0' (layer names as in Keras: stem_conv, block1a_dwconv, ...)
 * @throws ArgError on bad options
 * @example const m = efficientNetB0(); m.countParams();   // 5330571
 * @see notebooks/q17-popular-architectures.ipynb
 */
export function efficientNetB0(opts: ArchitectureOptions = {}): tf.LayersModel {
  const o = resolveOptions('efficientNetB0', opts, 224, 32);
  const swish = (x: T, name: string) => sym(tf.layers.activation({ activation: 'swish', name }), x);
  const bn = (x: T, name: string) => sym(tf.layers.batchNormalization({ axis: -1, name }), x);
  const spatial = (x: T) => x.shape.slice(1, 3) as number[];

  const input = tf.input({ shape: o.inputShape, name: 'input_1' });
  let x = sym(tf.layers.rescaling({ scale: 1 / 255, name: 'rescaling' }), input);
  x = sym(new Normalization({ name: 'normalization' }), x);
  x = sym(tf.layers.zeroPadding2d({ padding: correctPad(spatial(x), 3), name: 'stem_conv_pad' }), x);
  x = sym(tf.layers.conv2d({ filters: 32, kernelSize: 3, strides: 2, padding: 'valid', useBias: false, name: 'stem_conv' }), x);
  x = swish(bn(x, 'stem_bn'), 'stem_activation');

  const totalBlocks = BLOCKS.reduce((s, b) => s + b.repeats, 0);
  let b = 0;
  BLOCKS.forEach((args, stage) => {
    for (let j = 0; j < args.repeats; j++) {
      const name = `block${stage + 1}${String.fromCharCode(97 + j)}_`;
      const filtersIn = j === 0 ? args.filtersIn : args.filtersOut;
      const strides = j === 0 ? args.strides : 1;
      const inputs = x;
      const filters = filtersIn * args.expand;
      if (args.expand !== 1) {
        x = sym(tf.layers.conv2d({ filters, kernelSize: 1, padding: 'same', useBias: false, name: `${name}expand_conv` }), x);
        x = swish(bn(x, `${name}expand_bn`), `${name}expand_activation`);
      }
      let pad: 'same' | 'valid' = 'same';
      if (strides === 2) {
        x = sym(tf.layers.zeroPadding2d({ padding: correctPad(spatial(x), args.kernel), name: `${name}dwconv_pad` }), x);
        pad = 'valid';
      }
      x = sym(tf.layers.depthwiseConv2d({ kernelSize: args.kernel, strides, padding: pad, useBias: false, name: `${name}dwconv` }), x);
      x = swish(bn(x, `${name}bn`), `${name}activation`);
      // Squeeze-and-excitation with 1x1 convolutions, sized from filters_in as in Keras.
      const filtersSe = Math.max(1, Math.floor(filtersIn * SE_RATIO));
      let se = sym(tf.layers.globalAveragePooling2d({ name: `${name}se_squeeze` }), x);
      se = sym(tf.layers.reshape({ targetShape: [1, 1, filters], name: `${name}se_reshape` }), se);
      se = sym(tf.layers.conv2d({ filters: filtersSe, kernelSize: 1, padding: 'same', activation: 'swish', name: `${name}se_reduce` }), se);
      se = sym(tf.layers.conv2d({ filters, kernelSize: 1, padding: 'same', activation: 'sigmoid', name: `${name}se_expand` }), se);
      x = sym(tf.layers.multiply({ name: `${name}se_excite` }), [x, se]);
      x = sym(tf.layers.conv2d({ filters: args.filtersOut, kernelSize: 1, padding: 'same', useBias: false, name: `${name}project_conv` }), x);
      x = bn(x, `${name}project_bn`);
      if (strides === 1 && filtersIn === args.filtersOut) {
        const dropRate = (DROP_CONNECT_RATE * b) / totalBlocks;
        if (dropRate > 0) x = sym(tf.layers.dropout({ rate: dropRate, noiseShape: [null, 1, 1, 1] as number[], name: `${name}drop` }), x);
        x = sym(tf.layers.add({ name: `${name}add` }), [x, inputs]);
      }
      b++;
    }
  });

  x = sym(tf.layers.conv2d({ filters: 1280, kernelSize: 1, padding: 'same', useBias: false, name: 'top_conv' }), x);
  x = swish(bn(x, 'top_bn'), 'top_activation');
  x = averagePoolTop(x, o, 0.2);
  return tf.model({ inputs: input, outputs: x, name: 'efficientnetb0' });
}
