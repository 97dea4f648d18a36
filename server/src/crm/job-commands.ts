import type { Connection } from 'jsforce';
import { StreamingExtension } from 'jsforce/lib/api/streaming';
import type { CommandHandlers, CommandSource, CrmCommand, JobOutcome, JobRecordPort } from '../jobs/ports';
import type { Logger } from '../shared/logger';
import type { Job } from '../store/job-store';
import type { CrmApi } from './api-client';
import { soqlString } from './soql-values';

const JOB = 'SalesOps_Job__c';

/**
 * The PushTopics the server listens on (created or corrected at start; Name is at most 25
 * characters). Their queries are what the poll fallback asks too.
 */
export const COMMAND_TOPICS = {
  jobs: {
    name: 'SalesOpsJobRequests',
    query:
      "SELECT Id, Type__c, Status__c, Requested_By__c FROM SalesOps_Job__c WHERE Status__c = 'Requested'",
  },
  changes: {
    name: 'SalesOpsApprovedChanges',
    query: "SELECT Id, Status__c FROM Territory_Change_Request__c WHERE Status__c = 'Approved'",
  },
} as const;

/** Where the last seen replay id of each channel is kept (the server's store). */
export interface ReplayState {
  get(key: string): Promise<string | null>;
  set(key: string, value: string): Promise<void>;
}

interface FayeClientLike {
  subscribe(channel: string, cb: (m: unknown) => void): PromiseLike<void> & { cancel(): void };
  on?(event: string, cb: () => void): void;
  disconnect(): unknown;
}

interface PushMessage {
  event?: { replayId?: number; type?: string };
  sobject?: Record<string, unknown>;
}

/**
 * CRM commands over the Streaming API (PushTopics, replaying from the last seen event after a
 * restart so nothing announced while the server was down is lost) and over SOQL for the poll.
 */
export class CrmCommandSource implements CommandSource {
  private clients: FayeClientLike[] = [];
  private resubscribe: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    private readonly conn: Connection,
    private readonly api: CrmApi,
    private readonly replay: ReplayState,
    private readonly log: Logger,
  ) {}

  /** Creates the PushTopics if missing, and corrects a query someone changed. */
  async ensureTopics(): Promise<void> {
    const names = Object.values(COMMAND_TOPICS).map((t) => t.name);
    const existing = await this.api.get<{
      records: Array<{ Id: string; Name: string; Query: string; IsActive: boolean }>;
    }>(
      `/query?q=${encodeURIComponent(
        `SELECT Id, Name, Query, IsActive FROM PushTopic WHERE Name IN (${names.map(soqlString).join(', ')})`,
      )}`,
    );
    for (const t of Object.values(COMMAND_TOPICS)) {
      const found = existing.records.find((r) => r.Name === t.name);
      const fields = {
        Query: t.query,
        ApiVersion: Number(this.api.apiVersion),
        NotifyForFields: 'Referenced',
        NotifyForOperationCreate: true,
        NotifyForOperationUpdate: true,
        IsActive: true,
      };
      if (!found)
        await this.api.request({
          method: 'POST',
          url: '/sobjects/PushTopic',
          body: { Name: t.name, ...fields },
        });
      else if (found.Query !== t.query || !found.IsActive)
        await this.api.request({
          method: 'PATCH',
          url: `/sobjects/PushTopic/${recordIdOf(found.Id)}`,
          body: fields,
        });
    }
  }

  async subscribe(handlers: CommandHandlers): Promise<void> {
    await this.ensureTopics();
    await this.connect(handlers);
  }

  private async connect(handlers: CommandHandlers): Promise<void> {
    for (const [kind, topic] of Object.entries(COMMAND_TOPICS) as Array<
      [keyof typeof COMMAND_TOPICS, { name: string }]
    >) {
      const channel = `/topic/${topic.name}`;
      const key = `streaming:replay:${channel}`;
      const last = await this.replay.get(key);
      // -1: only new events; after a restart, everything after the last event handled.
      const from = last === null ? -1 : Number(last);
      const client = this.conn.streaming.createClient([
        new StreamingExtension.AuthFailure(() => this.lost(handlers, 'authentication failed')),
        new StreamingExtension.Replay(channel, from),
      ]) as unknown as FayeClientLike;
      client.on?.('transport:down', () => handlers.status('down', 'transport down'));
      client.on?.('transport:up', () => handlers.status('up'));
      this.clients.push(client);
      await client.subscribe(channel, (m) => {
        const msg = m as PushMessage;
        const command = toCommand(kind, msg.sobject ?? {});
        if (command) handlers.command(command, 'streaming');
        const replayId = msg.event?.replayId;
        if (typeof replayId === 'number')
          this.replay
            .set(key, String(replayId))
            .catch((err: unknown) =>
              this.log.warn({ err: (err as Error).message }, 'could not save the replay position'),
            );
      });
    }
    handlers.status('up');
  }

  /** A dead session: drop the clients and subscribe again later (jsforce refreshes the session on the next REST call). */
  private lost(handlers: CommandHandlers, reason: string): void {
    handlers.status('down', reason);
    void this.disconnectClients();
    if (this.closed || this.resubscribe) return;
    this.resubscribe = setTimeout(() => {
      this.resubscribe = null;
      if (this.closed) return;
      this.api
        .get('/limits')
        .then(() => this.connect(handlers))
        .catch((err: unknown) => this.lost(handlers, (err as Error).message));
    }, 30_000);
    this.resubscribe.unref();
  }

  async pending(): Promise<CrmCommand[]> {
    const jobs = await this.api.get<{ records: Array<Record<string, unknown>> }>(
      `/query?q=${encodeURIComponent(`${COMMAND_TOPICS.jobs.query} ORDER BY CreatedDate, Id LIMIT 200`)}`,
    );
    const changes = await this.api.get<{ records: Array<Record<string, unknown>> }>(
      `/query?q=${encodeURIComponent(`${COMMAND_TOPICS.changes.query} ORDER BY CreatedDate, Id LIMIT 1`)}`,
    );
    return [
      ...jobs.records.map((r) => toCommand('jobs', r)),
      ...changes.records.map((r) => toCommand('changes', r)),
    ].filter((c): c is CrmCommand => c !== null);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.resubscribe) clearTimeout(this.resubscribe);
    await this.disconnectClients();
  }

  private async disconnectClients(): Promise<void> {
    const clients = this.clients;
    this.clients = [];
    await Promise.all(
      clients.map(async (c) => {
        try {
          // Ends the long poll; a client that never connected has nothing to end.
          await Promise.race([
            Promise.resolve(c.disconnect()),
            new Promise((r) => setTimeout(r, 2000).unref()),
          ]);
        } catch {
          // already gone
        }
      }),
    );
  }
}

