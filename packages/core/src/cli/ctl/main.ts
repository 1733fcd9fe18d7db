/**
 * `tgun ctl`: find the arbiter's control socket, send one command, print the reply as a table (or as JSON with
 * `--json`), and exit 0 (ok), 1 (the command failed), 2 (usage) or 3 (no arbiter reachable).
 */
import { ControlClientError, ControlConnection } from '../../control/client.js';
import type { QueuedData, ScaleData, StatusData, WorkersData, ConfigData } from '../../control/commands.js';
import type { Command } from '../../control/protocol.js';
import { CTL_USAGE, type CtlArgs, parseCtlArgs } from './args.js';
import { CTL_EXIT, type CtlFailure, describeClientError, reportFailure } from './failures.js';
import { type Located, locateSocket } from './locate.js';
import { renderConfig, renderQueued, renderScale, renderStatus, renderWorkers } from './render.js';
import { runTop } from './top.js';

/** Where `tgun ctl` reads its environment from; tests and the CLI pass the real one. */
export interface CtlContext {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
}

function unexpected(err: unknown, at: Located): CtlFailure {
  if (err instanceof ControlClientError) return describeClientError(err, at);
  return { status: CTL_EXIT.failed, code: 'internal', message: err instanceof Error ? err.message : String(err) };
}

function requestFor(args: CtlArgs): { cmd: Command; args?: Record<string, unknown> } {
  switch (args.command) {
    case 'reload':
      return { cmd: 'reload', args: { rolling: args.rolling } };
    case 'stop':
      return { cmd: 'stop', args: { fast: args.fast } };
    case 'scale':
      return { cmd: 'scale', args: { ...args.scale } };
    case 'top':
      return { cmd: 'status' };
    default:
      return { cmd: args.command };
  }
}

function human(args: CtlArgs, data: unknown): string {
  switch (args.command) {
    case 'status':
    case 'top':
      return renderStatus(data as StatusData);
    case 'workers':
      return renderWorkers((data as WorkersData).workers);
    case 'config':
      return renderConfig((data as ConfigData).config);
    case 'scale':
      return renderScale(data as ScaleData);
    case 'reload':
    case 'stop':
    case 'reopen-logs':
      return renderQueued(args.command, data as QueuedData, args.rolling);
  }
}

async function execute(args: CtlArgs, at: Located): Promise<number> {
  let conn: ControlConnection;
  try {
    conn = await ControlConnection.open(at.path);
  } catch (err) {
    return reportFailure(unexpected(err, at), args.json);
  }
  try {
    if (args.command === 'top') {
      const top = await runTop(
        conn,
        { intervalMs: args.interval * 1000, iterations: args.iterations, json: args.json },
        (err) => unexpected(err, at),
      );
      return top.failure ? reportFailure(top.failure, args.json) : top.status;
    }
    const { cmd, args: cmdArgs } = requestFor(args);
    const reply = await conn.request(cmd, cmdArgs);
    if (!reply.ok) {
      const message = `${args.command} failed: ${reply.error.message}`;
      return reportFailure({ status: CTL_EXIT.failed, code: reply.error.code, message }, args.json);
    }
    process.stdout.write(args.json ? `${JSON.stringify(reply.data)}\n` : human(args, reply.data));
    return CTL_EXIT.ok;
  } catch (err) {
    return reportFailure(unexpected(err, at), args.json);
  } finally {
    conn.close();
  }
}

/** Runs `tgun ctl` with `argv` (the words after `ctl`); resolves to the exit status. */
export async function runCtl(
  argv: readonly string[],
  ctx: CtlContext = { env: process.env, cwd: process.cwd() },
): Promise<number> {
  const parsed = parseCtlArgs(argv);
  if (!parsed.ok) {
    process.stderr.write(`tgun ctl: ${parsed.message}\nRun \`tgun ctl --help\` for usage.\n`);
    return CTL_EXIT.usage;
  }
  if ('help' in parsed) {
    process.stdout.write(CTL_USAGE);
    return CTL_EXIT.ok;
  }
  const { args } = parsed;
  const found = locateSocket(args.target, ctx.env, ctx.cwd);
  if (!found.ok) {
    const code = found.status === CTL_EXIT.usage ? 'ambiguous' : 'missing';
    return reportFailure({ status: found.status, code, message: found.message }, args.json);
  }
  return execute(args, found.located);
}
