import { fileURLToPath } from 'node:url';
import { defineComparison, type Step, tgunTarget, workerSimTarget } from '@tgun/conformance';

const example = (name: string) => fileURLToPath(new URL(`./examples/${name}`, import.meta.url));
const json = { 'content-type': 'application/json' };

const steps: readonly Step[] = [
  { path: '/' },
  { path: '/items' },
  { path: '/items/1' },
  { path: '/items/42' },
  { path: '/items/not-a-number' },
  { method: 'POST', path: '/items', headers: json, body: JSON.stringify({ name: 'second' }) },
  { method: 'POST', path: '/items', headers: json, body: JSON.stringify({ name: '' }) },
  { method: 'POST', path: '/items', headers: json, body: '{not json' },
  { path: '/boom' },
  { path: '/nowhere' },
  { method: 'HEAD', path: '/' },
];

defineComparison({
  name: 'fastify example calling app.listen() at import',
  app: { module: example('self-listening.mjs') },
  steps,
  targets: [workerSimTarget(), tgunTarget()],
});

defineComparison({
  name: 'fastify example listening only as the main module',
  app: { module: example('main-guarded.mjs'), variable: 'app' },
  steps,
  targets: [workerSimTarget(), tgunTarget()],
});
