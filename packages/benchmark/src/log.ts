/**
 * Progress lines of the benchmark on stderr (stdout carries only the final
 * summary), prefixed with the seconds since start so a slow phase shows.
 */
const started = performance.now();

export function log(message: string): void {
  const seconds = ((performance.now() - started) / 1000).toFixed(1).padStart(7);
  process.stderr.write(`[bench ${seconds}s] ${message}\n`);
}

/** Logs a failed clean-up step without failing the run: the figures are already measured. */
export function logCleanupFailure(what: string): (error: unknown) => void {
  return (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    log(`warning: ${what} failed: ${message}`);
  };
}
