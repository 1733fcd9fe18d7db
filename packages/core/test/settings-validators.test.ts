import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { settingByName } from '../src/settings/registry.js';
import { type SettingSpec, SettingValueError } from '../src/settings/types.js';

function spec(name: string): SettingSpec {
  const s = settingByName.get(name);
  if (!s) throw new Error(`no setting ${name}`);
  return s;
}

describe('setting validators', () => {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'tgun-settings-')));
  const file = join(dir, 'not-a-dir');
  writeFileSync(file, '');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const good: [string, unknown, unknown][] = [
    ['workers', '4', 4],
    ['workers', 2, 2],
    ['workers', '0x10', 16],
    ['backlog', '64', 64],
    ['bind', '127.0.0.1:8000', ['127.0.0.1:8000']],
    ['bind', ['[::1]:9000', 'unix:/tmp/t.sock', 'fd://3'], ['[::1]:9000', 'unix:/tmp/t.sock', 'fd://3']],
    ['bind', 'localhost:1,0.0.0.0:2', ['localhost:1', '0.0.0.0:2']],
    ['umask', '0022', 18],
    ['umask', '022', 18],
    ['umask', '0o22', 18],
    ['umask', 18, 18],
    ['umask', '18', 18],
    ['controlSocketMode', '0600', 0o600],
    ['logLevel', 'warn', 'warning'],
    ['logLevel', 'DEBUG', 'debug'],
    ['logLevel', 'Critical', 'critical'],
    ['proxyProtocol', true, 'auto'],
    ['proxyProtocol', false, 'off'],
    ['proxyProtocol', 'v2', 'v2'],
    ['proxyProtocol', 'AUTO', 'auto'],
    ['certReqs', '0', 0],
    ['certReqs', 2, 2],
    ['certReqs', 'required', 2],
    ['certReqs', 'optional', 1],
    ['certReqs', 'CERT_NONE', 0],
    ['forwardedAllowIps', '10.0.0.0/8,::1', ['10.0.0.0/8', '::1']],
    ['forwardedAllowIps', ['*'], ['*']],
    ['forwardedAllowIps', 'fd00::/8, 192.168.1.7', ['fd00::/8', '192.168.1.7']],
    ['proxyAllowIps', '172.16.0.0/12', ['172.16.0.0/12']],
    ['limitRequestLine', 10000, 8190],
    ['limitRequestLine', '0', 0],
    ['limitRequestLine', 100, 100],
    ['limitRequestFields', 0, 32768],
    ['limitRequestFields', -5, 32768],
    ['limitRequestFields', 40000, 32768],
    ['limitRequestFields', '50', 50],
    ['limitRequestFieldSize', 0, 8190],
    ['limitRequestFieldSize', 100, 100],
    ['rawEnv', 'A=1', ['A=1']],
    ['rawEnv', ['A=1,2', 'B=', 'C=x=y'], ['A=1,2', 'B=', 'C=x=y']],
    ['reloadExtraFiles', 'templates/{a,b}.html', ['templates/{a,b}.html']],
    ['sslMinVersion', 'tlsv1.3', 'TLSv1.3'],
    ['httpProtocols', 'h2,h1', ['h2', 'h1']],
    ['http2MaxFrameSize', 16384, 16384],
    ['http2MaxFrameSize', '16777215', 16777215],
    ['headerMap', 'REFUSE', 'refuse'],
    ['workerClass', 'sync', 'sync'],
    ['workerClass', 'gevent', 'gevent'],
    ['reloadStrategy', 'rolling', 'rolling'],
    ['statsdHost', 'localhost:8125', 'localhost:8125'],
    ['statsdHost', null, null],
    ['metricsBind', '127.0.0.1:9100', '127.0.0.1:9100'],
    ['metricsBind', '[::1]:9100', '[::1]:9100'],
    ['syslogAddr', 'unix:///dev/log#dgram', 'unix:///dev/log#dgram'],
    ['syslogAddr', 'tcp://127.0.0.1:601', 'tcp://127.0.0.1:601'],
    ['user', '1000', 1000],
    ['user', 'www-data', 'www-data'],
    ['group', 0, 0],
    ['chdir', dir, dir],
    ['keepAlive', '2.5', 2.5],
    ['timeout', 0, 0],
    ['reload', 'yes', true],
    ['adapter', 'express', 'express'],
    ['adapter', '@acme/tgun-adapter-hapi', '@acme/tgun-adapter-hapi'],
    ['forwarderHeaders', 'SCRIPT_NAME,X_Custom', ['SCRIPT_NAME', 'X_Custom']],
    ['secureSchemeHeaders', { 'X-Scheme': 'https' }, { 'X-Scheme': 'https' }],
    ['accessLog', '-', '-'],
    ['accessLog', null, null],
  ];

  const bad: [string, unknown][] = [
    ['workers', 0],
    ['workers', -1],
    ['workers', 'abc'],
    ['workers', 2.5],
    ['backlog', 0],
    ['bind', '127.0.0.1:99999'],
    ['bind', '[::1'],
    ['bind', 'unix:'],
    ['bind', 'fd://x'],
    ['bind', 42],
    ['bind', 'host name:80'],
    ['umask', '0999'],
    ['umask', 'abc'],
    ['umask', 0o10000],
    ['logLevel', 'verbose'],
    ['proxyProtocol', 'v3'],
    ['proxyProtocol', 'on'],
    ['proxyProtocol', 1],
    ['certReqs', 3],
    ['certReqs', 'maybe'],
    ['forwardedAllowIps', '10.0.0.0/33'],
    ['forwardedAllowIps', '999.1.1.1'],
    ['forwardedAllowIps', 'fd00::/129'],
    ['forwardedAllowIps', 'example.com'],
    ['limitRequestLine', -1],
    ['limitRequestFieldSize', -1],
    ['rawEnv', ['NOEQUALS']],
    ['rawEnv', '=value'],
    ['rawEnv', [1]],
    ['sslMinVersion', 'TLSv1.1'],
    ['httpProtocols', 'h3'],
    ['httpProtocols', 'h1,h1'],
    ['httpProtocols', ''],
    ['http2MaxFrameSize', 16383],
    ['http2MaxFrameSize', 16777216],
    ['headerMap', 'allow'],
    ['workerClass', 'uvicorn.workers.UvicornWorker'],
    ['reloadStrategy', 'phased'],
    ['statsdHost', 'fd://3'],
    ['statsdHost', 'unix://'],
    ['statsdHost', 'unix:///tmp/statsd.sock'], // Node's dgram is UDP-only
    ['metricsBind', 'unix:/tmp/m.sock'],
    ['metricsBind', '127.0.0.1'],
    ['syslogAddr', 'localhost:514'],
    ['syslogAddr', 'unix:///dev/log#raw'],
    ['user', 'bad name'],
    ['user', -1],
    ['chdir', join(dir, 'missing')],
    ['chdir', file],
    ['keepAlive', -1],
    ['timeout', 'soon'],
    ['reload', 'maybe'],
    ['adapter', 'Not Valid'],
    ['forwarderHeaders', 'bad header'],
    ['secureSchemeHeaders', { 'X-Scheme': 1 }],
    ['secureSchemeHeaders', 'X-Scheme=https'],
    ['config', 3],
  ];

  it.each(good)('%s accepts %j', (name, raw, expected) => {
    expect(spec(name).validate(raw)).toEqual(expected);
  });

  it.each(bad)('%s rejects %j', (name, raw) => {
    expect(() => spec(name).validate(raw)).toThrow(SettingValueError);
  });

  it('explains h3 and the boolean forms of proxyProtocol', () => {
    expect(() => spec('httpProtocols').validate('h3')).toThrow(/HTTP\/3/);
    expect(() => spec('proxyProtocol').validate('yes')).toThrow(/true means auto/);
    expect(() => spec('rawEnv').validate(['NOEQUALS'])).toThrow(/no '='/);
  });
});
