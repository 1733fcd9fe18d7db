import { defineProject } from 'vitest/config';

// The smoke test starts tgun and its workers on a shared, noisy machine: forks, generous time, and no test
// asserts on timing.
export default defineProject({
  test: {
    name: 'raw-node',
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
