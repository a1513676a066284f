import type { Logger } from '@buergerservice/telemetry';
import type { RegistrationDeps } from '../app/ports.js';
import { purgeAuditLog } from '../app/purge-audit-log.js';

/**
 * Runs the retention purge of the transmission log at start and then every
 * `intervalMs`. A failed run is logged and simply retried at the next tick:
 * purging late by one interval is harmless, deleting early is impossible by
 * construction (see auditPurgeCutoff).
 */
export class AuditPurgeJob {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly deps: Pick<RegistrationDeps, 'audit' | 'clock'>,
    private readonly intervalMs: number,
    private readonly logger: Logger,
  ) {}

  start(): void {
    if (this.timer) return;
    this.tick();
    this.timer = setInterval(() => this.tick(), this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private tick(): void {
    this.running = this.running.then(async () => {
      try {
        const deleted = await purgeAuditLog(this.deps);
        if (deleted > 0) this.logger.info({ deleted }, 'transmission log entries past retention purged');
      } catch (error) {
        this.logger.error({ err: error }, 'purging the transmission log failed; retrying at the next interval');
      }
    });
  }
}
