/** `tgun ctl`'s argument parser, its table formatting, and the fitting of `top` frames to a terminal. */
import { describe, expect, it } from 'vitest';
import { parseCtlArgs } from '../src/cli/ctl/args.js';
import { formatBytes, formatDuration, formatPercent } from '../src/cli/ctl/table.js';
import { computeRates, type RateMemory, topFrame } from '../src/cli/ctl/top-frame.js';
import type { StatusData } from '../src/control/commands.js';
import type { WorkerInfo } from '../src/control/stats.js';

function args(...argv: string[]) {
  const r = parseCtlArgs(argv);
  if (!r.ok || !('args' in r)) throw new Error(r.ok ? 'help' : r.message);
  return r.args;
}
function usage(...argv: string[]): string {
  const r = parseCtlArgs(argv);
  if (r.ok) throw new Error('expected a usage error');
  return r.message;
}

describe('parseCtlArgs', () => {
  it('reads scale operands, including negative ones, as numbers', () => {
    expect(args('scale', '4').scale).toEqual({ to: 4 });
    expect(args('scale', '+2').scale).toEqual({ by: 2 });
    expect(args('scale', '-1').scale).toEqual({ by: -1 });
    expect(args('--json', 'scale', '-1').json).toBe(true);
  });

  it('takes the target and options anywhere, in both flag forms', () => {
    expect(args('status', '--socket', '/s').target).toEqual({ kind: 'socket', path: '/s' });
    expect(args('--pid=/run/a.pid', 'workers').target).toEqual({ kind: 'pid', pidfile: '/run/a.pid' });
    expect(args('-n', 'api', 'workers').target).toEqual({ kind: 'name', name: 'api' });
    expect(args('workers').target).toEqual({ kind: 'discover' });
    expect(args('reload', '--rolling').rolling).toBe(true);
    expect(args('stop', '--fast').fast).toBe(true);
    expect(args('top', '--interval', '0.5', '--iterations=3')).toMatchObject({ interval: 0.5, iterations: 3 });
    expect(args('top')).toMatchObject({ interval: 1, iterations: null });
    expect(parseCtlArgs(['status', '-h'])).toEqual({ ok: true, help: true });
  });

  it('says what is wrong', () => {
    expect(usage()).toBe('no command given');
    expect(usage('bogus')).toBe('unknown command "bogus"');
    expect(usage('scale')).toBe('scale needs N (a worker count), +N or -N');
    expect(usage('scale', '1.5')).toBe('scale needs N (a worker count), +N or -N');
    expect(usage('status', '--rolling')).toBe('--rolling only goes with reload');
    expect(usage('top', '--interval', '0')).toBe('--interval needs a number from 0.1 to 30, got "0"');
    expect(usage('top', '--interval', '60')).toBe('--interval needs a number from 0.1 to 30, got "60"');
    expect(usage('top', '--iterations', '0')).toBe('--iterations needs a number of at least 1, got "0"');
    expect(usage('status', '--socket')).toBe('--socket needs a value');
    expect(usage('-n', 'a', '--pid', 'b', 'status')).toBe('give at most one of --socket, --pid and -n/--name');
    expect(usage('status', 'now')).toBe('unexpected argument "now"');
    expect(usage('--json=1', 'status')).toBe('unknown option --json=1');
  });
});

describe('formats', () => {
  it('sizes, durations and percentages', () => {
    expect(formatBytes(512)).toBe('512B');
    expect(formatBytes(48.25 * 1024 * 1024)).toBe('48.3M');
    expect(formatBytes(null)).toBe('-');
    expect(formatDuration(42.9)).toBe('42s');
    expect(formatDuration(303)).toBe('5m03s');
    expect(formatDuration(2 * 3600 + 7 * 60)).toBe('2h07m');
    expect(formatDuration(3 * 86400 + 4 * 3600)).toBe('3d04h');
    expect(formatPercent(2.345)).toBe('2.3%');
    expect(formatPercent(null)).toBe('-');
  });
});

const worker = (pid: number, requests: number): WorkerInfo => ({
  id: pid,
  pid,
  state: 'ready',
  generation: 1,
  uptime: 65,
  requests,
  inFlight: 1,
  rss: 50 * 1024 * 1024,
  cpu: 2.5,
  heartbeat: 0.3,
  restarts: 0,
});

function status(workers: WorkerInfo[]): StatusData {
  return {
    arbiter: {
      pid: 100,
      version: '1.2.3',
      name: 'app.js:app',
      startedAt: 0,
      uptime: 3600,
      binds: ['http://127.0.0.1:8000'],
      configFile: null,
      workers: { wanted: workers.length, alive: workers.length },
      parentMaster: null,
      reexecChild: null,
      socket: '/run/app.sock',
      protocol: 1,
      rss: 30 * 1024 * 1024,
      cpu: 0.5,
    },
    workers,
  };
}

describe('top frames', () => {
  it('computes req/s from the previous frame and forgets workers that left', () => {
    const memory: RateMemory = new Map();
    expect([...computeRates([worker(1, 10), worker(2, 0)], memory, 1000).values()]).toEqual([null, null]);
    const rates = computeRates([worker(1, 40)], memory, 3000);
    expect(rates.get(1)).toBe(15);
    expect([...memory.keys()]).toEqual([1]);
  });

  it('fits the terminal: drops low-priority columns, then cuts, and never overflows the rows', () => {
    const data = status([1, 2, 3, 4, 5, 6, 7, 8].map((p) => worker(1000 + p, p)));
    const rates = new Map<number, number | null>(data.workers.map((w) => [w.pid, 12.5]));
    const wide = topFrame(data, rates, { columns: 200, rows: 50 }, '12:00:00', 'q quits');
    expect(wide.join('\n')).toContain('RESTARTS');
    expect(wide.join('\n')).toMatch(
      /^\s*1001\s+1001\s+ready\s+1\s+1m05s\s+12\.5\s+1\s+1\s+50\.0M\s+2\.5%\s+0\.3s ago\s+0$/m,
    );
    expect(wide.at(-1)).toBe('q quits');

    const narrow = topFrame(data, rates, { columns: 40, rows: 10 }, '12:00:00', 'q quits');
    expect(narrow.length).toBeLessThanOrEqual(10);
    for (const line of narrow) expect(line.length).toBeLessThanOrEqual(40);
    expect(narrow.join('\n')).not.toContain('RESTARTS');
    expect(narrow.join('\n')).toMatch(/^\s*PID\s+STATE\s+REQ\/S/m);
    expect(narrow.join('\n')).toMatch(/… \d+ more worker\(s\)/);
    expect(narrow.at(-1)).toBe('q quits');
  });
});
