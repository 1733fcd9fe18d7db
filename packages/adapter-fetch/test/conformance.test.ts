import { fileURLToPath } from 'node:url';
import { defineConformanceSuite, inProcessTarget, tgunTarget, workerSimTarget } from '@tgun/conformance';
import { adapter } from '../src/index.js';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

for (const [name, file, variable] of [
  ['fetch: hono', 'hono.mjs', undefined],
  ['fetch: itty-router', 'itty.mjs', 'router'],
  ['fetch: export default { fetch }', 'plain.mjs', undefined],
] as const) {
  defineConformanceSuite({
    name,
    app: { module: fixture(file), ...(variable ? { variable } : {}) },
    targets: [inProcessTarget(adapter), inProcessTarget(adapter, { unix: true }), workerSimTarget(), tgunTarget()],
  });
}
