/**
 * cnnlib: the helper library of cnn-notebooks. Import it in the first cell of a notebook:
 *
 *     import { tf, ready } from 'cnnlib';
 *     await ready();   // picks tfjs-node, else wasm, else cpu, and prints which
 *
 * Layers, each importing only from those above it: ops (no tfjs), backend, layers and models,
 * data, rl (the Catch environment, frames, replay buffer), grad, viz (pure spec builders), display (the
 * only module that talks to the kernel).
 */
import * as tf from '@tensorflow/tfjs';

export { tf };
export * from './errors';
export * from './check';
export * from './ops';
export * from './random';
export * from './timing';
export * from './backend';
export * from './layers';
export * from './models';
export * from './data';
export * from './rl';
export * from './grad';
export * from './viz';
export * from './display';
