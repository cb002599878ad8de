import { readFileSync } from 'fs';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { BackendError } from '../../../lib/errors';
import {
  INTERNALS,
  adamState,
  checkThreadedGlue,
  checkWasmBackend,
  layerNodesIn,
  mainPrelude,
  replaceTrainAdam,
} from '../../../lib/backend/internals';
import { ready } from '../../../lib/backend/select';

const glue = readFileSync(require.resolve('@tensorflow/tfjs-backend-wasm'), 'utf8');

describe('the internals of tfjs-backend-wasm', () => {
  it('finds every marker of the threaded glue in the shipped file', () => {
    expect(() => checkThreadedGlue()).not.toThrow();
    expect(mainPrelude()).toBe(
      "var require$$0 = require('fs'), require$$1 = require('path'), require$$3 = require('perf_hooks'), require$$4 = require('os'), commonjsGlobal = globalThis;\n",
    );
  });

  it('names a marker replaced by a wrong one', () => {
    const saved = INTERNALS.mainScriptMarker;
    INTERNALS.mainScriptMarker = 'var WasmBackendModuleThreadedSimd2 = " +';
    try {
      expect(() => checkThreadedGlue()).toThrow(BackendError);
      expect(() => checkThreadedGlue()).toThrow(
        `ready: tfjs-backend-wasm internal 'var WasmBackendModuleThreadedSimd2 = " +' not found (tfjs-backend-wasm 4.22.0 expected)`,
      );
    } finally {
      INTERNALS.mainScriptMarker = saved;
    }
  });

  it('names a rollup binding that the glue no longer declares', () => {
    const changed = glue.replace("var require$$3 = require('perf_hooks');", "var require$$5 = require('perf_hooks');");
    expect(() => checkThreadedGlue(changed)).toThrow("ready: tfjs-backend-wasm internal 'require$$3' not found");
  });

  it("checks the running backend's allocation methods", async () => {
    await ready({ quiet: true });
    if (tf.getBackend() === 'wasm') expect(() => checkWasmBackend()).not.toThrow();
    expect(() => checkWasmBackend({ makeOutput: () => ({}) })).toThrow(
      "ready: tfjs-backend-wasm internal 'typedArrayFromHeap' not found (tfjs-backend-wasm 4.22.0 expected): not a method of the wasm backend (got undefined)",
    );
  });
});

describe('the internals of tfjs-layers', () => {
  it("reads a functional model's graph: each layer's inputs", () => {
    const x = tf.input({ shape: [4], name: 'x' });
    const a = tf.layers.dense({ units: 3, name: 'a' }).apply(x) as tf.SymbolicTensor;
    const b = tf.layers.dense({ units: 3, name: 'b' }).apply(x) as tf.SymbolicTensor;
    const sum = tf.layers.add({ name: 'sum' });
    const model = tf.model({ inputs: x, outputs: sum.apply([a, b]) as tf.SymbolicTensor });
    expect(layerNodesIn(model, sum)[0].inboundLayers.map((l) => l.name)).toEqual(['a', 'b']);
    expect(layerNodesIn(model, model.getLayer('a'))[0].inboundLayers.map((l) => l.name)).toEqual(['x']);
    model.dispose();
  });

  it('names a field replaced by a wrong one', () => {
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [3] })] });
    const saved = INTERNALS.layerNodes;
    INTERNALS.layerNodes = 'inboundNodez';
    try {
      expect(() => layerNodesIn(model, model.layers[0], 'summary')).toThrow(BackendError);
      expect(() => layerNodesIn(model, model.layers[0], 'summary')).toThrow(
        "summary: tfjs-layers internal 'Layer.inboundNodez' not found (tfjs-layers 4.22.0 expected): expected an array of nodes with inboundLayers, got undefined",
      );
    } finally {
      INTERNALS.layerNodes = saved;
    }
    model.dispose();
  });
});

describe('the internals of tfjs-core (the fused Adam step)', () => {
  it("reads AdamOptimizer's state and names a missing field", () => {
    const opt = new tf.AdamOptimizer(0.01, 0.9, 0.999);
    expect(adamState(opt).beta1).toBe(0.9);
    expect(adamState(opt).accBeta1.dataSync()[0]).toBeCloseTo(0.9, 7);
    const saved = INTERNALS.adamFields;
    INTERNALS.adamFields = [...saved, 'accBeta3'];
    try {
      expect(() => adamState(opt, 'FusedAdamOptimizer.applyGradients')).toThrow(
        "FusedAdamOptimizer.applyGradients: tfjs-core internal 'AdamOptimizer.accBeta3' not found (tfjs-core 4.22.0 expected): not a field of the optimizer",
      );
    } finally {
      INTERNALS.adamFields = saved;
    }
    opt.dispose();
  });

  it('names a missing tf.train factory', () => {
    const saved = INTERNALS.trainAdam;
    INTERNALS.trainAdam = 'adamm';
    try {
      expect(() => replaceTrainAdam(undefined, 'registerWasmKernels')).toThrow(
        "registerWasmKernels: tfjs-core internal 'train.adamm' not found (tfjs-core 4.22.0 expected): not a function (got undefined)",
      );
    } finally {
      INTERNALS.trainAdam = saved;
    }
  });
});
