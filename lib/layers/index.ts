// TensorFlow.js layers of cnnlib: Layer classes (with lower-case factories) and functional-API blocks.
export type { LayerArgs, InitializerName } from './common';
export { LocalResponseNormalization, type LocalResponseNormalizationArgs } from './lrn';
export { SqueezeExcitation, squeezeExcitation, type SqueezeExcitationArgs } from './squeeze-excitation';
export { SpatialAttention, spatialAttention, type SpatialAttentionArgs } from './spatial-attention';
export { Cbam, cbam, type CbamArgs } from './cbam';
export { AttentionPooling, attentionPooling, type AttentionPoolingArgs } from './attention-pooling';
export { CapsuleLayer, capsuleLayer, capsuleSquash, capsuleLengths, type CapsuleLayerArgs, type RoutingTrace } from './capsule';
export { PrimaryCapsules, CapsuleLength, capsuleMarginLoss, type PrimaryCapsulesArgs } from './capsule-net';
export { DepthwiseSeparableConv2D, depthwiseSeparableConv2d, type DepthwiseSeparableConv2DArgs } from './separable';
export { GroupedConv2D, groupedConv2d, type GroupedConv2DArgs } from './grouped';
export { Normalization, type NormalizationArgs } from './normalization';
export {
  inceptionModule,
  inceptionBranchOf,
  INCEPTION_BRANCHES,
  type InceptionModuleArgs,
  type InceptionBranch,
} from './inception';
export { residualBlock, bottleneckBlock, type ResidualBlockArgs, type BottleneckBlockArgs } from './residual';
