import { defineProject } from 'vitest/config';

// The test starts real nginx and tgun processes on a shared, noisy machine: forks, generous time, and no test
// asserts on timing.
export default defineProject({
  test: {
    name: 'deploy-nginx',
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
