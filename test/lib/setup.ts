// setupFiles of the unit project: every test file runs on the backend the notebooks use.
import { beforeAll } from 'vitest';
import { ready } from '../../lib/backend/select';

// vitest runs one test file per core at a time: one wasm thread each (see wasm-threads.test.ts for
// the multi-threaded backend).
process.env.CNN_WASM_THREADS ??= '1';

beforeAll(async () => {
  await ready({ quiet: true });
});
