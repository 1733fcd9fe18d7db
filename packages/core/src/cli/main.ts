/**
 * The `tgun` command: parse, load the configuration, then either answer (`--help`, `--version`,
 * `--check-config`, `--print-config`) or hand over to the arbiter. Every failure a user can cause ends in one
 * clear message and an exit status, never a stack trace (unless `--log-level debug`).
 */
import type { LoadedApp } from '../app/load.js';
import { type ConfigInputs, type LoadedConfig, loadConfig } from '../config/load.js';
import { originOf } from '../config/problems.js';
import type { TgunConfig } from '../settings/registry.js';
import { EXIT } from '../errors.js';
import { VERSION } from '../version.js';
import { renderHelp } from './help.js';
import { parseCommandLine } from './parse.js';
import { renderConfig } from './print-config.js';

function errorText(err: unknown, debug: boolean): string {
  if (err instanceof Error) return debug && err.stack ? err.stack : err.message;
  return String(err);
}

/**
 * Loads the app as a worker would. An app that listens at import gets a throwaway loopback socket in place of
 * tgun's, closed again once it has loaded: a check never binds the app's own port, and the command can end.
 */
async function loadForCheck(appUri: string, config: TgunConfig): Promise<LoadedApp> {
  const [{ loadApp }, { bindOnly }] = await Promise.all([import('../app/load.js'), import('../sockets/bind.js')]);
  const scratch = bindOnly({ host: '127.0.0.1', port: 0 });
  let taken = false;
  try {
    const loaded = await loadApp(appUri, { cwd: config.chdir, adapter: config.adapter, selfListenFd: scratch.fd });
    if (loaded.selfListened && loaded.app.kind === 'server') {
      // The app's server now owns the descriptor: closing it closes the socket, which must not be closed twice.
      taken = true;
      const { server } = loaded.app;
      await loaded.app.listen?.({ fd: scratch.fd, backlog: 1 }).catch(() => {});
      await new Promise<void>((done) => server.close(() => done()));
    }
    return loaded;
  } finally {
    if (!taken) scratch.close();
  }
}

/**
 * `--check-config` / `--print-config`: loads the app as a worker would (adapter resolution included) and
 * prints the configuration with its framework layer, so `(framework (express))` shows where it applies. A
 * framework value tgun rejects is only a warning, as in the worker, which falls back to the other layers.
 */
async function check(loaded: LoadedConfig, appUri: string, inputs: ConfigInputs): Promise<number> {
  const { config } = loaded;
  const print = (shown: LoadedConfig) => {
    if (config.printConfig) process.stdout.write(renderConfig(shown.config, shown.origins));
  };
  let app: LoadedApp;
  try {
    app = await loadForCheck(appUri, config);
  } catch (err) {
    print(loaded);
    process.stderr.write(
      `Error: failed to load application ${appUri}: ${errorText(err, config.logLevel === 'debug')}\n`,
    );
    return EXIT.appLoad;
  }
  const values = app.app.settings ?? {};
  if (Object.keys(values).length === 0) {
    print(loaded);
    return EXIT.ok;
  }
  const layered = await loadConfig(inputs, { name: app.adapterName, values });
  if (layered.ok) {
    print(layered);
    return EXIT.ok;
  }
  print(loaded);
  process.stderr.write(`Warning: ignoring the ${app.adapterName} app's framework settings:\n${layered.message}\n`);
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
  if (!appUri) {
    if (config.printConfig) process.stdout.write(renderConfig(config, loaded.origins));
    process.stderr.write(
      'Error: No application module specified. Pass MODULE[:VARIABLE] (e.g. `tgun app.js:app`) or set `app` in the config file.\n',
    );
    return EXIT.config;
  }
  if (config.checkConfig || config.printConfig) return check(loaded, appUri, full);
  // Loaded only when serving: answering --help or a config error never pulls in the process machinery.
  const { runArbiter } = await import('../arbiter/run.js');
  return runArbiter({
    config,
    inputs: full,
    appUri,
    configFile: loaded.configFile,
    configSource: loaded.configSource,
    configLoadedWith: loaded.configLoadedWith,
    origins: loaded.origins,
  });
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
