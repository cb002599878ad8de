// setupFiles of the unit project: every test file runs on the backend the notebooks use.
import { beforeAll } from 'vitest';
import { ready } from '../../lib/backend/select';

beforeAll(async () => {
  await ready({ quiet: true });
});
