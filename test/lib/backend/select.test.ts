import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { forcedBackend, ready } from '../../../lib/backend/select';

describe('ready', () => {
  it('runs on wasm here and reports it', async () => {
    const info = await ready({ quiet: true });
    expect(info.name).toBe(tf.getBackend());
    expect(['tensorflow', 'wasm', 'cpu']).toContain(info.name);
  });

  it("leaves no listener that rethrows process errors (Emscripten's glue would crash a kernel)", async () => {
    await ready({ quiet: true });
    for (const event of ['uncaughtException', 'unhandledRejection'] as const) {
      const rethrowing = (process as unknown as NodeJS.EventEmitter).listeners(event).filter((l) => /throw (ex|reason)\b/.test(l.toString()));
      expect(rethrowing, event).toEqual([]);
    }
  });

  it('parses CNN_BACKEND', () => {
    expect(forcedBackend(undefined)).toBeUndefined();
    expect(forcedBackend('auto')).toBeUndefined();
    expect(forcedBackend('node')).toBe('tensorflow');
    expect(forcedBackend('wasm')).toBe('wasm');
    expect(() => forcedBackend('gpu')).toThrow(
      `ready: CNN_BACKEND must be one of 'tensorflow' (or 'node'), 'wasm', 'cpu', 'auto', got "gpu"`,
    );
  });
});
