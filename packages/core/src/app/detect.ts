/**
 * Turning whatever an app module exports into a {@link ServedApp}. The built-in detectors cover what core
 * serves without an adapter: an object that already is a `ServedApp`, an `http.Server`/`net.Server`, and a
 * plain `(req, res)` function. Framework adapters extend {@link DETECTORS}; order matters (most specific first).
 */
import type { RequestListener } from 'node:http';
import { Server as NetServer } from 'node:net';
import type { ServedApp } from '../adapter.js';

/** One way of recognising an app: returns the served app, or null when `value` is not its shape. */
export type Detector = (value: unknown) => ServedApp | null;

function isServedApp(value: unknown): value is ServedApp {
  if (value === null || typeof value !== 'object') return false;
  const v = value as { kind?: unknown; listener?: unknown; server?: unknown };
  if (v.kind === 'listener') return typeof v.listener === 'function';
  if (v.kind === 'server') return v.server instanceof NetServer;
  return false;
}

/** The detectors tried in order; adapters insert theirs before the plain-function fallback. */
export const DETECTORS: Detector[] = [
  (value) => (isServedApp(value) ? value : null),
  (value) => (value instanceof NetServer ? { kind: 'server', server: value } : null),
  (value) => (typeof value === 'function' ? { kind: 'listener', listener: value as RequestListener } : null),
];

/** The served app for `value`, or null when no detector recognises it. Never awaits or mutates `value`. */
export function detectServedApp(value: unknown): ServedApp | null {
  for (const detect of DETECTORS) {
    const found = detect(value);
    if (found) return found;
  }
  return null;
}

/**
 * Whether `value` looks like an app factory (`export default () => createApp()`): a function declaring no
 * parameters and carrying none of the members a framework app function has.
 */
export function isFactory(value: unknown): value is () => unknown {
  if (typeof value !== 'function' || value.length !== 0) return false;
  return !('handle' in value) && !('listen' in value) && !('use' in value);
}

/** A short description of a value for error messages. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'function') return `a function (${value.name || 'anonymous'})`;
  if (typeof value === 'object') return `an object (${value.constructor?.name ?? 'no prototype'})`;
  return `${typeof value} ${String(value)}`;
}
