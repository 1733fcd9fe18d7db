/** `tgun --print-config`: every effective value and the layer that set it, like gunicorn's `name = value`. */
import type { Origin } from '../config/problems.js';
import { SETTINGS, type TgunConfig } from '../settings/registry.js';
import type { SettingSpec } from '../settings/types.js';
import { octal } from '../settings/validators.js';

function show(value: unknown, spec: SettingSpec, isDefault: boolean): string {
  if (typeof value === 'function') return isDefault ? '<default>' : `<function ${value.name || 'anonymous'}>`;
  if (spec.validate === octal && typeof value === 'number') return `0o${value.toString(8).padStart(3, '0')}`;
  return JSON.stringify(value) ?? 'undefined';
}

/** Sorted, aligned `name = value  (source)` lines. */
export function renderConfig(config: TgunConfig, origins: Readonly<Record<string, Origin>>): string {
  const specs = [...(SETTINGS as readonly SettingSpec[])].sort((a, b) => a.name.localeCompare(b.name));
  const width = Math.max(...specs.map((s) => s.name.length));
  const rows = specs.map((s) => {
    const origin = origins[s.name];
    const value = (config as Record<string, unknown>)[s.name];
    const left = `${s.name.padEnd(width)} = ${show(value, s, origin?.layer === 'default')}`;
    return { left, source: origin?.source ?? 'default' };
  });
  const valueWidth = Math.min(60, Math.max(...rows.map((r) => r.left.length)));
  return `${rows.map((r) => `${r.left.padEnd(valueWidth)}  (${r.source})`).join('\n')}\n`;
}
