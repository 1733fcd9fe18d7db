/**
 * What the suite runs against. A target starts one app and returns a running server; the same suite runs
 * in-process (the adapter's served app on a bound socket in the test process), in a simulated worker (a child
 * process doing what a tgun worker does) and through the real `tgun` command with 2 workers.
 */

/** The app to start: a module and the export to serve. */
export interface AppSpec {
  /** Absolute path of the app module. */
  readonly module: string;
  /** The export to serve; the default export when omitted. */
  readonly variable?: string;
}

/** Per-start options. */
export interface StartOptions {
  /** Recycle each worker after this many requests (targets that support it). */
  readonly maxRequests?: number;
  /** Environment for the app (in-process targets set it on `process.env` until `stop()`). */
  readonly env?: Readonly<Record<string, string>>;
}

/** A started app. */
export interface RunningServer extends AsyncDisposable {
  /** `http://127.0.0.1:PORT` or `unix:/path`. */
  readonly url: string;
  /** How many processes serve it. */
  readonly workers: number;
  /** Graceful stop: stop accepting, finish in-flight requests, run the app's `close()`, end every process. */
  stop(): Promise<void>;
  /** Output so far (the processes' stdout and stderr), for failure messages. */
  logs(): string;
}

/** A way of serving an app. */
export interface Target {
  readonly name: string;
  /** The kind of socket apps are served on. */
  readonly socket: 'tcp' | 'unix';
  /** Why this target cannot run on this checkout, or null when it can. */
  unavailable(): string | null;
  /** Whether apps are served through their adapter package (so its `close()` and settings apply). */
  readonly adapters: boolean;
  /** Whether `maxRequests` recycles workers. */
  readonly recycles: boolean;
  start(app: AppSpec, opts?: StartOptions): Promise<RunningServer>;
}
