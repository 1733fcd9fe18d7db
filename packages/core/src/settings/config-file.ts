/** Settings of the "Config File" section: which config file to read, which app to serve and through what. */
import { defineSetting, SettingValueError, type Validator } from './types.js';
import { optionalString } from './validators.js';

/** npm package names, plus the built-in adapter names (which are valid package names too). */
const PACKAGE_NAME = /^(@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/;

const adapterName: Validator<string> = (raw) => {
  const v = typeof raw === 'string' ? raw.trim() : raw;
  if (typeof v === 'string' && PACKAGE_NAME.test(v)) return v;
  throw new SettingValueError(
    `expected auto, express, koa, fastify, node, fetch or an adapter package name, got ${JSON.stringify(raw)}`,
  );
};

const config = defineSetting({
  name: 'config',
  section: 'Config File',
  gunicorn: 'config',
  cli: { flags: ['-c', '--config'], metavar: 'FILE' },
  default: null,
  defaultText: '`./tgun.config.{ts,mts,js,mjs,cjs,json}`, the first that exists',
  validate: optionalString(),
  typeText: 'string | null',
  summary: 'The config file to read.',
  description: [
    'Path of the config file, relative to the current directory.',
    '',
    'A config file is a module, as `gunicorn.conf.py` is in gunicorn: its default export (usually',
    '`export default defineConfig({ ... })`) and its named exports (`export const workers = 4`) are settings,',
    'by their camelCase names. TypeScript files load without a build step. A `.json` file holds one object of',
    'settings (no hooks, since JSON has no functions).',
    '',
    'Without this flag, tgun reads the first of `tgun.config.ts`, `tgun.config.mts`, `tgun.config.js`,',
    '`tgun.config.mjs`, `tgun.config.cjs` and `tgun.config.json` in the current directory, if one exists.',
    'Values in the config file override the defaults and are overridden by `TGUN_CMD_ARGS` and the command line.',
    '',
    "gunicorn's `file:PATH` and `python:MODULE` forms have no equivalent: give a path.",
  ].join('\n'),
});

const app = defineSetting({
  name: 'app',
  section: 'Config File',
  gunicorn: 'wsgi_app',
  default: null,
  validate: optionalString(),
  typeText: 'string | null',
  summary: 'The app to serve, as MODULE[:VARIABLE], when the command line names none.',
  description: [
    'The app to serve, written as on the command line: `MODULE[:VARIABLE]`, for example `src/app.mjs:app`.',
    'MODULE is a file path (relative to `chdir`) or a package name; VARIABLE names the export that holds the app.',
    '',
    'Only settable in a config file. The positional argument of `tgun` (`tgun -w 4 app.mjs:handler`) overrides it.',
    '',
    'gunicorn: `wsgi_app`. When neither is given there is nothing to serve, and tgun stops with an error.',
  ].join('\n'),
});

const adapter = defineSetting({
  name: 'adapter',
  section: 'Config File',
  cli: { flags: ['--adapter'], metavar: 'NAME' },
  default: 'auto',
  validate: adapterName,
  typeText: "'auto' | 'express' | 'koa' | 'fastify' | 'node' | 'fetch' | string",
  summary: "How to turn the app into a request listener: 'auto' or an adapter name.",
  description: [
    'Which adapter serves the app. `auto` (the default) recognises the app by its shape: an Express, Koa or',
    'Fastify app, a fetch-style handler (`app.fetch(request)`, as Hono exports), an `http.Server`, or a plain',
    'Node `(req, res)` listener. Name one of `express`, `koa`, `fastify`, `node` or `fetch` to skip detection, or',
    "give the package name of a third-party adapter, which must export tgun's `Adapter` contract.",
    '',
    'tgun-only: gunicorn serves WSGI callables and has no equivalent.',
  ].join('\n'),
});

/** The "Config File" section, in reference order. */
export const CONFIG_FILE_SETTINGS = [config, app, adapter] as const;
