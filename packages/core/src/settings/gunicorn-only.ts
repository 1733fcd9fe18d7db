/**
 * gunicorn settings that tgun deliberately does not have, each with what to do instead on Node. The config
 * engine looks a name up here before calling it unknown, so a translated `gunicorn.conf.py` gets an answer
 * ("pythonpath is a gunicorn setting with no meaning on Node: …") instead of a bare "unknown setting".
 */

/** gunicorn's snake_case name → why tgun has no such setting and what to use instead. */
const REASONS: Readonly<Record<string, string>> = {
  pythonpath:
    "Node resolves modules from the app's directory and node_modules; set chdir, or NODE_PATH for extra directories",
  paste: 'PasteDeploy is Python-only; name the app as MODULE:VARIABLE on the command line or in `app`',
  paster: 'PasteDeploy is Python-only; name the app as MODULE:VARIABLE on the command line or in `app`',
  raw_paste_global_conf: 'PasteDeploy is Python-only; pass values to the app through rawEnv (-e KEY=VALUE)',
  paste_global: 'PasteDeploy is Python-only; pass values to the app through rawEnv (-e KEY=VALUE)',
  tmp_upload_dir: 'unused even by gunicorn; Node apps choose where uploads go (os.tmpdir() by default)',
  ssl_version: 'deprecated and ignored by gunicorn; use sslMinVersion (TLSv1.2 or TLSv1.3)',
  do_handshake_on_connect: "a Python ssl.wrap_socket option; Node's TLS server always handshakes on connect",
  suppress_ragged_eofs: "a Python ssl.wrap_socket option with no counterpart in Node's tls module",
  logger_class:
    "tgun's logger is built in; use errorLog, accessLog, accessLogFormat, syslog or statsdHost, or the postRequest hook",
  logconfig: 'a Python logging.config ini file; use logConfigJson, or errorLog/accessLog/logLevel',
  logconfig_dict: 'a Python dictConfig dict; use logConfigJson, or errorLog/accessLog/logLevel',
  default_proc_name: 'internal to gunicorn; tgun names processes after the app, and procName overrides it',
  strip_header_spaces:
    "deprecated and unsafe (request smuggling); Node's parser always refuses whitespace before a header's colon",
  http_parser: 'Node always parses HTTP/1 with its own llhttp parser; there is no other parser to choose',
  protocol: 'tgun speaks HTTP only, not uWSGI; put nginx with proxy_pass (not uwsgi_pass) in front',
  uwsgi_allow_ips: 'tgun speaks HTTP only, not uWSGI; use forwardedAllowIps for the proxy in front',
  root_path:
    "an ASGI root_path; mount the app under its prefix in the framework (Express app.use('/prefix', …), Fastify prefix)",
  asgi_loop: "every tgun worker runs on Node's own event loop (libuv); there is nothing to choose",
  asgi_lifespan: "use the adapter's ready() and close(), or the postWorkerInit and workerExit hooks",
  asgi_disconnect_grace_period: "Node signals a client disconnect with req/res 'close' events; handle it in the app",
  enable_backlog_metric:
    'needs Linux TCP_INFO, which Node does not expose; use metricsBind for queue and worker metrics',
  dirty_apps: 'there are no dirty arbiters; run blocking jobs in node:worker_threads or a separate tgun pool',
  dirty_workers: 'there are no dirty arbiters; run blocking jobs in node:worker_threads or a separate tgun pool',
  dirty_timeout: 'there are no dirty arbiters; run blocking jobs in node:worker_threads or a separate tgun pool',
  dirty_threads: 'there are no dirty arbiters; run blocking jobs in node:worker_threads or a separate tgun pool',
  dirty_graceful_timeout:
    'there are no dirty arbiters; run blocking jobs in node:worker_threads or a separate tgun pool',
  on_dirty_starting: 'there are no dirty arbiters, so no dirty hooks; see onStarting',
  dirty_post_fork: 'there are no dirty arbiters, so no dirty hooks; see postFork',
  dirty_worker_init: 'there are no dirty arbiters, so no dirty hooks; see postWorkerInit',
  dirty_worker_exit: 'there are no dirty arbiters, so no dirty hooks; see workerExit',
};

/** `raw_paste_global_conf` → `rawPasteGlobalConf`. */
export function camelCase(snake: string): string {
  return snake.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/**
 * gunicorn settings tgun does not have, by both their gunicorn (snake_case) name and its camelCase form, each
 * mapped to a one-line explanation of what to use on Node instead.
 */
export const GUNICORN_ONLY: ReadonlyMap<string, string> = new Map(
  Object.entries(REASONS).flatMap(([name, why]) => [
    [name, why],
    [camelCase(name), why],
  ]),
);
