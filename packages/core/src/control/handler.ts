/**
 * The seam between the control server and the arbiter: the arbiter implements {@link ControlHandler}, the server
 * only reads through it and queues commands into the arbiter's event queue. Nothing here acts directly, so a
 * `tgun ctl reload` and a HUP go through the same queue and can never race.
 */
import type { LayerName } from '../config/problems.js';
import type { WorkerInfo } from './stats.js';

/**
 * What a control command turns into, by the master signal it is equivalent to: `hup` is a HUP, `ttin` a TTIN,
 * `term` a graceful stop, `int` a fast one, `usr1` reopens the logs. `rolling-reload` replaces the workers one
 * at a time (there is no signal for it).
 */
export const QUEUED_COMMANDS = ['hup', 'rolling-reload', 'ttin', 'ttou', 'term', 'int', 'usr1'] as const;
/** One of {@link QUEUED_COMMANDS}. */
export type QueuedCommand = (typeof QUEUED_COMMANDS)[number];

/** The arbiter's own facts, for `tgun ctl status`. */
export interface StatusInfo {
  readonly pid: number;
  /** tgun's version in the arbiter (which may differ from the `tgun ctl` that asks). */
  readonly version: string;
  /** `--name`, else the app URI. */
  readonly name: string;
  /** When the arbiter started, in milliseconds since the epoch. */
  readonly startedAt: number;
  /** The listening addresses as `Listening at:` prints them. */
  readonly binds: readonly string[];
  readonly configFile: string | null;
  readonly workers: {
    /**
     * The target count, counting TTIN/TTOU still waiting in the queue, so `scale N` right after another
     * `scale` lands on N.
     */
    readonly wanted: number;
    /** Worker processes running (booting, serving or draining). */
    readonly alive: number;
  };
  /** Set in a master started by USR2 until the old master exits: the old master's pid. */
  readonly parentMaster: number | null;
  /** Set while this master has a USR2 child: the new master's pid. */
  readonly reexecChild: number | null;
}

/** One effective setting and the layer that set it, for `tgun ctl config`. */
export interface ConfigEntry {
  readonly name: string;
  /** The value as JSON can carry it (functions become `"<function NAME>"` or `"<default>"`). */
  readonly value: unknown;
  readonly layer: LayerName;
  /** Human-readable source: `default`, a config file path, `TGUN_CMD_ARGS`, `command line`. */
  readonly source: string;
}

/** What the arbiter provides to the control server. Every method is called on the arbiter's event loop. */
export interface ControlHandler {
  /** The arbiter's own state; must be cheap (called every second by each `tgun ctl top`). */
  status(): StatusInfo;
  /** Every worker not yet reaped, oldest first. */
  workers(): WorkerInfo[];
  /** Every setting's effective value. */
  config(): ConfigEntry[];
  /** Queues `command` (`count` times; default 1) exactly as the equivalent signal would, and returns at once. */
  enqueue(command: QueuedCommand, count?: number): void;
}
