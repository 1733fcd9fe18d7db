/**
 * What each control command does on the arbiter's side: reads go through the {@link ControlHandler}, actions
 * become queued signal equivalents (`reload` → HUP, `scale +2` → two TTINs, `stop` → TERM). Replies are built
 * here; the server only moves lines.
 */
import type { ConfigEntry, ControlHandler, QueuedCommand, StatusInfo } from './handler.js';
import {
  type Command,
  type ControlReply,
  type ControlRequest,
  errorReply,
  okReply,
  PROTOCOL_VERSION,
} from './protocol.js';
import { mergeSample, sampleProcess, type WorkerInfo, type WorkerStats } from './stats.js';

/** Beyond this a `scale` is surely a typo; each worker is a whole Node process. */
export const MAX_WORKERS = 1024;

/** The arbiter as `status` reports it: the handler's facts plus what the control server measures. */
export interface ArbiterInfo extends StatusInfo {
  /** Seconds since the arbiter started. */
  readonly uptime: number;
  /** The control socket this reply came through. */
  readonly socket: string;
  readonly protocol: number;
  /** The arbiter's resident set size in bytes. */
  readonly rss: number;
  /** The arbiter's CPU percent of one core since the previous `status` (or since it started). */
  readonly cpu: number | null;
}

/** `status`'s data. */
export interface StatusData {
  readonly arbiter: ArbiterInfo;
  readonly workers: readonly WorkerInfo[];
}
/** `workers`' data. */
export interface WorkersData {
  readonly workers: readonly WorkerInfo[];
}
/** `config`'s data. */
export interface ConfigData {
  readonly config: readonly ConfigEntry[];
}
/** One queued signal equivalent. */
export interface Queued {
  readonly command: QueuedCommand;
  readonly count: number;
}
/** The data of `reload`, `stop` and `reopen-logs`. */
export interface QueuedData {
  readonly queued: readonly Queued[];
}
/** `scale`'s data: the target before and after. */
export interface ScaleData extends QueuedData {
  readonly from: number;
  readonly to: number;
}

type Args = Readonly<Record<string, unknown>>;
type Run = (args: Args) => ControlReply;

/** Executes requests against one handler; keeps the arbiter's own CPU sample between calls. */
export class CommandRunner {
  // performance.now() counts from process start, so a zero sample gives the average since start.
  private self: WorkerStats = { sample: { requests: 0, inFlight: 0, rss: 0, cpuMicros: 0, at: 0 }, cpuPercent: null };
  private readonly table: Record<Command, Run>;

  constructor(
    private readonly handler: ControlHandler,
    private readonly socketPath: () => string,
  ) {
    this.table = {
      status: () => okReply<StatusData>({ arbiter: this.arbiter(), workers: handler.workers() }),
      workers: () => okReply<WorkersData>({ workers: handler.workers() }),
      config: () => okReply<ConfigData>({ config: handler.config() }),
      reload: (args) => this.queue(args.rolling === true ? 'rolling-reload' : 'hup'),
      stop: (args) => this.queue(args.fast === true ? 'int' : 'term'),
      'reopen-logs': () => this.queue('usr1'),
      scale: (args) => this.scale(args),
    };
  }

  /** The reply to `request`; a throwing handler becomes a `failed` reply, never a crash of the arbiter. */
  run(request: ControlRequest): ControlReply {
    let reply: ControlReply;
    try {
      reply = this.table[request.cmd](request.args ?? {});
    } catch (err) {
      reply = errorReply('failed', `${request.cmd} failed in the arbiter: ${(err as Error)?.message ?? String(err)}`);
    }
    return request.id === undefined ? reply : { ...reply, id: request.id };
  }

  private arbiter(): ArbiterInfo {
    const status = this.handler.status();
    const now = sampleProcess(0, 0);
    // Sampling more often than twice a second (several `top`s) would only add noise to the figure.
    if (now.at - this.self.sample.at >= 500) this.self = mergeSample(this.self, now);
    return {
      ...status,
      uptime: Math.max(0, Math.round((Date.now() - status.startedAt) / 100) / 10),
      socket: this.socketPath(),
      protocol: PROTOCOL_VERSION,
      rss: now.rss,
      cpu: this.self.cpuPercent,
    };
  }

  private queue(command: QueuedCommand, count = 1): ControlReply {
    if (count > 0) this.handler.enqueue(command, count);
    return okReply<QueuedData>({ queued: count > 0 ? [{ command, count }] : [] });
  }

  private scale(args: Args): ControlReply {
    const { to, by } = args;
    const from = this.handler.status().workers.wanted;
    let target: number;
    if (to !== undefined && by === undefined && Number.isSafeInteger(to)) target = to as number;
    else if (by !== undefined && to === undefined && Number.isSafeInteger(by)) target = from + (by as number);
    else return errorReply('bad-args', 'scale needs exactly one of "to" (a worker count) or "by" (+N or -N), integers');
    if (target < 1) {
      return errorReply(
        'bad-args',
        `cannot scale to ${target} worker(s): at least one must run (TTOU never stops the last); use stop instead`,
      );
    }
    if (target > MAX_WORKERS)
      return errorReply('bad-args', `cannot scale to ${target} workers: at most ${MAX_WORKERS}`);
    const delta = target - from;
    const queued = delta === 0 ? [] : [{ command: delta > 0 ? 'ttin' : 'ttou', count: Math.abs(delta) } as const];
    for (const q of queued) this.handler.enqueue(q.command, q.count);
    return okReply<ScaleData>({ from, to: target, queued });
  }
}
