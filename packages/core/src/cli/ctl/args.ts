/**
 * `tgun ctl`'s command line. Hand-written rather than `util.parseArgs`: `scale -2` must read `-2` as a number,
 * which Node 20's parser takes for an unknown short option.
 */

/** The commands `tgun ctl` knows (the protocol's, plus `top`). */
export const CTL_COMMANDS = ['status', 'workers', 'reload', 'scale', 'stop', 'reopen-logs', 'config', 'top'] as const;
/** One of {@link CTL_COMMANDS}. */
export type CtlCommand = (typeof CTL_COMMANDS)[number];

/** How to find the arbiter; at most one is given, none means "the only one in the default directory". */
export type Target =
  | { readonly kind: 'socket'; readonly path: string }
  | { readonly kind: 'pid'; readonly pidfile: string }
  | { readonly kind: 'name'; readonly name: string }
  | { readonly kind: 'discover' };

/** A parsed `tgun ctl` command line. */
export interface CtlArgs {
  readonly target: Target;
  readonly json: boolean;
  readonly command: CtlCommand;
  /** `scale`'s operand: `{ to: 4 }` for `4`, `{ by: -1 }` for `-1`. */
  readonly scale?: { readonly to: number } | { readonly by: number };
  readonly rolling: boolean;
  readonly fast: boolean;
  /** `top`: seconds between refreshes. */
  readonly interval: number;
  /** `top`: stop after this many snapshots (null: until `q`, or forever when stdout is not a terminal). */
  readonly iterations: number | null;
}

/** What parsing produced: arguments, a request for help, or a usage error. */
export type ParseResult =
  | { readonly ok: true; readonly args: CtlArgs }
  | { readonly ok: true; readonly help: true }
  | { readonly ok: false; readonly message: string };

const VALUE_FLAGS: Readonly<Record<string, string>> = {
  '--socket': 'socket',
  '--pid': 'pid',
  '-n': 'name',
  '--name': 'name',
  '--interval': 'interval',
  '--iterations': 'iterations',
};
const SWITCHES: Readonly<Record<string, string>> = {
  '--json': 'json',
  '--rolling': 'rolling',
  '--fast': 'fast',
  '-h': 'help',
  '--help': 'help',
};
/** Which command each command-specific flag belongs to. */
const ONLY_FOR: Readonly<Record<string, CtlCommand>> = {
  rolling: 'reload',
  fast: 'stop',
  interval: 'top',
  iterations: 'top',
};

function isCommand(word: string): word is CtlCommand {
  return (CTL_COMMANDS as readonly string[]).includes(word);
}

function number(text: string, flag: string, min: number, max = Number.MAX_SAFE_INTEGER): number | string {
  const n = Number(text);
  if (Number.isFinite(n) && n >= min && n <= max && text.trim() !== '') return n;
  const range = max === Number.MAX_SAFE_INTEGER ? `of at least ${min}` : `from ${min} to ${max}`;
  return `${flag} needs a number ${range}, got "${text}"`;
}

/** Parses `tgun ctl`'s arguments (everything after `ctl`). */
export function parseCtlArgs(argv: readonly string[]): ParseResult {
  const values: Record<string, string> = {};
  const switches = new Set<string>();
  const words: string[] = [];
  let optionsDone = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (optionsDone || /^[+-]?\d+$/.test(arg) || !arg.startsWith('-')) {
      words.push(arg);
      continue;
    }
    if (arg === '--') {
      optionsDone = true;
      continue;
    }
    const eq = arg.indexOf('=');
    const flag = eq === -1 ? arg : arg.slice(0, eq);
    const key = VALUE_FLAGS[flag];
    if (key) {
      const value = eq === -1 ? argv[++i] : arg.slice(eq + 1);
      if (value === undefined || value === '') return { ok: false, message: `${flag} needs a value` };
      values[key] = value;
    } else if (SWITCHES[flag] && eq === -1) {
      switches.add(SWITCHES[flag]);
    } else {
      return { ok: false, message: `unknown option ${arg}` };
    }
  }
  if (switches.has('help')) return { ok: true, help: true };
  const [command, ...operands] = words;
  if (command === undefined) return { ok: false, message: 'no command given' };
  if (!isCommand(command)) return { ok: false, message: `unknown command "${command}"` };
  for (const [key, owner] of Object.entries(ONLY_FOR)) {
    if ((switches.has(key) || key in values) && owner !== command) {
      return { ok: false, message: `--${key} only goes with ${owner}` };
    }
  }
  const targets = ['socket', 'pid', 'name'].filter((k) => k in values);
  if (targets.length > 1) return { ok: false, message: 'give at most one of --socket, --pid and -n/--name' };

  let scale: CtlArgs['scale'];
  if (command === 'scale') {
    const operand = operands.shift();
    if (operand === undefined || !/^[+-]?\d+$/.test(operand)) {
      return { ok: false, message: 'scale needs N (a worker count), +N or -N' };
    }
    const n = Number(operand);
    scale = /^[+-]/.test(operand) ? { by: n } : { to: n };
  }
  if (operands.length > 0) return { ok: false, message: `unexpected argument "${operands[0]}"` };

  // The arbiter disconnects clients silent for a minute; top's connection must stay well inside that.
  const interval = values.interval === undefined ? 1 : number(values.interval, '--interval', 0.1, 30);
  if (typeof interval === 'string') return { ok: false, message: interval };
  const iterations = values.iterations === undefined ? null : number(values.iterations, '--iterations', 1);
  if (typeof iterations === 'string') return { ok: false, message: iterations };

  const target: Target =
    values.socket !== undefined
      ? { kind: 'socket', path: values.socket }
      : values.pid !== undefined
        ? { kind: 'pid', pidfile: values.pid }
        : values.name !== undefined
          ? { kind: 'name', name: values.name }
          : { kind: 'discover' };
  return {
    ok: true,
    args: {
      target,
      json: switches.has('json'),
      command,
      ...(scale ? { scale } : {}),
      rolling: switches.has('rolling'),
      fast: switches.has('fast'),
      interval,
      iterations: iterations === null ? null : Math.floor(iterations),
    },
  };
}

/** `tgun ctl --help`. */
export const CTL_USAGE = `Usage: tgun ctl [--socket PATH | --pid FILE | -n NAME] [--json] COMMAND

Talk to a running tgun arbiter over its control socket.

Commands:
  status               arbiter pid, version, uptime, addresses, config file, workers wanted/alive
  workers              one row per worker: pid, state, uptime, requests, in flight, RSS, CPU, heartbeat
  reload [--rolling]   reload config and app, like HUP (--rolling: replace workers one at a time)
  scale N|+N|-N        set or change the number of workers (as TTIN/TTOU)
  stop [--fast]        graceful shutdown, like TERM (--fast: like INT)
  reopen-logs          reopen log files, like USR1
  config               effective settings and where each value came from
  top                  live view, refreshed every second; q quits
                       [--interval SECONDS] [--iterations N]

Finding the arbiter:
  --socket PATH        the control socket itself (the arbiter's --control-socket)
  --pid FILE           the arbiter was started with --pid FILE (the socket is beside it)
  -n, --name NAME      the arbiter was started with --name NAME (or NAME is its app, e.g. app.js:app)
  (none)               the only arbiter of this user in $XDG_RUNTIME_DIR/tgun or the temp dir

Output: aligned tables; --json prints the arbiter's reply for scripts.
Exit status: 0 ok, 1 command failed, 2 usage error, 3 no arbiter reachable.
`;
