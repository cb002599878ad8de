// Reinforcement learning for q25: the Catch environment, frame stacking and preprocessing, the replay
// buffer and the episode loop (the networks themselves are in lib/models/rl.ts).
export { CATCH_ACTIONS, CatchEnv, type CatchOptions, type CatchStep } from './catch-env';
export { stackFrames, FrameStack, preprocessFrame } from './frames';
export { ReplayBuffer, type ReplayTransition, type ReplayBatch } from './replay-buffer';
export { playEpisodes, playEveryStart } from './episodes';
export { discountedReturns, actorCriticLoss, type ActorCriticLossOptions } from './actor-critic';
