/**
 * The example manifests, parsed with `yaml`, narrowed to the fields the tests read, plus the container's
 * tgun command line as this checkout can run it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

/** apps/deploy-kubernetes. */
export const APP_DIR = fileURLToPath(new URL('../', import.meta.url));
/** The image's working directory, where the app lives in the container. */
export const IMAGE_DIR = '/app';

/** An HTTP probe. */
export interface Probe {
  httpGet: { path: string; port: string | number };
}

/** The container fields the tests check. */
export interface Container {
  name: string;
  workingDir: string;
  command: string[];
  args: string[];
  env: { name: string; value?: string; valueFrom?: { resourceFieldRef?: ResourceFieldRef } }[];
  ports: { name: string; containerPort: number }[];
  resources: { limits: Record<string, string>; requests: Record<string, string> };
  readinessProbe: Probe;
  livenessProbe: Probe;
  lifecycle: { preStop: { sleep?: { seconds: number }; exec?: { command: string[] } } };
}

/** A `resourceFieldRef` env source. */
export interface ResourceFieldRef {
  containerName?: string;
  resource: string;
  divisor?: string;
}

/** The Deployment, as far as the tests read it. */
export interface Deployment {
  kind: 'Deployment';
  spec: {
    selector: { matchLabels: Record<string, string> };
    template: {
      metadata: { labels: Record<string, string> };
      spec: { terminationGracePeriodSeconds: number; containers: Container[] };
    };
  };
}

/** The Service, as far as the tests read it. */
export interface Service {
  kind: 'Service';
  spec: { selector: Record<string, string>; ports: { name: string; port: number; targetPort: string | number }[] };
}

function load<T>(file: string, kind: string): T {
  const docs = parseAllDocuments(readFileSync(join(APP_DIR, 'k8s', file), 'utf8'));
  const parsed = (Array.isArray(docs) ? docs : [docs]).map((doc) => {
    if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors.map((e) => e.message).join('; ')}`);
    return doc.toJS() as { kind?: string };
  });
  const found = parsed.filter((doc) => doc.kind === kind);
  if (found.length !== 1) throw new Error(`${file}: expected one ${kind}, found ${found.length}`);
  return found[0] as T;
}

/** k8s/deployment.yaml's Deployment. */
export const deployment = load<Deployment>('deployment.yaml', 'Deployment');
/** k8s/service.yaml's Service. */
export const service = load<Service>('service.yaml', 'Service');

/** The tgun container (the only one). */
export function tgunContainer(): Container {
  const [container, ...others] = deployment.spec.template.spec.containers;
  if (!container || others.length > 0) throw new Error('expected exactly one container');
  return container;
}

/** The value after `flag` in the container's args, or undefined. */
export function flagValue(args: readonly string[], flag: string): string | undefined {
  const i = args.indexOf(flag);
  return i === -1 ? undefined : args[i + 1];
}

/** `host:port` → its port. */
export function portOf(address: string): number {
  return Number(address.slice(address.lastIndexOf(':') + 1));
}

/** A named container port (or a number) → the port number. */
export function resolvePort(container: Container, port: string | number): number | undefined {
  return typeof port === 'number' ? port : container.ports.find((p) => p.name === port)?.containerPort;
}

/**
 * What Kubernetes puts in an env var from `resourceFieldRef` on a CPU limit: the quantity divided by the
 * divisor, rounded up (so `1500m` with divisor `1` is 2).
 */
export function cpuFieldValue(container: Container, ref: ResourceFieldRef): number {
  const milli = (q: string) => (q.endsWith('m') ? Number(q.slice(0, -1)) : Number(q) * 1000);
  const [scope, resource] = ref.resource.split('.');
  const quantity =
    scope === 'limits' ? container.resources.limits[resource ?? ''] : container.resources.requests[resource ?? ''];
  if (quantity === undefined) throw new Error(`no ${ref.resource} on the container`);
  return Math.ceil(milli(quantity) / milli(ref.divisor ?? '1'));
}

/** The container's environment as it will be in the pod (literal values and CPU field refs). */
export function containerEnv(container: Container): Record<string, string> {
  const env: Record<string, string> = {};
  for (const entry of container.env) {
    const ref = entry.valueFrom?.resourceFieldRef;
    if (entry.value !== undefined) env[entry.name] = entry.value;
    else if (ref) env[entry.name] = String(cpuFieldValue(container, ref));
  }
  return env;
}

/** The container's `command` + `args` with /app moved to this directory: [tgun.js, ...args]. */
export function tgunArgvHere(container: Container, tgunBin: string): string[] {
  const [node, bin, ...rest] = [...container.command, ...container.args];
  if (node !== 'node' || bin !== `${IMAGE_DIR}/node_modules/@tgun/core/bin/tgun.js`) {
    throw new Error(`unexpected container command: ${container.command.join(' ')}`);
  }
  const here = rest.map((arg) => (arg.startsWith(`${IMAGE_DIR}/`) ? join(APP_DIR, arg.slice(IMAGE_DIR.length)) : arg));
  return [tgunBin, ...here];
}
