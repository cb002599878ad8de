export { layerGradientStats, type GradStats, type LayerGradStats, type VariableGradStats } from './stats';
export { saliencyMap, smoothGrad, gradientTimesInput, integratedGradients, type IntegratedGradients, type SaliencyOptions } from './saliency';
export { gradCam, type GradCamResult } from './grad-cam';
export { empiricalReceptiveField, type EmpiricalReceptiveField } from './receptive-field';
export { fgsm, pgd, epsilonSweep, adversarialTraining, type SweepRow, type AdversarialEpoch } from './adversarial';
export { deepfool, type DeepFoolResult } from './deepfool';
export { memoryProbe, type MemoryProbe } from './memory-probe';
export { checkpointedGradients, type CheckpointSegment, type CheckpointOptions } from './checkpoint';
