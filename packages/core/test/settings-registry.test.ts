import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SecureContextOptions } from 'node:tls';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { HookSignatures, ServerView, WorkerView } from '../src/hooks/types.js';
import type { LogLevel } from '../src/logging/types.js';
import { type SettingName, SETTINGS, settingByName, type TgunConfig } from '../src/settings/registry.js';
import { SECTIONS, type SettingSpec, SettingValueError } from '../src/settings/types.js';

const all = SETTINGS as readonly SettingSpec[];

function spec(name: string): SettingSpec {
  const s = settingByName.get(name);
  if (!s) throw new Error(`no setting ${name}`);
  return s;
}

/** The engine's rule: a hook's default is the hook; any other function default is computed from the env. */
function defaultOf(s: SettingSpec, env: NodeJS.ProcessEnv): unknown {
  if (typeof s.default !== 'function' || s.section === 'Server Hooks') return s.default;
  return (s.default as (e: NodeJS.ProcessEnv) => unknown)(env);
}

/** Every hook in `HookSignatures`; the type test below fails if one is added there and not here. */
const HOOKS = [
  'onStarting',
  'onReload',
  'whenReady',
  'preFork',
  'postFork',
  'postWorkerInit',
  'onHttpServer',
  'workerInt',
  'workerAbort',
  'workerGoingAway',
  'preExec',
  'preRequest',
  'postRequest',
  'childExit',
  'workerExit',
  'nworkersChanged',
  'onExit',
  'sslContext',
] as const satisfies readonly (keyof HookSignatures)[];

describe('settings registry: declarations', () => {
  it('has unique camelCase names, and settingByName finds each', () => {
    const names = all.map((s) => s.name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) {
      expect(name).toMatch(/^[a-z][a-zA-Z0-9]*$/);
      expect(settingByName.get(name)?.name).toBe(name);
    }
    expect(settingByName.size).toBe(names.length);
  });

  it('lists settings grouped by section, in SECTIONS order, every section used', () => {
    const order = all.map((s) => SECTIONS.indexOf(s.section));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(new Set(order).size).toBe(SECTIONS.length);
  });

  it('has unique, well-formed flags; valued flags have a metavar, switches none', () => {
    const seen = new Map<string, string>();
    for (const s of all) {
      if (!s.cli) continue;
      expect(s.cli.flags.length, s.name).toBeGreaterThan(0);
      const shorts = s.cli.flags.filter((f) => !f.startsWith('--'));
      expect(shorts.length, s.name).toBeLessThanOrEqual(1);
      if (shorts.length) expect(s.cli.flags[0], `${s.name}: short flag first`).toBe(shorts[0]);
      for (const flag of s.cli.flags) {
        expect(flag).toMatch(/^(-[a-zA-Z]|--[a-z0-9][a-z0-9_-]*[a-z0-9])$/);
        expect(seen.get(flag), `${flag} is declared twice`).toBeUndefined();
        seen.set(flag, s.name);
      }
      if (s.cli.switch) expect(s.cli.metavar, s.name).toBeUndefined();
      else expect(s.cli.metavar, s.name).toMatch(/^[A-Z][A-Z0-9_:=]*$/);
      if (s.cli.optionalValue) expect(s.cli.constValue, s.name).toBeDefined();
    }
    // A switch's generated negative form (`--no-reload`) must not be another setting's flag.
    for (const s of all) {
      if (!s.cli?.switch) continue;
      for (const flag of s.cli.flags.filter((f) => f.startsWith('--'))) {
        const owner = seen.get(`--no-${flag.slice(2)}`);
        expect(owner === undefined || owner === s.name, `--no-${flag.slice(2)}`).toBe(true);
      }
    }
  });

  it('has one-line summaries that end in one period, and a description and type for every setting', () => {
    for (const s of all) {
      expect(s.summary, s.name).toMatch(/^[A-Z][^\n]*[^.\s]\.$/);
      expect(s.summary.length, `${s.name} summary length`).toBeLessThanOrEqual(100);
      expect(s.description.trim().length, s.name).toBeGreaterThan(20);
      expect(s.description, s.name).not.toMatch(/[ \t]$/m);
      expect(s.typeText, s.name).not.toBe('');
    }
  });
});

