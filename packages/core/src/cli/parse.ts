/**
 * The command-line parser, derived from the settings registry: every setting's `cli` spec becomes
 * `node:util.parseArgs` options. The same parser reads argv and `TGUN_CMD_ARGS`. Values come back raw
 * (strings, booleans, string lists); validation is the config engine's job, so every layer is checked by the
 * same validators.
 */
import { parseArgs } from 'node:util';
import { suggest } from '../config/suggest.js';
import type { Origin, Problem } from '../config/problems.js';
import { SETTINGS } from '../settings/registry.js';
import type { SettingSpec } from '../settings/types.js';

/** Flags that are not settings: they ask the CLI to do something else instead of serving. */
export const META_FLAGS = {
  help: { short: 'h', summary: 'Show this message and exit.' },
  version: { short: 'v', summary: 'Show the version and exit.' },
} as const;

/** What one command line says. */
export interface ParsedArgs {
  /** Raw values by setting name. */
  readonly values: ReadonlyMap<string, unknown>;
  readonly positionals: readonly string[];
  readonly help: boolean;
  readonly version: boolean;
  readonly problems: readonly Problem[];
}

interface OptionEntry {
  readonly setting: SettingSpec;
  readonly flag: string;
}

type ParseOptions = NonNullable<Parameters<typeof parseArgs>[0]>['options'] & object;

let table: { options: ParseOptions; byLong: Map<string, OptionEntry>; flags: string[] } | undefined;

function optionTable() {
  if (table) return table;
  const options: ParseOptions = {
    help: { type: 'boolean', short: 'h' },
    version: { type: 'boolean', short: 'v' },
  };
  const byLong = new Map<string, OptionEntry>();
  const flags = ['--help', '--version'];
  for (const setting of SETTINGS as readonly SettingSpec[]) {
    const cli = setting.cli;
    if (!cli) continue;
    const longs = cli.flags.filter((f) => f.startsWith('--'));
    const short = cli.flags.find((f) => /^-[^-]$/.test(f))?.slice(1);
    longs.forEach((flag, i) => {
      const name = flag.slice(2);
      options[name] = {
        type: cli.switch ? 'boolean' : 'string',
        ...(cli.repeat ? { multiple: true } : {}),
        ...(i === 0 && short ? { short } : {}),
      };
      byLong.set(name, { setting, flag });
      flags.push(flag);
    });
  }
  table = { options, byLong, flags };
  return table;
}

/** Inserts the constant for flags whose value may be left out (`--proxy-protocol` alone means `auto`). */
function fillOptionalValues(args: readonly string[]): string[] {
  const { byLong } = optionTable();
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const entry = arg.startsWith('--') && !arg.includes('=') ? byLong.get(arg.slice(2)) : undefined;
    const cli = entry?.setting.cli;
    if (entry && cli?.optionalValue) {
      const next = args[i + 1];
      let takesNext = false;
      if (next !== undefined && !next.startsWith('-')) {
        try {
          entry.setting.validate(next);
          takesNext = true;
        } catch {
          takesNext = false;
        }
      }
      if (!takesNext) {
        out.push(`${arg}=${String(cli.constValue)}`);
        continue;
      }
    }
    out.push(arg);
  }
  return out;
}

/** Parses one command line (argv or the words of `TGUN_CMD_ARGS`) without validating values. */
export function parseCommandLine(args: readonly string[], origin: Origin): ParsedArgs {
  const { options, byLong, flags } = optionTable();
  const problems: Problem[] = [];
  const values = new Map<string, unknown>();
  let help = false;
  let version = false;
  const positionals: string[] = [];
  const { tokens } = parseArgs({
    args: fillOptionalValues(args),
    options,
    strict: false,
    allowPositionals: true,
    allowNegative: true,
    tokens: true,
  });
  for (const token of tokens) {
    if (token.kind === 'positional') {
      positionals.push(token.value);
      continue;
    }
    if (token.kind !== 'option') continue;
    if (token.name === 'help' || token.name === 'version') {
      if (token.name === 'help') help = true;
      else version = true;
      continue;
    }
    // parseArgs reports both `--no-reload` and the declared `--no-sendfile` as negations (`reload`,
    // `sendfile`); a flag declared with its `no-` is looked up under its own name first.
    const own = token.rawName.startsWith('--') ? byLong.get(token.rawName.slice(2).split('=')[0] as string) : undefined;
    const negated = !own && token.rawName.startsWith('--no-');
    const entry = own ?? byLong.get(token.name);
    if (!entry) {
      const hint = suggest(token.rawName, flags);
      problems.push({
        origin,
        subject: token.rawName,
        message: `unknown option${hint ? `; did you mean ${hint}?` : ''}`,
        usage: true,
      });
      continue;
    }
    const { setting } = entry;
    const cli = setting.cli!;
    if (cli.switch) {
      if (token.value !== undefined) {
        problems.push({ origin, subject: token.rawName, message: 'takes no value', usage: true });
        continue;
      }
      const on = cli.constValue ?? true;
      values.set(setting.name, negated ? (typeof on === 'boolean' ? !on : false) : on);
      continue;
    }
    // Non-strict parseArgs lets a valued flag swallow the next flag (`--log-level --reload`): treat as missing.
    const swallowed = !token.inlineValue && token.value !== undefined && /^-./.test(token.value);
    if (negated || token.value === undefined || swallowed) {
      problems.push({
        origin,
        subject: token.rawName,
        message: negated ? 'cannot be negated' : `requires a value (${cli.metavar ?? 'VALUE'})`,
        usage: true,
      });
      continue;
    }
    if (cli.repeat) {
      const prev = values.get(setting.name);
      values.set(setting.name, [...(Array.isArray(prev) ? prev : []), token.value]);
    } else {
      values.set(setting.name, token.value);
    }
  }
  return { values, positionals, help, version, problems };
}
