/**
 * Numeric ids for `--user`/`--group`, needed to chown unix socket files to the worker user (the arbiter
 * itself keeps its identity). Names are looked up in /etc/passwd and /etc/group; an unknown name leaves the
 * file as created (the worker's own privilege drop reports the real error).
 */
import { readFileSync } from 'node:fs';
import type { TgunConfig } from '../settings/registry.js';

function lookup(file: string, name: string): number | null {
  try {
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      const [entry, , id] = line.split(':');
      if (entry === name && id !== undefined && /^\d+$/.test(id)) return Number(id);
    }
  } catch {
    // No such database on this system.
  }
  return null;
}

function toId(value: string | number | null, file: string): number | null {
  if (value === null) return null;
  if (typeof value === 'number') return value;
  return /^\d+$/.test(value) ? Number(value) : lookup(file, value);
}

/** The uid/gid unix sockets should belong to. */
export function socketOwner(config: TgunConfig): { uid: number | null; gid: number | null } {
  return { uid: toId(config.user, '/etc/passwd'), gid: toId(config.group, '/etc/group') };
}
