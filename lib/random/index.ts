export { seededRandom } from './generator';
export { seed, unseed, currentSeed } from './seed';
export { overSeeds, type SeedRuns } from './over-seeds';
