import { fileURLToPath } from 'node:url';
import { defineConformanceSuite, inProcessTarget, tgunTarget, workerSimTarget } from '@tgun/conformance';
import { adapter } from '../src/index.js';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

for (const [name, file, variable] of [
  ['node (req, res) handler', 'handler.mjs', 'handler'],
  ['node http.Server', 'server.mjs', 'server'],
  ['node async factory', 'factory.mjs', undefined],
] as const) {
  defineConformanceSuite({
    name,
    app: { module: fixture(file), ...(variable ? { variable } : {}) },
    targets: [inProcessTarget(adapter), inProcessTarget(adapter, { unix: true }), workerSimTarget(), tgunTarget()],
  });
}
