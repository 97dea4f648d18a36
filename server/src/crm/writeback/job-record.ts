import type { JobOutcome, JobRecorderPort, JobStart } from '../../app/writeback-ports';
import type { CrmApi } from '../api-client';
import { TRACE_MAX } from './maps/fields';

const JOB_SOBJECT = 'SalesOps_Job__c';

/**
 * SalesOps_Job__c for runs the server starts itself, upserted by `External_Key__c = JOB|<runId>`:
 * the start and the end are one call each, and a retried call cannot make a second record.
 */
export class OrgJobRecorder implements JobRecorderPort {
  constructor(private readonly api: CrmApi) {}

  async start(job: JobStart): Promise<string> {
    const res = await this.upsert(job, {
      Type__c: job.type,
      Trigger__c: job.trigger,
      Status__c: 'Running',
      Started_At__c: new Date(job.startedAt).toISOString(),
      Progress__c: 0,
      Run_Id__c: job.runId,
    });
    return res.id;
  }

  async finish(job: JobStart, o: JobOutcome): Promise<void> {
    await this.upsert(job, {
      Status__c: o.status,
      Finished_At__c: new Date(o.finishedAt).toISOString(),
      Progress__c: 100,
      Records_Read__c: o.rowsRead,
      Records_Written__c: o.rowsWritten,
      Records_Failed__c: o.rowsFailed,
      Api_Calls__c: o.apiCalls,
      Api_Calls_Minimum__c: o.apiCallsMinimum,
      Api_Budget_Used__c: o.budgetUsed === null ? null : (Math.round(o.budgetUsed * 10_000) / 100).toFixed(2),
      Summary__c: o.summary.slice(0, TRACE_MAX),
      Errors__c: o.errors === '' ? null : o.errors.slice(0, TRACE_MAX),
    });
  }

  private async upsert(job: JobStart, fields: Record<string, unknown>): Promise<{ id: string }> {
    const key = encodeURIComponent(`JOB|${job.runId}`);
    const { body } = await this.api.request<{ id?: string } | undefined>({
      method: 'PATCH',
      url: `/sobjects/${JOB_SOBJECT}/External_Key__c/${key}`,
      body: fields,
    });
    return { id: body?.id ?? '' };
  }
}
