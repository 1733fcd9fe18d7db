/** Log levels, lowest first, with gunicorn's names. */
export const LOG_LEVELS = ['debug', 'info', 'warning', 'error', 'critical'] as const;
/** One of {@link LOG_LEVELS}. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The error-log interface hooks and adapters receive: gunicorn's levels, one message per call. */
export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warning(message: string): void;
  error(message: string): void;
  critical(message: string): void;
  /** Logs `message` at error level followed by the error's stack. */
  exception(message: string, error: unknown): void;
}
