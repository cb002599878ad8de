export { decodeIdx, readIdx, type IdxArray } from './idx';
export * from './mnist';
