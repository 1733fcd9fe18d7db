/**
 * The `tgun` command: parse, load the configuration, then either answer (`--help`, `--version`,
 * `--check-config`, `--print-config`) or hand over to the arbiter. Every failure a user can cause ends in one
 * clear message and an exit status, never a stack trace (unless `--log-level debug`).
 */
import { type ConfigInputs, type LoadedConfig, loadConfig } from '../config/load.js';
import { originOf } from '../config/problems.js';
import { EXIT } from '../errors.js';
import { VERSION } from '../version.js';
import { renderHelp } from './help.js';
import { parseCommandLine } from './parse.js';
import { renderConfig } from './print-config.js';

function errorText(err: unknown, debug: boolean): string {
  if (err instanceof Error) return debug && err.stack ? err.stack : err.message;
  return String(err);
}

async function check(loaded: LoadedConfig, appUri: string): Promise<number> {
  try {
    const { loadApp } = await import('../app/load.js');
    await loadApp(appUri, { cwd: loaded.config.chdir });
  } catch (err) {
    process.stderr.write(
      `Error: failed to load application ${appUri}: ${errorText(err, loaded.config.logLevel === 'debug')}\n`,
    );
    return EXIT.appLoad;
  }
  return EXIT.ok;
}

/** Runs the command with `argv` (without node and script) and resolves to the exit status. */
export async function run(argv: readonly string[], inputs?: Partial<ConfigInputs>): Promise<number> {
  if (argv[0] === 'ctl') return (await import('./ctl/main.js')).runCtl(argv.slice(1));
  const quick = parseCommandLine(argv, originOf('cli'));
  if (quick.help) {
    process.stdout.write(renderHelp(VERSION));
    return EXIT.ok;
  }
  if (quick.version) {
    process.stdout.write(`tgun ${VERSION}\n`);
    return EXIT.ok;
  }
  const full: ConfigInputs = { argv, env: process.env, cwd: process.cwd(), ...inputs };
  const loaded = await loadConfig(full);
  if (!loaded.ok) {
    process.stderr.write(`${loaded.message}\n`);
    return loaded.exitCode;
  }
  const { config, appUri } = loaded;
  if (config.printConfig) process.stdout.write(renderConfig(config, loaded.origins));
  if (!appUri) {
    process.stderr.write(
      'Error: No application module specified. Pass MODULE[:VARIABLE] (e.g. `tgun app.js:app`) or set `app` in the config file.\n',
    );
    return EXIT.config;
  }
  if (config.checkConfig || config.printConfig) return check(loaded, appUri);
  // Loaded only when serving: answering --help or a config error never pulls in the process machinery.
  const { runArbiter } = await import('../arbiter/run.js');
  return runArbiter({ config, inputs: full, appUri, configFile: loaded.configFile });
}

/** The bin entry: runs and sets the exit status (the arbiter decides when the process actually ends). */
export async function main(argv: readonly string[]): Promise<void> {
  try {
    process.exitCode = await run(argv);
  } catch (err) {
    // Only a bug in tgun gets here; say so plainly rather than dumping a bare stack.
    process.stderr.write(`tgun: internal error: ${errorText(err, true)}\n`);
    process.exitCode = 70;
  }
}
