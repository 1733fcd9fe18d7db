import { defineConfig } from 'vitest/config';

// One root run over every workspace project; each package/app declares its own project (name, include,
// timeouts) in its vitest.config.ts. Integration tests start real processes, so projects use forks.
export default defineConfig({
  test: {
    projects: ['packages/*/vitest.config.ts', 'apps/*/vitest.config.ts'],
  },
});
