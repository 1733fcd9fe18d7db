/**
 * Configuration problems are collected from every layer and reported together, in one message, so a user fixes
 * them all in one go instead of one per start.
 */

/** Where a value came from, lowest precedence first. */
export const LAYERS = ['default', 'framework', 'file', 'env', 'cli'] as const;
/** One of {@link LAYERS}. */
export type LayerName = (typeof LAYERS)[number];

/** The layer and the concrete source (file path, variable name) a value or a problem came from. */
export interface Origin {
  readonly layer: LayerName;
  /** Human-readable: `default`, `framework (express)`, `/srv/app/tgun.config.ts`, `TGUN_CMD_ARGS`, `command line`. */
  readonly source: string;
}

/** One thing wrong with the configuration. */
export interface Problem {
  readonly origin: Origin;
  /** The setting (or flag, or export) concerned, when there is one. */
  readonly subject?: string;
  readonly message: string;
  /** A usage error on the command line (unknown flag, missing value): exits 2 rather than 1. */
  readonly usage?: boolean;
  /** A stack trace or other detail, shown only with `--log-level debug`. */
  readonly detail?: string;
}

/** The single message printed for a list of problems. */
export function formatProblems(problems: readonly Problem[], verbose = false): string {
  const head =
    problems.length === 1
      ? 'Error: invalid configuration:'
      : `Error: invalid configuration (${problems.length} problems):`;
  const lines = problems.map((p) => {
    const subject = p.subject ? `${p.subject}: ` : '';
    const detail = verbose && p.detail ? `\n${p.detail.replace(/^/gm, '      ')}` : '';
    return `  - ${subject}${p.message} [${p.origin.source}]${detail}`;
  });
  return [head, ...lines].join('\n');
}

/** Human-readable name of a layer's source. */
export function originOf(layer: LayerName, source?: string): Origin {
  const fallback: Record<LayerName, string> = {
    default: 'default',
    framework: 'framework',
    file: 'config file',
    env: 'TGUN_CMD_ARGS',
    cli: 'command line',
  };
  return { layer, source: source ?? fallback[layer] };
}
