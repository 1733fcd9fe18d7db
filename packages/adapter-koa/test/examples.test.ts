import { fileURLToPath } from 'node:url';
import { defineComparison, type Step, tgunTarget, workerSimTarget } from '@tgun/conformance';

const example = (name: string) => fileURLToPath(new URL(`./examples/${name}`, import.meta.url));

const steps: readonly Step[] = [
  { path: '/' },
  { path: '/readme.txt' },
  { path: '/posts' },
  { path: '/posts/2' },
  { path: '/posts/7' },
  { method: 'POST', path: '/posts' },
  { path: '/views' },
  { path: '/views' },
  { path: '/views' },
  { path: '/boom' },
  { path: '/nothing-here' },
];
// koa-session stamps its cookie with an expiry time.
const volatileCookies = ['koa.sess', 'koa.sess.sig'];

defineComparison({
  name: 'koa example calling app.listen() at import',
  app: { module: example('self-listening.mjs') },
  steps,
  volatileCookies,
  targets: [workerSimTarget(), tgunTarget()],
});

defineComparison({
  name: 'koa example listening only as the main module',
  app: { module: example('main-guarded.mjs'), variable: 'app' },
  steps,
  volatileCookies,
  targets: [workerSimTarget(), tgunTarget()],
});
