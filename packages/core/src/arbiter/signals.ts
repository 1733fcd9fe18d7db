/**
 * The arbiter's signal listeners. They only enqueue; the loop handles one event at a time. A listener on
 * USR1 is also what keeps Node from starting its inspector on that signal.
 */
import { type EventQueue, MASTER_SIGNALS } from './queue.js';

/** Installs a listener for every master signal; returns a function that removes them. */
export function installMasterSignals(queue: EventQueue): () => void {
  const installed = MASTER_SIGNALS.map((name) => {
    const signal = `SIG${name}` as NodeJS.Signals;
    const listener = () => queue.push(name);
    process.on(signal, listener);
    return { signal, listener };
  });
  return () => {
    for (const { signal, listener } of installed) process.off(signal, listener);
  };
}
