import { defineProject } from 'vitest/config';

// The test runs the tgun command on a shared, noisy machine: forks, generous time, and no test
// asserts on timing.
export default defineProject({
  test: {
    name: 'deploy-supervisor',
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
