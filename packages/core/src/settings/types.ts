/**
 * The shape of one setting declaration. Every setting is declared exactly once with {@link defineSetting};
 * the command-line parser, `--help`, validation of every layer, the `TgunConfig` type and
 * `docs/reference/settings.md` are all derived from these declarations.
 */

/** Sections group settings in `--help` and in the settings reference, in this order. */
export const SECTIONS = [
  'Config File',
  'Server Socket',
  'Worker Processes',
  'Security',
  'Debugging',
  'Server Mechanics',
  'Logging',
  'Process Naming',
  'SSL',
  'HTTP/2',
  'Metrics',
  'Control',
  'Server Hooks',
] as const;

/** One of {@link SECTIONS}. */
export type Section = (typeof SECTIONS)[number];

/**
 * Turns a raw value from any layer (a string from the command line, anything from a config file) into the
 * setting's typed value, or throws a {@link SettingValueError} whose message says what is wrong.
 */
export type Validator<T> = (raw: unknown) => T;

/** Thrown by validators; the config engine collects these and reports them all together. */
export class SettingValueError extends Error {
  override name = 'SettingValueError';
}

/** How a setting appears on the command line. */
export interface CliSpec {
  /** Flags, short first: `['-w', '--workers']`. */
  readonly flags: readonly string[];
  /** Placeholder shown in `--help`: `INT`, `ADDRESS`, `FILE`. Absent for switches. */
  readonly metavar?: string;
  /** `true` for on/off switches (no value); `--no-<name>` turns them off. */
  readonly switch?: boolean;
  /** The flag may be given several times; values accumulate into a list (`-b a -b b`). */
  readonly repeat?: boolean;
  /**
   * What a switch, or a bare flag with {@link CliSpec.optionalValue}, stores: `false` for a negative switch such
   * as `--no-sendfile`, `'auto'` for gunicorn's bare `--proxy-protocol`. Switches store `true` by default.
   */
  readonly constValue?: string | boolean;
  /** The flag's value may be left out (`--proxy-protocol` alone stores {@link CliSpec.constValue}). */
  readonly optionalValue?: boolean;
}

/** One setting, as declared in `settings/*.ts`. */
export interface SettingSpec<N extends string = string, T = unknown> {
  /** camelCase name used in config files and in the typed config object. */
  readonly name: N;
  readonly section: Section;
  /** gunicorn's name for the same setting, where gunicorn has one (for docs and "did you mean"). */
  readonly gunicorn?: string;
  /** Absent for settings that can only be set in a config file (hooks, maps). */
  readonly cli?: CliSpec;
  /** Environment variable that supplies the default (`WEB_CONCURRENCY`, `PORT`), documented in the reference. */
  readonly env?: string;
  /** Default value, or a function of the environment that computes it (never of other settings). */
  readonly default: NoInfer<T> | ((env: NodeJS.ProcessEnv) => NoInfer<T>);
  /** How the default reads in `--help` and the reference when it is computed. */
  readonly defaultText?: string;
  readonly validate: Validator<T>;
  /** Type as shown in the reference: `int`, `string`, `string[]`, `boolean`, `function`. */
  readonly typeText: string;
  /** One line, shown in `--help`. */
  readonly summary: string;
  /** Markdown for the settings reference; may span paragraphs. */
  readonly description: string;
}

/** The value type of a declared setting. */
export type SettingValue<S> = S extends SettingSpec<string, infer T> ? T : never;

/**
 * Declares a setting. The generic parameters keep the literal name and value type, so the config type can be
 * derived from the list of declarations.
 */
export function defineSetting<const N extends string, T>(spec: SettingSpec<N, T>): SettingSpec<N, T> {
  return Object.freeze(spec);
}
