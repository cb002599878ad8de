// Sweep tables: the backend room's pure functions, the exports the sweep does not call (and why), and the
// failures it tolerates (and why).
import * as lib from '../../../lib/index';
import { custom, entry, type Entry } from './harness';

const U = undefined;

export const backendEntries: Entry[] = [
  entry(['forcedBackend', 'ready'], (v) => lib.forcedBackend(v), [custom('value', () => 'cpu', () => [["'bogus'", 'bogus'], ['42', 42]], { optional: true })]),
  entry(['wasmThreads', 'ready'], (v, c) => lib.wasmThreads(v, c), [
    custom('value', () => '1', () => [["'0'", '0'], ["'9'", '9'], ["'1.5'", '1.5'], ["'x'", 'x'], ['42', 42]], { optional: true }),
    custom('cores', () => U, () => [['NaN', NaN], ['0', 0], ['-1', -1]], { optional: true }),
  ]),
];

/** Exports the sweep does not call, with the reason. */
export const EXEMPT: Record<string, string> = {
  ArgError: 'an error class: its message is any text',
  DataError: 'an error class: its message is any text',
  BackendError: 'an error class: its message is any text',
  describe: 'takes any value by design (it shortens values for messages)',
  argMessage: 'a message builder: fn, arg and rule are literals written by library code; the value is any value',
  argError: 'a message builder: fn, arg and rule are literals written by library code; the value is any value',
  unseed: 'no parameters',
  currentSeed: 'no parameters',
  mnistDir: 'no parameters',
  inKernel: 'no parameters',
  installRichResults: 'no parameters; importing cnnlib calls it',
  wasmThreadsInUse: 'no parameters',
  registerWasmKernels: 'no parameters; it (re)registers the kernels of the running backend',
  ready: 'starts the backend of this process once (its options are read on the first call only); see test/lib/backend/select.test.ts',
  withWasmThreads: 'restarts the backend of this process; see test/lib/backend/wasm-threads.test.ts',
};

const BACKEND = 'lib/backend/ is owned by the backend work of issue 13 (kernels); reported there, not fixed here';

/** Failures the sweep tolerates, `fn: case label` -> why. */
export const KNOWN: Record<string, string> = {};
