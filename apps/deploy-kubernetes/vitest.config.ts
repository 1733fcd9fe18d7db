import { defineProject } from 'vitest/config';

// The tests run the tgun command on a shared, noisy machine: forks, generous time, and no test
// asserts on timing.
export default defineProject({
  test: {
    name: 'deploy-kubernetes',
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
