import { fileURLToPath } from 'node:url';
import { defineComparison, tgunTarget, workerSimTarget } from '@tgun/conformance';

defineComparison({
  name: 'plain node server (CommonJS) calling listen() at import',
  app: { module: fileURLToPath(new URL('./examples/server.cjs', import.meta.url)) },
  steps: [
    { path: '/' },
    { path: '/notes' },
    { method: 'POST', path: '/notes', body: 'first note' },
    { path: '/notes' },
    { path: '/query?a=1&b=two' },
    { path: '/elsewhere' },
  ],
  targets: [workerSimTarget(), tgunTarget()],
});
