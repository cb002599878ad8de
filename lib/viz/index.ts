export * from './render';
export * from './images';
