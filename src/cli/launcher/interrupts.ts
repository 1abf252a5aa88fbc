export type Interrupt = 'SIGINT' | 'SIGTERM' | 'SIGHUP';

const signals: Interrupt[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * Catches Ctrl-C (SIGINT), SIGTERM and SIGHUP (the terminal closed) for the whole command,
 * from its first line: a signal
 * that comes before there is a process to stop is kept and handed to the handler once set,
 * so a run created a moment before is not left Running.
 */
export function catchInterrupts(): { onInterrupt: (handler: (signal: Interrupt) => void) => void; dispose: () => void } {
  const pending: Interrupt[] = [];
  let handler: ((signal: Interrupt) => void) | null = null;
  const listener = (signal: Interrupt) => (handler ? handler(signal) : pending.push(signal));
  for (const signal of signals) process.on(signal, listener);
  // A closed terminal or pipe must not crash the launcher and orphan its process.
  const ignore = () => undefined;
  process.stdout.on('error', ignore);
  process.stderr.on('error', ignore);
  return {
    onInterrupt: (next) => {
      handler = next;
      for (const signal of pending.splice(0)) next(signal);
    },
    dispose: () => {
      for (const signal of signals) process.off(signal, listener);
      process.stdout.off('error', ignore);
      process.stderr.off('error', ignore);
    },
  };
}
