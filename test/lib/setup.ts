// setupFiles of the unit project: every test file runs on the backend the notebooks use, with
// Math.random seeded, so a test that draws random data without a seed of its own sees the same data on
// every run and a failure can be replayed (CNN_TEST_SEED chooses another stream).
import { beforeAll } from 'vitest';
import { ready } from '../../lib/backend/select';
import { seed } from '../../lib/random/seed';

// vitest runs one test file per core at a time: one wasm thread each (see wasm-threads.test.ts for
// the multi-threaded backend).
process.env.CNN_WASM_THREADS ??= '1';

beforeAll(async () => {
  await ready({ quiet: true });
  seed(Number(process.env.CNN_TEST_SEED ?? 20261202));
});
