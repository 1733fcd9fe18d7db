/** The "Logging" section, second part: sending logs to syslog. */
import { defineSetting } from './types.js';
import { bool, optionalString } from './validators.js';
import { choice, syslogAddress } from './validators-extra.js';

/** Facility names as syslog(3) and gunicorn know them. */
const FACILITIES = [
  'auth',
  'authpriv',
  'cron',
  'daemon',
  'ftp',
  'kern',
  'lpr',
  'mail',
  'news',
  'security',
  'syslog',
  'user',
  'uucp',
  'local0',
  'local1',
  'local2',
  'local3',
  'local4',
  'local5',
  'local6',
  'local7',
] as const;

const syslog = defineSetting({
  name: 'syslog',
  section: 'Logging',
  gunicorn: 'syslog',
  cli: { flags: ['--log-syslog'], switch: true },
  default: false,
  validate: bool,
  typeText: 'boolean',
  summary: 'Also send log lines to syslog.',
  description: [
    'Sends every error-log line, and every access-log line unless `disableRedirectAccessToSyslog` is on, to',
    'the syslog daemon at `syslogAddr`, in addition to the log files.',
  ].join('\n'),
});

const syslogAddr = defineSetting({
  name: 'syslogAddr',
  section: 'Logging',
  gunicorn: 'syslog_addr',
  cli: { flags: ['--log-syslog-to'], metavar: 'SYSLOG_ADDR' },
  default: 'udp://localhost:514',
  validate: syslogAddress,
  typeText: 'string',
  summary: 'The address of the syslog daemon: udp://, tcp:// or unix://.',
  description: [
    'One of `udp://HOST:PORT`, `tcp://HOST:PORT` or `unix://PATH`, where a unix path may end in `#dgram` or',
    '`#stream` to choose the socket type. On macOS the local daemon listens on `unix:///var/run/syslog`,',
    "on the BSDs on `unix:///var/run/log`; gunicorn uses those defaults there, tgun's is always UDP.",
  ].join('\n'),
});

const syslogPrefix = defineSetting({
  name: 'syslogPrefix',
  section: 'Logging',
  gunicorn: 'syslog_prefix',
  cli: { flags: ['--log-syslog-prefix'], metavar: 'SYSLOG_PREFIX' },
  default: null,
  defaultText: 'the process name, with `:` replaced by `.`',
  validate: optionalString(),
  typeText: 'string | null',
  summary: 'The program name syslog lines carry.',
  description: [
    'The program name in each syslog line. By default it is the process name (`procName`, else the app), with',
    '`:` replaced by `.` as in gunicorn.',
  ].join('\n'),
});

const syslogFacility = defineSetting({
  name: 'syslogFacility',
  section: 'Logging',
  gunicorn: 'syslog_facility',
  cli: { flags: ['--log-syslog-facility'], metavar: 'SYSLOG_FACILITY' },
  default: 'user' as const,
  validate: choice(FACILITIES),
  typeText: 'string',
  summary: 'The syslog facility to log under.',
  description: `One of ${FACILITIES.map((f) => `\`${f}\``).join(', ')}.`,
});

const disableRedirectAccessToSyslog = defineSetting({
  name: 'disableRedirectAccessToSyslog',
  section: 'Logging',
  gunicorn: 'disable_redirect_access_to_syslog',
  cli: { flags: ['--disable-redirect-access-to-syslog'], switch: true },
  default: false,
  validate: bool,
  typeText: 'boolean',
  summary: 'Keep access-log lines out of syslog.',
  description: 'With `syslog` on, sends only error-log lines to syslog; access-log lines go to `accessLog` alone.',
});

/** The "Logging" section, second part, in reference order. */
export const LOGGING_SYSLOG_SETTINGS = [
  syslog,
  syslogAddr,
  syslogPrefix,
  syslogFacility,
  disableRedirectAccessToSyslog,
] as const;
