import { fileURLToPath } from 'node:url';
import { defineComparison, tgunTarget, workerSimTarget } from '@tgun/conformance';
import { EXPRESS_STEPS } from './examples/steps.js';

const example = (name: string) => fileURLToPath(new URL(`./examples/${name}`, import.meta.url));

defineComparison({
  name: 'express example calling app.listen() at import',
  app: { module: example('self-listening.mjs') },
  steps: EXPRESS_STEPS,
  targets: [workerSimTarget(), tgunTarget()],
});

defineComparison({
  name: 'express example listening only as the main module',
  app: { module: example('main-guarded.mjs'), variable: 'app' },
  steps: EXPRESS_STEPS,
  targets: [workerSimTarget(), tgunTarget()],
});