function recordIdOf(id: string): string {
  if (!/^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/.test(id))
    throw new Error(`not a record id: ${JSON.stringify(id)}`);
  return id;
}

function toCommand(kind: keyof typeof COMMAND_TOPICS, r: Record<string, unknown>): CrmCommand | null {
  if (typeof r.Id !== 'string') return null;
  if (kind === 'changes') return { kind: 'territory-change', recordId: r.Id };
  return {
    kind: 'job',
    recordId: r.Id,
    jobType: typeof r.Type__c === 'string' ? r.Type__c : null,
    requestedBy: typeof r.Requested_By__c === 'string' ? r.Requested_By__c : null,
  };
}

/**
 * The SalesOps_Job__c record of a job commanded from the CRM, kept in step with the job. It also
 * gets `External_Key__c = JOB|<runId>`, so the cycle's own job recorder (which upserts by that key)
 * updates this record instead of creating a second one. Progress writes are throttled.
 */
export class CrmJobRecords implements JobRecordPort {
  private readonly lastProgress = new Map<string, number>();

  constructor(
    private readonly api: CrmApi,
    private readonly opts: { minProgressIntervalMs?: number; now?: () => number } = {},
  ) {}

  async queued(job: Job): Promise<void> {
    await this.patch(job, { Status__c: 'Queued', Trigger__c: 'Manual', ...this.keys(job) });
  }

  async started(job: Job): Promise<void> {
    await this.patch(job, {
      Status__c: 'Running',
      Progress__c: job.progress,
      ...(job.attempts <= 1 ? { Started_At__c: new Date(job.startedAt ?? Date.now()).toISOString() } : {}),
      ...this.keys(job),
    });
  }

  async progress(job: Job, percent: number): Promise<void> {
    const now = (this.opts.now ?? Date.now)();
    const last = this.lastProgress.get(job.id) ?? 0;
    if (percent < 100 && now - last < (this.opts.minProgressIntervalMs ?? 2000)) return;
    this.lastProgress.set(job.id, now);
    await this.patch(job, { Progress__c: Math.max(0, Math.min(100, Math.round(percent))) });
  }

  async finished(job: Job, o: JobOutcome): Promise<void> {
    this.lastProgress.delete(job.id);
    const c = o.counts ?? {};
    await this.patch(job, {
      Status__c: o.status === 'succeeded' ? 'Succeeded' : 'Failed',
      Finished_At__c: new Date(job.finishedAt ?? Date.now()).toISOString(),
      Progress__c: o.status === 'succeeded' ? 100 : job.progress,
      ...(c.read !== undefined ? { Records_Read__c: c.read } : {}),
      ...(c.written !== undefined ? { Records_Written__c: c.written } : {}),
      ...(c.failed !== undefined ? { Records_Failed__c: c.failed } : {}),
      ...(c.apiCalls !== undefined ? { Api_Calls__c: c.apiCalls } : {}),
      ...(c.apiCallsMinimum !== undefined ? { Api_Calls_Minimum__c: c.apiCallsMinimum } : {}),
      ...(o.summary ? { Summary__c: o.summary.slice(0, 32_000) } : {}),
      Errors__c: o.error ? `${o.error.code}: ${o.error.message}`.slice(0, 32_000) : null,
    });
  }

  async rejected(recordId: string, reason: string): Promise<void> {
    await this.api.request({
      method: 'PATCH',
      url: `/sobjects/${JOB}/${recordIdOf(recordId)}`,
      body: { Status__c: 'Failed', Errors__c: reason, Finished_At__c: new Date().toISOString() },
    });
  }

  private keys(job: Job): Record<string, string> {
    return { Run_Id__c: job.runId, External_Key__c: `JOB|${job.runId}` };
  }

  private async patch(job: Job, fields: Record<string, unknown>): Promise<void> {
    if (!job.crmRecordId) return;
    await this.api.request({
      method: 'PATCH',
      url: `/sobjects/${JOB}/${recordIdOf(job.crmRecordId)}`,
      body: fields,
    });
  }
}
