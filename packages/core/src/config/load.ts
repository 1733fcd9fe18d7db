/**
 * Loading the effective configuration from everything a `tgun` command is given: argv, `TGUN_CMD_ARGS`, the
 * config file, the framework layer and the defaults. The arbiter calls it at start and on every HUP; each
 * worker calls it with the arbiter's inputs, so both see the same values, hooks included.
 */
import { resolve } from 'node:path';
import { parse as shellParse } from 'shell-quote';
import type { FrameworkSettings } from '../adapter.js';
import { type ParsedArgs, parseCommandLine } from '../cli/parse.js';
import type { TgunConfig } from '../settings/registry.js';
import { ConfigFileError, type FileValues, findConfigFile, readConfigFile } from './file.js';
import { formatProblems, type Origin, type Problem, originOf } from './problems.js';
import { type LayerInput, resolveLayers } from './resolve.js';

/** Everything the configuration is computed from. */
export interface ConfigInputs {
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The directory the command was started in; relative paths on the command line resolve against it. */
  readonly cwd: string;
  /**
   * The config file's text as the arbiter evaluated it. Workers pass it back so they run exactly the arbiter's
   * configuration even if the file on disk changed or broke since (a HUP takes a fresh snapshot).
   */
  readonly configSnapshot?: { readonly path: string; readonly source: string };
}

/** The framework layer an adapter supplies, with the adapter's name for `--print-config`. */
export interface FrameworkLayer {
  readonly name: string;
  readonly values: FrameworkSettings;
}

/** A successfully loaded configuration. */
export interface LoadedConfig {
  readonly ok: true;
  readonly config: TgunConfig;
  readonly origins: Readonly<Record<string, Origin>>;
  /** `MODULE[:VARIABLE]` from the command line, `TGUN_CMD_ARGS` or the config file's `app`. */
  readonly appUri: string | null;
  readonly configFile: string | null;
  /** The config file's text that was evaluated (null without a file): what {@link ConfigInputs.configSnapshot} carries. */
  readonly configSource: string | null;
  /** For a TypeScript config file, which loader evaluated it (a debug line, e.g. `Loaded tgun.config.ts with jiti`). */
  readonly configLoadedWith: string | null;
}

/** A configuration that could not be loaded: one message listing every problem. */
export interface FailedConfig {
  readonly ok: false;
  readonly message: string;
  readonly problems: readonly Problem[];
  /** 2 when the command line itself is malformed, else 1. */
  readonly exitCode: number;
}

/** What {@link loadConfig} returns. */
export type ConfigResult = LoadedConfig | FailedConfig;

function splitCmdArgs(text: string, origin: Origin, problems: Problem[]): string[] {
  const words: string[] = [];
  for (const entry of shellParse(text)) {
    if (typeof entry === 'string') words.push(entry);
    else problems.push({ origin, message: 'may only contain arguments, not shell operators or comments' });
  }
  return words;
}

function positionalApp(parsed: ParsedArgs, origin: Origin, problems: Problem[]): string | undefined {
  if (parsed.positionals.length > 1) {
    problems.push({
      origin,
      message: `expected one application (MODULE[:VARIABLE]), got ${parsed.positionals.length}: ${parsed.positionals.join(' ')}`,
      usage: true,
    });
  }
  return parsed.positionals[0];
}

/** Stack traces are shown only at debug level, which may itself be what failed to load. */
function verbose(argv: readonly string[], env: NodeJS.ProcessEnv): boolean {
  const words = [...argv, ...(env.TGUN_CMD_ARGS ?? '').split(/\s+/)];
  return words.some((w, i) => w === '--log-level=debug' || (w === '--log-level' && words[i + 1] === 'debug'));
}

/** Computes the effective configuration; never throws for bad user input. */
export async function loadConfig(inputs: ConfigInputs, framework?: FrameworkLayer): Promise<ConfigResult> {
  const env = inputs.env as NodeJS.ProcessEnv;
  const problems: Problem[] = [];
  const cliOrigin = originOf('cli');
  const envOrigin = originOf('env');
  const cli = parseCommandLine(inputs.argv, cliOrigin);
  const envArgs = parseCommandLine(splitCmdArgs(env.TGUN_CMD_ARGS ?? '', envOrigin, problems), envOrigin);
  problems.push(...envArgs.problems, ...cli.problems);

  // The config file is chosen before it is read: -c on the command line, then in TGUN_CMD_ARGS, then
  // ./tgun.config.* in the --chdir directory (or the current one).
  const pick = (key: string) => (cli.values.get(key) ?? envArgs.values.get(key)) as string | undefined;
  const baseDir = resolve(inputs.cwd, typeof pick('chdir') === 'string' ? (pick('chdir') as string) : '.');
  const explicit = pick('config');
  const configFile = typeof explicit === 'string' ? resolve(inputs.cwd, explicit) : findConfigFile(baseDir);
  let fileValues: FileValues = {};
  let configSource: string | null = null;
  let configLoadedWith: string | null = null;
  const fileOrigin = originOf('file', configFile ?? undefined);
  if (configFile) {
    try {
      const snapshot = inputs.configSnapshot?.path === configFile ? inputs.configSnapshot.source : undefined;
      ({
        values: fileValues,
        source: configSource,
        loadedWith: configLoadedWith,
      } = await readConfigFile(configFile, snapshot));
    } catch (err) {
      if (!(err instanceof ConfigFileError)) throw err;
      problems.push({ origin: fileOrigin, message: err.message, ...(err.detail ? { detail: err.detail } : {}) });
    }
  }

  const layers: LayerInput[] = [];
  if (framework)
    layers.push({ origin: originOf('framework', `framework (${framework.name})`), values: framework.values });
  layers.push({ origin: fileOrigin, values: fileValues });
  layers.push({ origin: envOrigin, values: envArgs.values });
  layers.push({ origin: cliOrigin, values: cli.values });
  const resolved = resolveLayers(layers, env);
  problems.push(...resolved.problems);

  const appUri =
    positionalApp(cli, cliOrigin, problems) ?? positionalApp(envArgs, envOrigin, problems) ?? resolved.config.app;
  if (problems.length > 0) {
    return {
      ok: false,
      message: formatProblems(problems, verbose(inputs.argv, env)),
      problems,
      exitCode: problems.some((p) => p.usage) ? 2 : 1,
    };
  }
  const origins: Record<string, Origin> = { ...resolved.origins };
  // Unset, chdir is where the command started (not the process's cwd, which a worker may have changed).
  const chdir = origins.chdir?.layer === 'default' ? inputs.cwd : resolve(inputs.cwd, resolved.config.chdir);
  const config = { ...resolved.config, chdir, config: configFile } as TgunConfig;
  if (configFile && origins.config?.layer === 'default') origins.config = fileOrigin;
  return { ok: true, config, origins, appUri: appUri ?? null, configFile, configSource, configLoadedWith };
}
