/**
 * Precedence in one function, in a fixed order: defaults → framework → config file → TGUN_CMD_ARGS → command
 * line. Every value from every layer passes the setting's validator; every problem is collected.
 */
import { GUNICORN_ONLY } from '../settings/gunicorn-only.js';
import { SETTINGS, settingByName, type TgunConfig } from '../settings/registry.js';
import { type SettingSpec, SettingValueError } from '../settings/types.js';
import { type Origin, type Problem, originOf } from './problems.js';
import { suggest } from './suggest.js';

/** The raw values one layer supplies, with where they came from. */
export interface LayerInput {
  readonly origin: Origin;
  readonly values: ReadonlyMap<string, unknown> | Readonly<Record<string, unknown>>;
}

/** The outcome of resolving all layers. */
export interface Resolved {
  readonly config: TgunConfig;
  /** The layer that set each setting's effective value. */
  readonly origins: Readonly<Record<string, Origin>>;
  readonly problems: readonly Problem[];
}

function entriesOf(values: LayerInput['values']): [string, unknown][] {
  return values instanceof Map ? [...values.entries()] : Object.entries(values);
}

function unknownSetting(name: string, origin: Origin): Problem {
  const gunicorn = GUNICORN_ONLY.get(name);
  if (gunicorn) {
    return { origin, subject: name, message: `is a gunicorn setting with no meaning on Node: ${gunicorn}` };
  }
  const hint = suggest(name, settingByName.keys());
  return { origin, subject: name, message: `unknown setting${hint ? `; did you mean ${hint}?` : ''}` };
}

/** The default of a setting, computed from the environment when it depends on it. */
export function defaultOf(setting: SettingSpec, env: NodeJS.ProcessEnv): unknown {
  const d = setting.default;
  // A hook's default is itself a function (a no-op); any other function default is computed from the env.
  if (typeof d !== 'function' || setting.section === 'Server Hooks') return d;
  return (d as (e: NodeJS.ProcessEnv) => unknown)(env);
}

/** Applies `layers` (lowest precedence first) over the defaults. */
export function resolveLayers(layers: readonly LayerInput[], env: NodeJS.ProcessEnv): Resolved {
  const values: Record<string, unknown> = {};
  const origins: Record<string, Origin> = {};
  const problems: Problem[] = [];
  const defaults = originOf('default');
  for (const setting of SETTINGS as readonly SettingSpec[]) {
    try {
      values[setting.name] = setting.validate(defaultOf(setting, env));
    } catch (err) {
      // A default computed from the environment (WEB_CONCURRENCY=abc) can be invalid.
      const why = setting.env ? ` (from $${setting.env})` : '';
      problems.push({ origin: defaults, subject: setting.name, message: `${(err as Error).message}${why}` });
      values[setting.name] = undefined;
    }
    origins[setting.name] = defaults;
  }
  for (const layer of layers) {
    for (const [name, raw] of entriesOf(layer.values)) {
      const setting = settingByName.get(name);
      if (!setting) {
        problems.push(unknownSetting(name, layer.origin));
        continue;
      }
      try {
        values[name] = setting.validate(raw);
        origins[name] = layer.origin;
      } catch (err) {
        if (!(err instanceof SettingValueError)) throw err;
        problems.push({ origin: layer.origin, subject: name, message: err.message });
      }
    }
  }
  return { config: values as TgunConfig, origins, problems };
}
