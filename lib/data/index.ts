export { decodeIdx, readIdx, type IdxArray } from './idx';
export * from './mnist';
export { clutteredMnist, type ClutteredMnist } from './cluttered-mnist';
