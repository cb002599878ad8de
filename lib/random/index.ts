export { seededRandom } from './generator';
export { seed, unseed, currentSeed } from './seed';