describe('settings registry: defaults', () => {
  const envs: Record<string, NodeJS.ProcessEnv> = {
    empty: {},
    paas: { PORT: '9000', WEB_CONCURRENCY: '3', FORWARDED_ALLOW_IPS: '10.0.0.0/8' },
  };

  for (const [label, env] of Object.entries(envs)) {
    it(`every default passes its own validator unchanged (${label} env)`, () => {
      for (const s of all) {
        const d = defaultOf(s, env);
        const v = s.validate(d);
        if (typeof d === 'function') expect(v, s.name).toBe(d);
        else expect(v, s.name).toEqual(d);
      }
    });
  }

  it('computes env-dependent defaults, and declares the variable they read', () => {
    expect(defaultOf(spec('bind'), {})).toEqual(['127.0.0.1:8000']);
    expect(defaultOf(spec('bind'), envs.paas!)).toEqual(['0.0.0.0:9000']);
    expect(defaultOf(spec('workers'), {})).toBe(1);
    expect(defaultOf(spec('workers'), envs.paas!)).toBe(3);
    expect(defaultOf(spec('forwardedAllowIps'), {})).toEqual(['127.0.0.1', '::1']);
    expect(defaultOf(spec('forwardedAllowIps'), envs.paas!)).toEqual(['10.0.0.0/8']);
    expect(defaultOf(spec('chdir'), {})).toBe(process.cwd());
    expect([spec('bind').env, spec('workers').env, spec('forwardedAllowIps').env]).toEqual([
      'PORT',
      'WEB_CONCURRENCY',
      'FORWARDED_ALLOW_IPS',
    ]);
  });

  it('rejects a bad environment value with a SettingValueError', () => {
    expect(() => defaultOf(spec('workers'), { WEB_CONCURRENCY: 'lots' })).toThrow(SettingValueError);
    expect(() => defaultOf(spec('bind'), { PORT: '99999' })).toThrow(SettingValueError);
    expect(() => defaultOf(spec('forwardedAllowIps'), { FORWARDED_ALLOW_IPS: '10.0.0.0/40' })).toThrow(
      SettingValueError,
    );
  });

  it('gives every computed default a defaultText', () => {
    for (const s of all) {
      if (typeof s.default === 'function' && s.section !== 'Server Hooks') expect(s.defaultText, s.name).toBeTruthy();
    }
  });

  it('hands out fresh list defaults, so one config cannot change another', () => {
    const a = defaultOf(spec('bind'), {}) as string[];
    a.push('0.0.0.0:1');
    expect(defaultOf(spec('bind'), {})).toEqual(['127.0.0.1:8000']);
    const b = spec('forwardedAllowIps').validate(defaultOf(spec('forwardedAllowIps'), {})) as string[];
    b.push('*');
    expect(defaultOf(spec('forwardedAllowIps'), {})).toEqual(['127.0.0.1', '::1']);
  });
});

describe('settings registry: hooks', () => {
  it('declares every hook of HookSignatures with a function default, config-file only', () => {
    for (const name of HOOKS) {
      const s = spec(name);
      expect(s.section, name).toBe('Server Hooks');
      expect(typeof s.default, name).toBe('function');
      expect(s.typeText, name).toBe('function');
      expect(s.cli, `${name} is config-file only`).toBeUndefined();
    }
    for (const name of ['app', 'secureSchemeHeaders']) expect(spec(name).cli, name).toBeUndefined();
    const declared = all.filter((s) => s.section === 'Server Hooks').map((s) => s.name);
    expect(declared.sort()).toEqual([...HOOKS].sort());
  });

  it('refuses hook values that are not functions', () => {
    for (const bad of ['module.hook', { call: true }, null, 1, true]) {
      expect(() => spec('onStarting').validate(bad)).toThrow(SettingValueError);
    }
    const fn = () => {};
    expect(spec('postRequest').validate(fn)).toBe(fn);
  });

  it("sslContext's default returns what the default factory builds", () => {
    const options: SecureContextOptions = { minVersion: 'TLSv1.3' };
    const hook = defaultOf(spec('sslContext'), {}) as HookSignatures['sslContext'];
    expect(hook({}, () => options)).toBe(options);
  });

  it('no-op defaults return nothing', () => {
    const hook = defaultOf(spec('preRequest'), {}) as () => unknown;
    expect(hook()).toBeUndefined();
  });
});

