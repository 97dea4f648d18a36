import { JOB_TYPES } from '../config/schedule-config';
import type { Logger } from '../shared/logger';
import type { JobService } from './job-service';
import type { ServerMetrics } from './metrics';
import type { CommandSource, CrmCommand, JobRecordPort } from './ports';

/** Job types an ops admin may request from the CRM (SalesOps_Job__c.Type__c). */
const REQUESTABLE = new Set<string>(JOB_TYPES.filter((t) => t !== 'ApplyTerritoryChanges'));

/** Polls never come more often than this, whatever the configuration says. */
export const MIN_POLL_SECONDS = 60;

/**
 * Turns CRM commands into jobs: SalesOps_Job__c requests (one job per record, whoever notices it
 * first, by streaming or poll) and approved territory changes (one applier job at a time that
 * applies every approved change). Streaming is the fast path; the poll catches what streaming
 * missed (down, reconnecting, or events from before the server started).
 */
export class CommandListener {
  private timer: NodeJS.Timeout | null = null;
  private polling: Promise<void> | null = null;

  constructor(
    private readonly deps: {
      source: CommandSource;
      jobs: Pick<JobService, 'submit'>;
      records?: JobRecordPort;
      log: Logger;
      metrics: ServerMetrics;
      pollSeconds: number;
    },
  ) {}

  async start(): Promise<void> {
    const { source, log, metrics } = this.deps;
    try {
      await source.subscribe({
        command: (c, from) => void this.handle(c, from),
        status: (state, reason) => {
          metrics.streamingUp.set(state === 'up' ? 1 : 0);
          if (state === 'down') log.warn({ reason }, 'streaming down; the poll keeps commands coming');
          else log.info('streaming subscription up');
        },
      });
    } catch (err) {
      metrics.streamingUp.set(0);
      log.warn({ err: (err as Error).message }, 'streaming unavailable; commands arrive by poll only');
    }
    await this.pollOnce();
    const every = Math.max(MIN_POLL_SECONDS, this.deps.pollSeconds) * 1000;
    this.timer = setInterval(() => void this.pollOnce(), every);
    this.timer.unref();
  }

  /** One poll of the CRM for waiting commands (overlapping polls are coalesced). */
  pollOnce(): Promise<void> {
    this.polling ??= (async () => {
      try {
        const commands = await this.deps.source.pending();
        for (const c of commands) await this.handle(c, 'poll');
      } catch (err) {
        this.deps.log.warn({ err: (err as Error).message }, 'command poll failed');
      } finally {
        this.polling = null;
      }
    })();
    return this.polling;
  }

  async handle(c: CrmCommand, from: 'streaming' | 'poll'): Promise<void> {
    const { jobs, log, metrics, records } = this.deps;
    try {
      if (c.kind === 'job') {
        if (!c.jobType || !REQUESTABLE.has(c.jobType)) {
          await records?.rejected(c.recordId, `unknown job type ${JSON.stringify(c.jobType)}`);
          return;
        }
        const res = await jobs.submit({
          type: c.jobType,
          trigger: 'Manual',
          crmRecordId: c.recordId,
          params: c.requestedBy ? { requestedBy: c.requestedBy } : {},
          dedupeKey: `crm-job:${c.recordId}`,
        });
        if (res.created) {
          metrics.commands.inc({ kind: c.kind, source: from });
          log.info({ recordId: c.recordId, jobId: res.job?.id, from }, 'job requested in the CRM queued');
        }
        return;
      }
      const res = await jobs.submit({
        type: 'ApplyTerritoryChanges',
        trigger: 'Manual',
        params: { noticed: c.recordId },
        activeKey: 'territory-changes',
      });
      if (res.created) {
        metrics.commands.inc({ kind: c.kind, source: from });
        log.info(
          { recordId: c.recordId, jobId: res.job?.id, from },
          'approved territory change: applier queued',
        );
      }
    } catch (err) {
      log.error({ recordId: c.recordId, err: (err as Error).message }, 'could not queue a CRM command');
    }
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.polling;
    await this.deps.source.close();
  }
}
