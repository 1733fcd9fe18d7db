import { defineConfig } from 'vitest/config';

// One root run over every workspace project. Integration tests start real processes, so they run in forks
// and each file gets generous time; no test asserts on timing.
export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/*'],
  },
});
