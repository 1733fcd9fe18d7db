/**
 * `tgun ctl top`: snapshots when stdout is not a terminal, and the live view in a real terminal (tmux): it shows
 * the worker pids, fits a resized window, and `q` quits with the screen restored. Served by control-harness.ts's
 * SimpleArbiter until the arbiter starts the control server itself.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isRunning } from '../src/testing/processes.js';
import { ctlCommand, type Harness, runCtlProcess, startHarness, tempDir } from './control-harness.js';

const dir = tempDir();
const sock = join(dir.path, 'app.sock');
let h: Harness;
beforeAll(async () => {
  h = await startHarness(sock, { workers: 3 });
});
afterAll(async () => {
  await h[Symbol.asyncDispose]();
  expect(h.arbiter.leftovers()).toEqual([]);
  dir[Symbol.dispose]();
});

async function traffic(n: number): Promise<void> {
  for (const port of h.arbiter.ports()) {
    for (let i = 0; i < n; i++) await (await fetch(`http://127.0.0.1:${port}/`)).text();
  }
}

describe('tgun ctl top without a terminal', () => {
  it('prints one snapshot per interval, with per-worker req/s from the second on', async () => {
    const run = runCtlProcess(['--socket', sock, 'top', '--interval', '1', '--iterations', '2']);
    await traffic(5);
    const r = await run;
    expect(r.code).toBe(0);
    const frames = r.stdout.split(/^(?=tgun top — )/m);
    expect(frames).toHaveLength(2);
    for (const frame of frames) {
      expect(frame).toMatch(/^tgun top — app\.mjs — \d\d:\d\d:\d\d$/m);
      expect(frame).toMatch(new RegExp(`^arbiter  pid ${process.pid}  .* workers 3/3 `, 'm'));
      expect(frame).toMatch(/^\s*PID\s+ID\s+STATE\s+GEN\s+UPTIME\s+REQ\/S\s+REQUESTS\s/m);
      for (const pid of h.arbiter.activePids()) expect(frame).toMatch(new RegExp(`^\\s*${pid}\\s`, 'm'));
      expect(frame).not.toContain('q quits');
      expect(frame).not.toContain('\x1b[');
    }
    // No rate on the first frame; every worker has one (a number) on the second.
    const rateColumn = (frame: string) =>
      frame
        .split('\n')
        .filter((l) => /^\s*\d+\s+\d+\s+ready\s/.test(l))
        .map((l) => l.trim().split(/\s+/)[5]);
    expect(rateColumn(frames[0] as string)).toEqual(['-', '-', '-']);
    for (const rate of rateColumn(frames[1] as string)) expect(rate).toMatch(/^\d+(\.\d)?$/);
  });

  it('--json prints one JSON line per snapshot with reqPerSec', async () => {
    const r = await runCtlProcess(['--socket', sock, 'top', '--json', '--interval', '0.2', '--iterations', '2']);
    expect(r.code).toBe(0);
    const lines = r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(2);
    expect(lines[0].arbiter.pid).toBe(process.pid);
    expect(lines[0].workers.map((w: { reqPerSec: unknown }) => w.reqPerSec)).toEqual([null, null, null]);
    for (const w of lines[1].workers) expect(typeof w.reqPerSec).toBe('number');
  });
});

const hasTmux = spawnSync('tmux', ['-V']).status === 0;

describe.runIf(hasTmux)('tgun ctl top in a terminal (tmux)', () => {
  it('shows the worker pids, fits a resize, and q quits restoring the screen', async () => {
    const tmuxSock = join(dir.path, 'tmux.sock');
    const tmux = (...args: string[]) =>
      execFileSync('tmux', ['-S', tmuxSock, '-f', '/dev/null', ...args], { encoding: 'utf8' });
    const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
    // The shell records top's exit status in a file: tmux's own #{pane_dead_status} is not always filled in.
    const exitFile = join(dir.path, 'top.exit');
    const command = `${ctlCommand(['--socket', sock, 'top']).map(quote).join(' ')}; echo $? > ${quote(exitFile)}`;
    tmux('new-session', '-d', '-s', 'top', '-x', '120', '-y', '30', command);
    const serverPid = Number(tmux('display-message', '-p', '-t', 'top', '#{pid}').trim());
    try {
      tmux('set-option', '-t', 'top', 'remain-on-exit', 'on');
      const screen = () => tmux('capture-pane', '-p', '-t', 'top');
      await expect.poll(screen, { timeout: 15_000 }).toContain('q quits');
      const wide = screen();
      expect(wide).toMatch(new RegExp(`^arbiter  pid ${process.pid} `, 'm'));
      expect(wide).toContain('RESTARTS');
      for (const pid of h.arbiter.activePids()) expect(wide).toMatch(new RegExp(`^\\s*${pid}\\s+\\d+\\s+ready`, 'm'));

      tmux('resize-window', '-t', 'top', '-x', '56', '-y', '12');
      await expect.poll(() => screen().includes('RESTARTS'), { timeout: 15_000 }).toBe(false);
      const narrow = screen();
      for (const line of narrow.split('\n')) expect(line.length).toBeLessThanOrEqual(56);
      expect(narrow).toMatch(/^\s*PID\s+STATE\s+/m);
      for (const pid of h.arbiter.activePids()) expect(narrow).toMatch(new RegExp(`^\\s*${pid}\\s+ready`, 'm'));

      tmux('send-keys', '-t', 'top', 'q');
      await expect
        .poll(() => (existsSync(exitFile) ? readFileSync(exitFile, 'utf8') : ''), { timeout: 15_000 })
        .toBe('0\n');
      // The alternate screen was left: what is visible now is the (empty) normal screen, not the last frame.
      expect(screen()).not.toContain('q quits');
    } finally {
      tmux('kill-server');
    }
    await expect.poll(() => isRunning(serverPid)).toBe(false);
  });
});
