/**
 * `tgun ctl top`: on a terminal, a full-screen view redrawn every interval and at once on resize, `q` (or Ctrl-C)
 * quits and restores the screen. When stdout is not a terminal, one snapshot per interval is printed, so a script
 * or a log can take `--iterations N` of them (as JSON lines with `--json`).
 */
import type { ControlConnection } from '../../control/client.js';
import type { StatusData } from '../../control/commands.js';
import { CTL_EXIT, type CtlFailure } from './failures.js';
import { computeRates, type RateMemory, topFrame } from './top-frame.js';

/** Options of {@link runTop}. */
export interface TopOptions {
  readonly intervalMs: number;
  readonly iterations: number | null;
  /** Print each snapshot as one JSON line (the status reply plus each worker's `reqPerSec`) instead of a table. */
  readonly json?: boolean;
  readonly out?: NodeJS.WriteStream;
  readonly input?: NodeJS.ReadStream;
}

const ALT_SCREEN_ON = '\x1b[?1049h\x1b[?25l';
const ALT_SCREEN_OFF = '\x1b[?25h\x1b[?1049l';
const HOME = '\x1b[H';
const CLEAR_LINE_END = '\x1b[K';
const CLEAR_BELOW = '\x1b[J';

function clock(): string {
  return new Date().toTimeString().slice(0, 8);
}

/** Runs the view until `q`, the iteration limit, or the arbiter going away; resolves to the exit status. */
export async function runTop(
  conn: ControlConnection,
  opts: TopOptions,
  onFailure: (err: unknown) => CtlFailure,
): Promise<{ status: number; failure?: CtlFailure }> {
  const out = opts.out ?? process.stdout;
  const input = opts.input ?? process.stdin;
  const tty = out.isTTY === true && opts.json !== true;
  const memory: RateMemory = new Map();
  let last: { data: StatusData; rates: Map<number, number | null> } | null = null;
  let quit = false;
  let wake: (() => void) | null = null;
  const stop = () => {
    quit = true;
    wake?.();
  };

  const draw = () => {
    if (!last) return;
    if (opts.json) {
      const { data, rates } = last;
      const workers = data.workers.map((w) => ({ ...w, reqPerSec: rates.get(w.pid) ?? null }));
      out.write(`${JSON.stringify({ ...data, workers })}\n`);
    } else if (tty) {
      const size = { columns: out.columns || 80, rows: out.rows || 24 };
      const lines = topFrame(last.data, last.rates, size, clock(), 'q quits');
      out.write(`${HOME}${lines.map((l) => `${l}${CLEAR_LINE_END}`).join('\n')}${CLEAR_BELOW}`);
    } else {
      const lines = topFrame(last.data, last.rates, { columns: 200, rows: 10_000 }, clock(), null);
      out.write(`${lines.join('\n')}\n\n`);
    }
  };
  const onKey = (key: Buffer | string) => {
    const text = key.toString();
    if (text.includes('q') || text.includes('Q') || text.includes('\x03')) stop();
  };

  const keys = tty && input.isTTY === true;
  if (tty) {
    out.write(ALT_SCREEN_ON);
    out.on('resize', draw);
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  }
  if (keys) {
    input.setRawMode(true);
    input.on('data', onKey);
    input.resume();
  }
  let result: { status: number; failure?: CtlFailure } = { status: CTL_EXIT.ok };
  try {
    for (let n = 0; !quit && (opts.iterations === null || n < opts.iterations); n++) {
      if (n > 0) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, opts.intervalMs);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = null;
        if (quit) break;
      }
      const reply = await conn.request('status');
      if (!reply.ok) {
        result = {
          status: CTL_EXIT.failed,
          failure: { status: 1, code: reply.error.code, message: reply.error.message },
        };
        break;
      }
      const data = reply.data as StatusData;
      last = { data, rates: computeRates(data.workers, memory, Date.now()) };
      draw();
    }
  } catch (err) {
    const failure = onFailure(err);
    result = { status: failure.status, failure };
  } finally {
    if (keys) {
      input.off('data', onKey);
      input.setRawMode(false);
      input.pause();
    }
    if (tty) {
      out.off('resize', draw);
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      out.write(ALT_SCREEN_OFF);
    }
  }
  return result;
}