describe('TgunConfig type', () => {
  it('derives precise value types from the declarations', () => {
    expectTypeOf<TgunConfig['workers']>().toEqualTypeOf<number>();
    expectTypeOf<TgunConfig['bind']>().toEqualTypeOf<string[]>();
    expectTypeOf<TgunConfig['accessLog']>().toEqualTypeOf<string | null>();
    expectTypeOf<TgunConfig['logLevel']>().toEqualTypeOf<LogLevel>();
    expectTypeOf<TgunConfig['proxyProtocol']>().toEqualTypeOf<'off' | 'v1' | 'v2' | 'auto'>();
    expectTypeOf<TgunConfig['reloadStrategy']>().toEqualTypeOf<'all' | 'rolling'>();
    expectTypeOf<TgunConfig['certReqs']>().toEqualTypeOf<0 | 1 | 2>();
    expectTypeOf<TgunConfig['user']>().toEqualTypeOf<string | number | null>();
    expectTypeOf<TgunConfig['httpProtocols']>().toEqualTypeOf<('h1' | 'h2')[]>();
    expectTypeOf<TgunConfig['secureSchemeHeaders']>().toEqualTypeOf<Record<string, string>>();
    expectTypeOf<TgunConfig['reload']>().toEqualTypeOf<boolean>();
    expectTypeOf<TgunConfig['workerClass']>().toEqualTypeOf<
      'node' | 'sync' | 'gthread' | 'gevent' | 'eventlet' | 'tornado' | 'asgi'
    >();
    expectTypeOf<TgunConfig['reloadEngine']>().toEqualTypeOf<'auto' | 'poll' | 'inotify'>();
    expectTypeOf<TgunConfig['headerMap']>().toEqualTypeOf<'drop' | 'refuse' | 'dangerous'>();
    expectTypeOf<TgunConfig['http2Cleartext']>().toEqualTypeOf<'off' | 'prior-knowledge' | 'upgrade' | 'both'>();
    expectTypeOf<TgunConfig['sslMinVersion']>().toEqualTypeOf<'TLSv1.2' | 'TLSv1.3'>();
    expectTypeOf<TgunConfig['syslogFacility']>().toExtend<string>();
    expectTypeOf<'local7'>().toExtend<TgunConfig['syslogFacility']>();
    expectTypeOf<TgunConfig['chdir']>().toEqualTypeOf<string>();
    expectTypeOf<TgunConfig['timeout']>().toEqualTypeOf<number>();
    expectTypeOf<TgunConfig['rawEnv']>().toEqualTypeOf<string[]>();
    expectTypeOf<TgunConfig['onStarting']>().toEqualTypeOf<(server: ServerView) => void | Promise<void>>();
    expectTypeOf<TgunConfig['postRequest']>().toEqualTypeOf<
      (worker: WorkerView, req: IncomingMessage, res: ServerResponse) => void
    >();
    expectTypeOf<TgunConfig['sslContext']>().toEqualTypeOf<HookSignatures['sslContext']>();
    expectTypeOf<keyof TgunConfig>().toEqualTypeOf<SettingName>();
    expectTypeOf<(typeof HOOKS)[number]>().toEqualTypeOf<keyof HookSignatures>();
    expectTypeOf<'workers'>().toExtend<SettingName>();
    // @ts-expect-error -- not a setting
    expectTypeOf<'pythonpath'>().toExtend<SettingName>();
    expect(SETTINGS.length).toBe(settingByName.size);
  });
});
