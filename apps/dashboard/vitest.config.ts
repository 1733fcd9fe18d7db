import { defineProject } from 'vitest/config';

// The browser and tgun tests start real processes (Chromium, the tgun arbiter and its workers) on a shared,
// noisy machine, so they run in forks with generous time; no test asserts on timing.
export default defineProject({
  test: {
    name: 'dashboard',
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
