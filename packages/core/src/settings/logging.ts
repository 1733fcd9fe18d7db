/**
 * The "Logging" section, first part: the access and error logs. Syslog is in `logging-syslog.ts`; StatsD, which
 * gunicorn also files under Logging, is in `metrics.ts`.
 */
import { resolve } from 'node:path';
import { readLogConfig } from '../logging/log-config.js';
import { LOG_LEVELS } from '../logging/types.js';
import { defineSetting, SettingValueError, type Validator } from './types.js';
import { bool, optionalString, string } from './validators.js';
import { choice } from './validators-extra.js';

/** gunicorn's default access-log format, kept byte for byte so existing log parsers keep working. */
const GUNICORN_ACCESS_FORMAT = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s"';

const accessLog = defineSetting({
  name: 'accessLog',
  section: 'Logging',
  gunicorn: 'accesslog',
  cli: { flags: ['--access-logfile'], metavar: 'FILE' },
  default: null,
  validate: optionalString(),
  typeText: 'string | null',
  summary: "The access log file to write to; '-' means stdout.",
  description: [
    'Where to write one line per request, in `accessLogFormat`. `-` writes to standard output; `null` (the',
    'default) writes no access log. Files are opened for appending and reopened on `USR1`, for log rotation.',
    'gunicorn: `accesslog`.',
  ].join('\n'),
});

const accessLogFormat = defineSetting({
  name: 'accessLogFormat',
  section: 'Logging',
  gunicorn: 'access_log_format',
  cli: { flags: ['--access-logformat'], metavar: 'STRING' },
  default: GUNICORN_ACCESS_FORMAT,
  validate: string({ nonEmpty: true }),
  typeText: 'string',
  summary: "The access log line format, with gunicorn's %(atom)s placeholders.",
  description: [
    "The access-log line, written with gunicorn's atoms, so formats copied from a gunicorn config work as is:",
    '',
    '| atom | meaning | atom | meaning |',
    '|---|---|---|---|',
    '| `h` | remote address | `s` | status |',
    '| `l` | `-` | `B` | response length |',
    '| `u` | user name (Basic auth) | `b` | response length or `-` |',
    '| `t` | date, `[22/Nov/2026:18:01:12 +0000]` | `f` | referrer |',
    '| `r` | request line | `a` | user agent |',
    '| `m` | method | `T` | duration in seconds |',
    '| `U` | path | `M` | duration in milliseconds |',
    '| `q` | query string | `D` | duration in microseconds |',
    '| `H` | protocol | `L` | duration in seconds, decimal |',
    '| `p` | process id | `{name}i` / `{name}o` | request / response header |',
    '| `{NAME}e` | environment variable | | |',
    '',
    'Write each as `%(atom)s`, for example `%({x-request-id}i)s`; `%%` is a literal `%`. Unknown atoms print',
    "`-`. The default is gunicorn's: `" + GUNICORN_ACCESS_FORMAT + '`.',
  ].join('\n'),
});

const errorLog = defineSetting({
  name: 'errorLog',
  section: 'Logging',
  gunicorn: 'errorlog',
  cli: { flags: ['--error-logfile', '--log-file'], metavar: 'FILE' },
  default: '-',
  validate: string({ nonEmpty: true }),
  typeText: 'string',
  summary: "The error log file to write to; '-' means stderr.",
  description: [
    'Where the arbiter and the workers write their log lines (`[2026-11-22 18:01:12 +0000] [50462] [INFO] …`).',
    '`-`, the default, is standard error. Files are opened for appending and reopened on `USR1`.',
    '`--log-file` is an alias of `--error-logfile`, as in gunicorn. gunicorn: `errorlog`.',
  ].join('\n'),
});

const logLevel = defineSetting({
  name: 'logLevel',
  section: 'Logging',
  gunicorn: 'loglevel',
  cli: { flags: ['--log-level'], metavar: 'LEVEL' },
  default: 'info' as const,
  validate: choice(LOG_LEVELS, { warn: 'warning' }),
  typeText: "'debug' | 'info' | 'warning' | 'error' | 'critical'",
  summary: 'The granularity of error log output.',
  description: [
    'The lowest level written to the error log: `debug`, `info`, `warning`, `error` or `critical`, in any case.',
    '`warn` is accepted as `warning`. gunicorn: `loglevel`.',
  ].join('\n'),
});

const captureOutput = defineSetting({
  name: 'captureOutput',
  section: 'Logging',
  gunicorn: 'capture_output',
  cli: { flags: ['--capture-output'], switch: true },
  default: false,
  validate: bool,
  typeText: 'boolean',
  summary: "Send the workers' stdout and stderr to the error log file.",
  description: [
    'Output an app writes itself (`console.log`, `console.error`, `process.stdout.write`) goes to the',
    '`errorLog` file instead of the terminal. Only useful when `errorLog` is a file.',
  ].join('\n'),
});

/** A readable, valid log configuration file, returned as an absolute path so workers read the same file. */
const logConfigFile: Validator<string | null> = (raw) => {
  const path = optionalString()(raw);
  if (path === null) return null;
  const abs = resolve(path);
  try {
    readLogConfig(abs);
  } catch (err) {
    throw new SettingValueError((err as Error).message);
  }
  return abs;
};

const logConfigJson = defineSetting({
  name: 'logConfigJson',
  section: 'Logging',
  gunicorn: 'logconfig_json',
  cli: { flags: ['--log-config-json'], metavar: 'FILE' },
  default: null,
  validate: logConfigFile,
  typeText: 'string | null',
  summary: 'A JSON file with the logging configuration.',
  description: [
    "A JSON file configuring tgun's two loggers, `error` and `access`: `level` (error only), `format` (`text`",
    'or `json`, one object per line) and `to` (`-`, `syslog` or a file path, or a list of them), e.g.',
    '`{"format": "json", "error": {"level": "warning", "to": ["err.log", "syslog"]}, "access": {"to": "-"}}`.',
    'What it sets wins over `errorLog`, `logLevel`, `accessLog` and `syslog`. The file is checked at start and',
    "on `HUP`, every problem reported at once. gunicorn passes such a file to Python's `dictConfig`; see",
    '`docs/logging.md`. gunicorn: `logconfig_json`.',
  ].join('\n'),
});

const enableStdioInheritance = defineSetting({
  name: 'enableStdioInheritance',
  section: 'Logging',
  gunicorn: 'enable_stdio_inheritance',
  cli: { flags: ['-R', '--enable-stdio-inheritance'], switch: true },
  default: false,
  validate: bool,
  typeText: 'boolean',
  summary: 'With daemon, keep stdout and stderr when they are files or pipes.',
  description: [
    'With `daemon`, the background arbiter normally points its standard streams at `/dev/null`. With this',
    'switch, standard output and error that are not terminals (a file, a pipe to a log collector) are kept.',
  ].join('\n'),
});

/** The "Logging" section, first part, in reference order. */
export const LOGGING_SETTINGS = [
  accessLog,
  accessLogFormat,
  errorLog,
  logLevel,
  captureOutput,
  logConfigJson,
  enableStdioInheritance,
] as const;
