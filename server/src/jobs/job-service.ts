import { randomUUID } from 'node:crypto';
import type { Job, JobStatus, JobStore, JobTrigger } from '../store/job-store';
import type { JobRunner } from './job-runner';
import type { JobRecordPort } from './ports';

export interface SubmitJob {
  type: string;
  trigger: JobTrigger;
  params?: Record<string, unknown>;
  crmRecordId?: string | null;
  dedupeKey?: string | null;
  activeKey?: string | null;
}

/** One way in for every job (API, schedule, CRM command): queue it in the store, wake the runner. */
export class JobService {
  constructor(
    private readonly deps: {
      store: JobStore;
      runner: Pick<JobRunner, 'kick'>;
      records?: JobRecordPort;
      now?: () => number;
      newId?: () => string;
    },
  ) {}

  async submit(req: SubmitJob): Promise<{ created: boolean; job: Job | null }> {
    const id = (this.deps.newId ?? randomUUID)();
    const res = await this.deps.store.enqueue({
      id,
      runId: id,
      type: req.type,
      trigger: req.trigger,
      params: req.params ?? {},
      crmRecordId: req.crmRecordId ?? null,
      dedupeKey: req.dedupeKey ?? null,
      activeKey: req.activeKey ?? null,
      createdAt: (this.deps.now ?? Date.now)(),
    });
    if (res.created) {
      if (res.job.crmRecordId) await this.deps.records?.queued(res.job).catch(() => undefined);
      this.deps.runner.kick();
    }
    return res;
  }

  get(id: string): Promise<Job | null> {
    return this.deps.store.get(id);
  }

  list(opts: { limit?: number; status?: JobStatus }): Promise<Job[]> {
    return this.deps.store.list(opts);
  }
}
