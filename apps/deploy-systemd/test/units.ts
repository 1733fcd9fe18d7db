/**
 * Reads systemd unit files the way the test needs them: `[Section]` headers, `Key=value` lines (a key may
 * repeat), `#`/`;` comments. Line continuations and specifier expansion are not needed by our units.
 */
import { readFileSync } from 'node:fs';

/** Section → key → every value given, in order. */
export type Unit = ReadonlyMap<string, ReadonlyMap<string, readonly string[]>>;

/** Parses the unit file at `path`. */
export function readUnit(path: string): Unit {
  const unit = new Map<string, Map<string, string[]>>();
  let section: Map<string, string[]> | undefined;
  for (const raw of readFileSync(path, 'utf8').split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    if (line.endsWith('\\')) throw new Error(`${path}: line continuations are not supported here: ${line}`);
    const header = /^\[(.+)\]$/.exec(line);
    if (header?.[1]) {
      section = new Map();
      unit.set(header[1], section);
      continue;
    }
    const eq = line.indexOf('=');
    if (!section || eq < 1) throw new Error(`${path}: cannot read ${JSON.stringify(line)}`);
    const key = line.slice(0, eq).trim();
    section.set(key, [...(section.get(key) ?? []), line.slice(eq + 1).trim()]);
  }
  return unit;
}

/** The single value of `section.key`, or an error naming what is missing. */
export function unitValue(unit: Unit, section: string, key: string): string {
  const values = unit.get(section)?.get(key) ?? [];
  if (values.length !== 1 || values[0] === undefined) {
    throw new Error(`expected exactly one ${section}.${key}, found ${JSON.stringify(values)}`);
  }
  return values[0];
}
