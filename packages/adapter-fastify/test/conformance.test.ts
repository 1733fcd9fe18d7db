import { fileURLToPath } from 'node:url';
import { defineConformanceSuite, inProcessTarget, tgunTarget, workerSimTarget } from '@tgun/conformance';
import { adapter } from '../src/index.js';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

for (const [name, file] of [
  ['fastify 5', 'fastify5.mjs'],
  ['fastify 4', 'fastify4.mjs'],
] as const) {
  defineConformanceSuite({
    name,
    app: { module: fixture(file), variable: 'app' },
    features: { forwarded: true, close: true },
    targets: [inProcessTarget(adapter), inProcessTarget(adapter, { unix: true }), workerSimTarget(), tgunTarget()],
  });
}
