/**
 * A reconnecting WebSocket echo client for the long-lived-connection tests. Each client sends numbered messages
 * one at a time; the echo (`PID:N`) acknowledges N. When the server closes the connection, the client
 * reconnects and sends the unacknowledged message again, so an echo that never came is retried, and one that
 * came twice or out of order is a bug the counters expose.
 */
import WebSocket from 'ws';

/** What one client saw. */
export interface EchoClient {
  /** Highest acknowledged message number (1, 2, …, with no gaps: anything else is counted in `wrong`). */
  acked: number;
  /** Echoes that were not the next expected number. */
  wrong: number;
  /** Close codes received, in order. */
  readonly closes: number[];
  /** Pids that echoed, in order of first echo. */
  readonly pids: string[];
  /** Acks per pid. */
  readonly perPid: Map<string, number>;
  /** Errors seen (connection refused while reconnecting counts here and is retried). */
  errors: number;
  stop(): Promise<void>;
}

/** Starts a client against `url` that sends one message every `gapMs` after each echo. */
export function echoClient(url: string, gapMs = 50): EchoClient {
  let stopped = false;
  let current: WebSocket | null = null;
  const state: EchoClient = {
    acked: 0,
    wrong: 0,
    closes: [],
    pids: [],
    perPid: new Map(),
    errors: 0,
    stop: async () => {
      stopped = true;
      const ws = current;
      if (!ws || ws.readyState === WebSocket.CLOSED) return;
      await new Promise<void>((resolve) => {
        ws.once('close', () => resolve());
        ws.terminate();
      });
    },
  };
  const connect = () => {
    if (stopped) return;
    const ws = new WebSocket(url);
    current = ws;
    let timer: NodeJS.Timeout | undefined;
    const send = () => {
      if (ws.readyState === WebSocket.OPEN) ws.send(String(state.acked + 1));
    };
    ws.on('open', send);
    ws.on('message', (data) => {
      const [pid = '', n] = String(data).split(':');
      if (Number(n) !== state.acked + 1) {
        state.wrong++;
        return;
      }
      state.acked++;
      if (!state.perPid.has(pid)) state.pids.push(pid);
      state.perPid.set(pid, (state.perPid.get(pid) ?? 0) + 1);
      timer = setTimeout(send, gapMs);
    });
    ws.on('error', () => {
      state.errors++;
    });
    ws.on('close', (code) => {
      clearTimeout(timer);
      state.closes.push(code);
      if (!stopped) setTimeout(connect, 20);
    });
  };
  connect();
  return state;
}
