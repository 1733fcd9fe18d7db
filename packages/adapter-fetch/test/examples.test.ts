import { fileURLToPath } from 'node:url';
import { defineComparison, type Step, tgunTarget, workerSimTarget } from '@tgun/conformance';

const example = (name: string) => fileURLToPath(new URL(`./examples/${name}`, import.meta.url));
const json = { 'content-type': 'application/json' };
const admin = `Basic ${Buffer.from('admin:secret').toString('base64')}`;

const steps: readonly Step[] = [
  { path: '/' },
  { path: '/static/hello.txt' },
  { path: '/api/books' },
  { path: '/api/books/1' },
  { path: '/api/books/5' },
  { method: 'POST', path: '/api/books', headers: json, body: JSON.stringify({ title: 'SICP' }) },
  { method: 'POST', path: '/api/books', headers: json, body: '{}' },
  { path: '/visit' },
  { path: '/visit' },
  { path: '/admin/panel' },
  { path: '/admin/panel', headers: { authorization: admin } },
  { path: '/boom' },
  { path: '/missing' },
];

defineComparison({
  name: 'hono example started with serve() at import',
  app: { module: example('self-listening.mjs') },
  steps,
  targets: [workerSimTarget(), tgunTarget()],
});

defineComparison({
  name: 'hono example exported as default',
  app: { module: example('main-guarded.mjs') },
  steps,
  targets: [workerSimTarget(), tgunTarget()],
});
