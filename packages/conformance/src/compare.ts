/**
 * Unchanged-app comparisons: the same app, run by plain `node` and served by tgun (or a stand-in target),
 * must answer a scripted sequence of requests identically. Cookies set along the way are sent back, as a
 * browser would; headers that legitimately differ between two runs (dates, connection handling) are dropped.
 */
import { describe, expect, it } from 'vitest';
import { send } from './client.js';
import { nodeDirectTarget } from './targets/node-direct.js';
import type { AppSpec, Target } from './targets/target.js';

/** One request of a scripted visit. */
export interface Step {
  readonly method?: string;
  readonly path: string;
  readonly headers?: Record<string, string>;
  readonly body?: string;
}

/** What {@link defineComparison} is given. */
export interface ComparisonOptions {
  readonly name: string;
  /** A module that starts its own server with `listen(process.env.PORT)` when run by node. */
  readonly app: AppSpec;
  readonly steps: readonly Step[];
  readonly targets: readonly Target[];
  /** Cookies whose values change from run to run (session ids, expiry stamps): compared by name only. */
  readonly volatileCookies?: readonly string[];
}

/** One request and its answer, normalised for comparison. */
export interface Exchange {
  readonly request: string;
  readonly status: number;
  readonly headers: Record<string, string | string[]>;
  readonly body: string;
}

const VOLATILE_HEADERS = new Set(['date', 'connection', 'keep-alive']);

function normaliseCookie(cookie: string, volatile: readonly string[]): string {
  const [pair = '', ...attrs] = cookie.split(';');
  const name = pair.split('=')[0] ?? '';
  const kept = attrs.filter((a) => !/^\s*expires=/i.test(a));
  return [volatile.includes(name) ? `${name}=<volatile>` : pair, ...kept].join(';');
}

/** Runs `steps` against `base`, carrying cookies forward. */
export async function transcript(
  base: string,
  steps: readonly Step[],
  volatile: readonly string[] = [],
): Promise<Exchange[]> {
  const jar = new Map<string, string>();
  const out: Exchange[] = [];
  for (const step of steps) {
    const headers: Record<string, string> = { ...step.headers };
    if (jar.size > 0) headers.cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await send(base, step.path, { method: step.method ?? 'GET', headers, body: step.body });
    const kept: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(res.headers)) {
      if (value === undefined || VOLATILE_HEADERS.has(name)) continue;
      kept[name] =
        name === 'set-cookie' && Array.isArray(value) ? value.map((c) => normaliseCookie(c, volatile)) : value;
    }
    for (const cookie of res.headers['set-cookie'] ?? []) {
      const [pair = ''] = cookie.split(';');
      const at = pair.indexOf('=');
      jar.set(pair.slice(0, at), pair.slice(at + 1));
    }
    out.push({ request: `${step.method ?? 'GET'} ${step.path}`, status: res.status, headers: kept, body: res.text });
  }
  return out;
}

/** Registers one test per target: the app's answers through the target equal its answers under plain node. */
export function defineComparison(options: ComparisonOptions): void {
  const reference = nodeDirectTarget();
  describe(`${options.name}: unchanged app, compared with node`, () => {
    for (const target of options.targets) {
      const why = target.unavailable();
      it.skipIf(why !== null)(
        `answers as under node when served by ${target.name}${why ? ` (skipped: ${why})` : ''}`,
        async () => {
          const volatile = options.volatileCookies ?? [];
          const env = { PORT: '0' };
          await using direct = await reference.start(options.app, { env });
          const expected = await transcript(direct.url, options.steps, volatile);
          await using served = await target.start(options.app, { env });
          const actual = await transcript(served.url, options.steps, volatile);
          expect(actual).toEqual(expected);
          // The reference must itself be a meaningful run, not a sequence of failures.
          expect(expected.filter((e) => e.status < 400).length).toBeGreaterThanOrEqual(options.steps.length / 3);
        },
      );
    }
  });
}
