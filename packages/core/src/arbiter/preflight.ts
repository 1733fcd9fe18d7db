/**
 * Checks made once in the arbiter before any worker boots, for files every worker would otherwise fail on
 * one by one (and be respawned to fail again): the TLS certificate and key, and the access log. Each returns
 * one clear message naming the file, or null.
 */
import { closeSync, openSync } from 'node:fs';
import { resolve } from 'node:path';
import type { TlsSettings } from '../http/tls.js';

/** The settings the checks read. */
export interface PreflightSettings extends TlsSettings {
  readonly accessLog: string | null;
  /** Relative paths resolve against it (the arbiter has already changed into it). */
  readonly chdir: string;
}

/**
 * Loads the certificate and key the way workers will; a bad file stops the arbiter instead. `node:tls` is
 * imported only when TLS is on: the arbiter never serves TLS itself and should not carry it.
 */
export async function checkTls(config: PreflightSettings): Promise<string | null> {
  if (!config.certfile && !config.keyfile) return null;
  const { buildTlsOptions } = await import('../http/tls.js');
  try {
    buildTlsOptions(config);
    return null;
  } catch (err) {
    return `Invalid TLS configuration: ${(err as Error).message}`;
  }
}

/** Opens (creating it) the access log for appending, as workers will, so an unwritable path fails once, here. */
export function checkAccessLog(config: PreflightSettings): string | null {
  const target = config.accessLog;
  if (!target || target === '-') return null;
  const path = resolve(config.chdir, target);
  try {
    closeSync(openSync(path, 'a'));
    return null;
  } catch (err) {
    return `Could not open the access log ${path}: ${(err as Error).message}`;
  }
}

/** Runs every check; the first problem, or null when the arbiter may start workers. */
export async function preflight(config: PreflightSettings): Promise<string | null> {
  return (await checkTls(config)) ?? checkAccessLog(config);
}
