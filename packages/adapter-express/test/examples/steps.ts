import type { Step } from '@tgun/conformance';

/** A visit through the example app: static files, templates, routers, a session, errors. */
export const EXPRESS_STEPS: readonly Step[] = [
  { path: '/' },
  { path: '/style.css' },
  { path: '/users' },
  { path: '/users/2' },
  { path: '/users/9' },
  { path: '/me' },
  {
    method: 'POST',
    path: '/login',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'name=tobi',
  },
  { path: '/me' },
  { path: '/me' },
  { path: '/logout' },
  { path: '/me' },
  { path: '/boom' },
  { path: '/missing' },
  { method: 'HEAD', path: '/users' },
];
