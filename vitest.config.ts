import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Test files share their worker's module cache (each file still gets a fresh copy of its own
    // state): the suite's cost was mostly every file importing the sources again.
    isolate: false,
    // Most files wait on loopback servers and child processes, not on CPU: 3 workers on 2 cores.
    maxWorkers: 3,
    reporters: ['default'],
  },
});
