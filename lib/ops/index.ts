// Hand-written tensor math for teaching: plain typed arrays, no TensorFlow.js (see lib/ops/*.ts).
export { ndarray, ndZeros, ndReshape, ndToArray, maxAbsDiff, shapeSize, type NDArray, type Nested } from './ndarray';
export { ndRandom } from './random';
export { convOutputSize, type Padding, type AxisPadding, type Pair, type Window2d } from './output-size';
export { conv2d, conv2dBackward, type Conv2dOptions, type Conv2dGrads } from './conv2d';
export { depthwiseConv2d, depthwiseConv2dBackward, type DepthwiseConv2dOptions } from './depthwise-conv2d';
export { im2col, matMul, conv2dIm2col, type Im2colOptions } from './im2col';
export {
  maxPool2d,
  avgPool2d,
  maxPool2dWithArgmax,
  maxPool2dBackward,
  avgPool2dBackward,
  type Pool2dOptions,
  type MaxPoolResult,
} from './pool2d';
export { globalAvgPool2d, globalMaxPool2d } from './global-pool';
export { dense, denseBackward } from './dense';
export { relu, reluBackward, sigmoid, softmax } from './activations';
export { lrn, type LrnOptions } from './lrn';
export { batchNorm, batchMoments, batchNormTraining, updateMovingMoments, type Moments } from './batch-norm';
export { squash } from './squash';
export {
  layerShapes,
  ELEMENTWISE_TYPES,
  type LayerSpec,
  type Conv2dSpec,
  type DepthwiseConv2dSpec,
  type Pool2dSpec,
  type DenseSpec,
  type SimpleSpec,
  type ResolvedLayer,
} from './layer-spec';
export { layerStats, paramCount, flopCount, activationMemory, conv2dParamCount, denseParamCount, type LayerStats } from './layer-stats';
export { receptiveField, type WindowLayer, type ReceptiveFieldRow } from './receptive-field';
