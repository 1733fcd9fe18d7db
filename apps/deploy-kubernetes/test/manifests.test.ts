import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { TGUN_BIN } from './harness.js';
import {
  APP_DIR,
  containerEnv,
  deployment,
  flagValue,
  IMAGE_DIR,
  portOf,
  resolvePort,
  service,
  tgunArgvHere,
  tgunContainer,
} from './manifests.js';

const run = promisify(execFile);
const container = tgunContainer();
const args = container.args;

/** Runs the container's tgun command line here, with the pod's environment, plus `extra`. */
async function tgunAsInPod(extra: readonly string[]): Promise<{ code: number; output: string }> {
  const env = { ...process.env, ...containerEnv(container) };
  delete env.TGUN_CMD_ARGS;
  delete env.PORT;
  try {
    const { stdout, stderr } = await run(process.execPath, [...tgunArgvHere(container, TGUN_BIN), ...extra], {
      cwd: APP_DIR,
      env,
    });
    return { code: 0, output: stdout + stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

describe('the Deployment and the tgun command line agree', () => {
  it('gives the pod longer to stop than the preStop pause plus tgun graceful timeout', () => {
    const graceful = Number(flagValue(args, '--graceful-timeout'));
    const pause = container.lifecycle.preStop.sleep?.seconds ?? 0;
    expect(graceful).toBeGreaterThan(0);
    expect(pause).toBeGreaterThan(0);
    expect(deployment.spec.template.spec.terminationGracePeriodSeconds).toBeGreaterThan(pause + graceful);
  });

  it('probes /readyz and /healthz on the port tgun serves them on, reachable from the kubelet', () => {
    const metricsBind = flagValue(args, '--metrics-bind') ?? '';
    expect(metricsBind).toMatch(/^0\.0\.0\.0:\d+$/);
    expect(container.readinessProbe.httpGet.path).toBe('/readyz');
    expect(container.livenessProbe.httpGet.path).toBe('/healthz');
    for (const probe of [container.readinessProbe, container.livenessProbe]) {
      expect(resolvePort(container, probe.httpGet.port)).toBe(portOf(metricsBind));
    }
  });

  it('routes the Service to the port tgun binds, on the pods the Deployment labels', () => {
    const bind = flagValue(args, '--bind') ?? '';
    expect(bind).toMatch(/^0\.0\.0\.0:\d+$/);
    const [port, ...others] = service.spec.ports;
    expect(others).toEqual([]);
    expect(resolvePort(container, port?.targetPort ?? '')).toBe(portOf(bind));
    expect(service.spec.selector).toEqual(deployment.spec.selector.matchLabels);
    expect(deployment.spec.template.metadata.labels).toMatchObject(service.spec.selector);
    // The app's port and the metrics port differ: clients never reach the health or metrics endpoints.
    expect(portOf(bind)).not.toBe(portOf(flagValue(args, '--metrics-bind') ?? ''));
  });

  it('sizes the worker pool from the CPU limit through WEB_CONCURRENCY', () => {
    expect(args).not.toContain('--workers');
    expect(args).not.toContain('-w');
    const ref = container.env.find((e) => e.name === 'WEB_CONCURRENCY')?.valueFrom?.resourceFieldRef;
    expect(ref).toMatchObject({ containerName: container.name, resource: 'limits.cpu' });
    expect(containerEnv(container).WEB_CONCURRENCY).toBe('2');
    expect(container.workingDir).toBe(IMAGE_DIR);
  });

  it('has container args that tgun --check-config accepts', async () => {
    const result = await tgunAsInPod(['--check-config']);
    expect(result.output).toBe('');
    expect(result.code).toBe(0);
  });

  it('resolves, in the pod environment, to what the manifests assume', async () => {
    const { code, output } = await tgunAsInPod(['--print-config']);
    expect(code, output).toBe(0);
    const value = (name: string) => new RegExp(`^${name}\\s+=\\s+(.+?)\\s+\\(`, 'm').exec(output)?.[1];
    expect(value('workers')).toBe('2');
    expect(value('gracefulTimeout')).toBe(flagValue(args, '--graceful-timeout'));
    expect(value('metricsBind')).toBe(JSON.stringify(flagValue(args, '--metrics-bind')));
    expect(value('bind')).toBe(JSON.stringify([flagValue(args, '--bind')]));
    expect(value('daemon')).toBe('false');
  });
});
