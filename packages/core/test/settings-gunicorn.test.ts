import { describe, expect, it } from 'vitest';
import { camelCase, GUNICORN_ONLY } from '../src/settings/gunicorn-only.js';
import { SETTINGS, settingByName } from '../src/settings/registry.js';
import type { SettingSpec } from '../src/settings/types.js';

const all = SETTINGS as readonly SettingSpec[];

function spec(name: string): SettingSpec {
  const s = settingByName.get(name);
  if (!s) throw new Error(`no setting ${name}`);
  return s;
}

describe('gunicorn compatibility of the settings', () => {
  it("names gunicorn's setting in the description where tgun's name is not its camelCase", () => {
    for (const s of all) {
      if (s.gunicorn && camelCase(s.gunicorn) !== s.name) {
        expect(s.description, s.name).toContain(`gunicorn: \`${s.gunicorn}\``);
      }
    }
  });

  it('keeps every gunicorn flag of the settings it keeps', () => {
    const gunicornFlags: Record<string, string[]> = {
      config: ['-c', '--config'],
      bind: ['-b', '--bind'],
      backlog: ['--backlog'],
      workers: ['-w', '--workers'],
      workerClass: ['-k', '--worker-class'],
      threads: ['--threads'],
      workerConnections: ['--worker-connections'],
      maxRequests: ['--max-requests'],
      maxRequestsJitter: ['--max-requests-jitter'],
      timeout: ['-t', '--timeout'],
      gracefulTimeout: ['--graceful-timeout'],
      keepAlive: ['--keep-alive'],
      limitRequestLine: ['--limit-request-line'],
      limitRequestFields: ['--limit-request-fields'],
      limitRequestFieldSize: ['--limit-request-field_size'],
      permitObsoleteFolding: ['--permit-obsolete-folding'],
      permitUnconventionalHttpMethod: ['--permit-unconventional-http-method'],
      permitUnconventionalHttpVersion: ['--permit-unconventional-http-version'],
      casefoldHttpMethod: ['--casefold-http-method'],
      headerMap: ['--header-map'],
      forwarderHeaders: ['--forwarder-headers'],
      reload: ['--reload'],
      reloadEngine: ['--reload-engine'],
      reloadExtraFiles: ['--reload-extra-file'],
      spew: ['--spew'],
      checkConfig: ['--check-config'],
      printConfig: ['--print-config'],
      preloadApp: ['--preload'],
      sendfile: ['--no-sendfile'],
      reusePort: ['--reuse-port'],
      chdir: ['--chdir'],
      daemon: ['-D', '--daemon'],
      rawEnv: ['-e', '--env'],
      pidfile: ['-p', '--pid'],
      workerTmpDir: ['--worker-tmp-dir'],
      user: ['-u', '--user'],
      group: ['-g', '--group'],
      umask: ['-m', '--umask'],
      initgroups: ['--initgroups'],
      forwardedAllowIps: ['--forwarded-allow-ips'],
      proxyProtocol: ['--proxy-protocol'],
      proxyAllowIps: ['--proxy-allow-from'],
      accessLog: ['--access-logfile'],
      disableRedirectAccessToSyslog: ['--disable-redirect-access-to-syslog'],
      accessLogFormat: ['--access-logformat'],
      errorLog: ['--error-logfile', '--log-file'],
      logLevel: ['--log-level'],
      captureOutput: ['--capture-output'],
      logConfigJson: ['--log-config-json'],
      syslogAddr: ['--log-syslog-to'],
      syslog: ['--log-syslog'],
      syslogPrefix: ['--log-syslog-prefix'],
      syslogFacility: ['--log-syslog-facility'],
      enableStdioInheritance: ['-R', '--enable-stdio-inheritance'],
      statsdHost: ['--statsd-host'],
      dogstatsdTags: ['--dogstatsd-tags'],
      statsdPrefix: ['--statsd-prefix'],
      procName: ['-n', '--name'],
      keyfile: ['--keyfile'],
      certfile: ['--certfile'],
      certReqs: ['--cert-reqs'],
      caCerts: ['--ca-certs'],
      ciphers: ['--ciphers'],
      httpProtocols: ['--http-protocols'],
      http2Cleartext: ['--http2-cleartext'],
      http2MaxConcurrentStreams: ['--http2-max-concurrent-streams'],
      http2InitialWindowSize: ['--http2-initial-window-size'],
      http2MaxFrameSize: ['--http2-max-frame-size'],
      http2MaxHeaderListSize: ['--http2-max-header-list-size'],
      controlSocket: ['--control-socket'],
      controlSocketMode: ['--control-socket-mode'],
      controlSocketDisable: ['--no-control-socket'],
    };
    for (const [name, flags] of Object.entries(gunicornFlags)) {
      expect(spec(name).cli?.flags, name).toEqual(expect.arrayContaining(flags));
    }
    // Negative switches store what their name says.
    expect(spec('sendfile').cli).toMatchObject({ switch: true, constValue: false });
    expect(spec('controlSocketDisable').cli?.switch).toBe(true);
    expect(spec('proxyProtocol').cli).toMatchObject({ optionalValue: true, constValue: 'auto' });
  });
});

describe('gunicorn-only settings', () => {
  it('maps both the snake_case and camelCase names to a one-line reason', () => {
    expect(GUNICORN_ONLY.get('pythonpath')).toMatch(/NODE_PATH/);
    expect(GUNICORN_ONLY.get('tmp_upload_dir')).toBe(GUNICORN_ONLY.get('tmpUploadDir'));
    expect(GUNICORN_ONLY.get('asgiLoop')).toBeTruthy();
    for (const name of ['paste', 'ssl_version', 'logger_class', 'logconfig', 'protocol', 'root_path', 'http_parser']) {
      expect(GUNICORN_ONLY.has(name), name).toBe(true);
    }
    for (const [name, why] of GUNICORN_ONLY) {
      expect(GUNICORN_ONLY.get(camelCase(name)), name).toBe(why);
      expect(why, name).toMatch(/^[^\n]{10,200}$/);
    }
  });

  it('names nothing tgun has', () => {
    const kept = new Set(all.flatMap((s) => [s.name, ...(s.gunicorn ? [s.gunicorn, camelCase(s.gunicorn)] : [])]));
    for (const name of GUNICORN_ONLY.keys()) expect(kept.has(name), name).toBe(false);
  });
});
