import { defineProject } from 'vitest/config';

// The fault-injection suite (pnpm test:faults). Scenarios start real tgun arbiters under load and kill
// things on purpose; files run one at a time so two scenarios never fight over 2 shared cores.
export default defineProject({
  test: {
    name: 'bench',
    include: ['faults/**/*.test.ts'],
    testTimeout: 90_000,
    hookTimeout: 60_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
