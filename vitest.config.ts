import { defineConfig } from 'vitest/config';

// Two projects: `unit` (lib/, fast, no Jupyter) and `notebooks` (executes every notebook through
// real Jupyter once, in globalSetup, then checks what each printed).
export default defineConfig({
  test: {
    reporters: ['default'],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/lib/**/*.test.ts', 'test/bench/**/*.test.ts'],
          setupFiles: ['test/lib/setup.ts'],
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'notebooks',
          include: ['test/notebooks/**/*.test.ts', 'test/kernel/**/*.test.ts', 'test/guide/**/*.test.ts'],
          globalSetup: ['test/notebooks/setup.ts'],
          testTimeout: 300_000,
          hookTimeout: 1_800_000,
        },
      },
    ],
  },
});
