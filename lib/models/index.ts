// Model builders of cnnlib: the reference answers' networks, the named architectures, and Keras-style summaries.
export type { ArchitectureOptions } from './common';
export { q1Cnn, q2Cnn, q7Cnn, q13ShallowCnn, q13DeepCnn, type Q13CnnOptions } from './seed-cnns';
export { normalizationCnn, type NormalizationKind, type NormalizationCnnOptions } from './normalization-cnn';
export { inceptionBranchParams, type InceptionBranchParams } from './inception-branch-params';
export { miniGoogLeNet, GOOGLENET_3A, GOOGLENET_3B } from './mini-googlenet';
export { unet, maskOverlap, type UnetOptions } from './unet';
export { dqn, actorCritic } from './rl';
export { cbamCnn } from './attention-cnn';
export { vgg16 } from './vgg16';
export { resnet50 } from './resnet50';
export { inceptionV3 } from './inception-v3';
export { efficientNetB0 } from './efficientnet-b0';
export { summary, parameterTable, modelDepth, formatCount, type ParameterTableRow } from './summary';
export { accuracy } from './evaluate';
