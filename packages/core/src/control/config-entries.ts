/** The effective configuration as `tgun ctl config` shows it: every setting, its value and the layer that set it. */
import type { Origin } from '../config/problems.js';
import { SETTINGS, type TgunConfig } from '../settings/registry.js';
import type { SettingSpec } from '../settings/types.js';
import { octal } from '../settings/validators.js';
import type { ConfigEntry } from './handler.js';

function wireValue(value: unknown, spec: SettingSpec, isDefault: boolean): unknown {
  // Hooks are functions, which JSON cannot carry; their name is what an operator can recognise.
  if (typeof value === 'function') return isDefault ? '<default>' : `<function ${value.name || 'anonymous'}>`;
  // Modes and masks are read in octal; 384 would not tell an operator it is 0o600.
  if (spec.validate === octal && typeof value === 'number') return `0o${value.toString(8).padStart(3, '0')}`;
  if (value === undefined) return null;
  return value;
}

/** One entry per setting, sorted by name; the arbiter passes the origins `loadConfig` returned with `config`. */
export function configEntries(config: TgunConfig, origins: Readonly<Record<string, Origin>>): ConfigEntry[] {
  const specs = [...(SETTINGS as readonly SettingSpec[])].sort((a, b) => a.name.localeCompare(b.name));
  return specs.map((spec) => {
    const origin = origins[spec.name];
    const layer = origin?.layer ?? 'default';
    const value = wireValue((config as Record<string, unknown>)[spec.name], spec, layer === 'default');
    return { name: spec.name, value, layer, source: origin?.source ?? 'default' };
  });
}
