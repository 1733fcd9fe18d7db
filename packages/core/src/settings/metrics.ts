/**
 * Settings of the "Metrics" section: StatsD (gunicorn's, which gunicorn files under Logging) and tgun's own
 * Prometheus and health endpoint.
 */
import { defineSetting } from './types.js';
import { string } from './validators.js';
import { nullable, statsdAddress, tcpHostPort } from './validators-extra.js';

const statsdHost = defineSetting({
  name: 'statsdHost',
  section: 'Metrics',
  gunicorn: 'statsd_host',
  cli: { flags: ['--statsd-host'], metavar: 'STATSD_ADDR' },
  default: null,
  validate: nullable(statsdAddress),
  typeText: 'string | null',
  summary: 'The StatsD server to send metrics to, as HOST:PORT (UDP).',
  description: [
    "Turns on gunicorn's StatsD metrics: `requests` and `request.status.<code>` counters, `request.duration`",
    'timings, the `workers` gauge and `log.<level>` counters, with the same names as gunicorn so existing',
    "dashboards keep working. `HOST:PORT` sends UDP datagrams (`HOST` alone uses port 8125). gunicorn's",
    "`unix://PATH` form is refused: Node's dgram module has no unix datagram sockets. Sending never blocks or",
    'fails a request.',
  ].join('\n'),
});

const statsdPrefix = defineSetting({
  name: 'statsdPrefix',
  section: 'Metrics',
  gunicorn: 'statsd_prefix',
  cli: { flags: ['--statsd-prefix'], metavar: 'STATSD_PREFIX' },
  default: '',
  validate: string(),
  typeText: 'string',
  summary: 'A prefix for every StatsD metric name.',
  description:
    'Prepended to every metric name, followed by a `.` when it does not end with one: `myapp` gives `myapp.requests`.',
});

const dogstatsdTags = defineSetting({
  name: 'dogstatsdTags',
  section: 'Metrics',
  gunicorn: 'dogstatsd_tags',
  cli: { flags: ['--dogstatsd-tags'], metavar: 'DOGSTATSD_TAGS' },
  default: '',
  validate: string(),
  typeText: 'string',
  summary: 'DogStatsD tags added to every metric, as comma-separated key:value pairs.',
  description: 'For Datadog: `env:prod,service:api` is appended to every datagram as `|#env:prod,service:api`.',
});

const metricsBind = defineSetting({
  name: 'metricsBind',
  section: 'Metrics',
  cli: { flags: ['--metrics-bind'], metavar: 'HOST:PORT' },
  default: null,
  validate: nullable(tcpHostPort),
  typeText: 'string | null',
  summary: 'Serve Prometheus metrics, /healthz and /readyz from the arbiter on this address.',
  description: [
    'The arbiter listens on this address (for example `127.0.0.1:9100`) and serves:',
    '',
    '- `/metrics`: Prometheus text, gathered from every worker over IPC (requests by status, latency',
    '  histogram, in-flight requests, worker count, restarts, timeouts, memory per worker);',
    '- `/healthz`: 200 while the arbiter runs (liveness);',
    '- `/readyz`: 200 when at least one worker has booted and can serve, 503 otherwise (readiness).',
    '',
    "It is never the app's port: metrics are not exposed to the app's clients, and a blocked worker cannot",
    'stop the arbiter from answering. `null`: no endpoint. tgun-only.',
  ].join('\n'),
});

/** The "Metrics" section, in reference order. */
export const METRICS_SETTINGS = [statsdHost, statsdPrefix, dogstatsdTags, metricsBind] as const;
