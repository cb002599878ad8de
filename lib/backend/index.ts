export * from './select';
export * from './wasm-kernels';
export * from './seed';
export * from './timing';
