import type { Connection } from 'jsforce';
import { CrmApi } from '../../../server/src/crm/api-client';
import { COMMAND_TOPICS, CrmCommandSource, CrmJobRecords } from '../../../server/src/crm/job-commands';
import { startServer, type RunningServer } from '../../../server/src/http/server';
import type { EnginePorts } from '../../../server/src/http/ports';
import type { JobContext, JobOutcome } from '../../../server/src/jobs/ports';
import { SqliteJobStore } from '../../../server/src/store/sqlite-job-store';
import type { RunningOrg } from '../../../emulator/src/server';
import { API_VERSION, connect, startTestOrg } from '../../helpers/org';
import { eventually, NO_SCHEDULES, silent } from './helpers';

// A job requested in the org (as the ops console widget does) reaches the server through the
// Streaming API, runs, and its SalesOps_Job__c record follows: Queued → Running → Succeeded.

const engines: EnginePorts = {
  latestResults: async () => null,
  territoryDryRun: async () => ({}),
  commissionSimulate: async () => ({}),
};

let org: RunningOrg;
let conn: Connection;
const calls: Array<{ type: string; ctx: JobContext }> = [];

async function runJob(type: string, ctx: JobContext): Promise<JobOutcome> {
  calls.push({ type, ctx });
  await ctx.progress(40, 'compute');
  return {
    status: 'succeeded',
    summary: 'synced 7 rows',
    counts: { read: 7, written: 3, failed: 0, apiCalls: 5, apiCallsMinimum: 4 },
  };
}

async function serve(store: SqliteJobStore): Promise<{ server: RunningServer; source: CrmCommandSource }> {
  const serverConn = connect(org);
  const api = new CrmApi(serverConn, API_VERSION);
  const source = new CrmCommandSource(
    serverConn,
    api,
    { get: (k) => store.getState(k), set: (k, v) => store.setState(k, v, Date.now()) },
    silent,
  );
  const server = await startServer({
    port: 0,
    apiToken: 'crm-commands-token-0123456789',
    store,
    runJob,
    engines,
    schedules: NO_SCHEDULES,
    commands: { source, records: new CrmJobRecords(api, { minProgressIntervalMs: 0 }) },
    log: silent,
    runnerPollMs: 50,
  });
  return { server, source };
}

type JobRecord = Record<string, unknown>;
const readJob = async (id: string): Promise<JobRecord> =>
  (await conn.sobject('SalesOps_Job__c').retrieve(id)) as unknown as JobRecord;

beforeAll(async () => {
  org = await startTestOrg({ streamingTimeoutSeconds: 2 });
  conn = connect(org);
});

afterAll(async () => {
  await org.close();
});

test('a requested job record is picked up by streaming, run once, and completed in the org', async () => {
  const store = new SqliteJobStore(':memory:');
  const { server } = await serve(store);
  try {
    const topics = await conn.query<{ Name: string }>('SELECT Name FROM PushTopic ORDER BY Name');
    expect(topics.records.map((t) => t.Name)).toEqual([
      COMMAND_TOPICS.changes.name,
      COMMAND_TOPICS.jobs.name,
    ]);

    const created = await conn.sobject('SalesOps_Job__c').create({
      Type__c: 'Sync',
      Status__c: 'Requested',
      Requested_By__c: org.adminUserId,
    });
    const id = created.id as string;
    const record = await eventually(async () => {
      const r = await readJob(id);
      return r.Status__c === 'Succeeded' ? r : null;
    }, 'the record to be Succeeded');

    expect(calls).toHaveLength(1);
    const job = calls[0].ctx.job;
    expect(calls[0].type).toBe('Sync');
    expect(job).toMatchObject({
      trigger: 'Manual',
      crmRecordId: id,
      params: { requestedBy: org.adminUserId },
    });
    expect(record).toMatchObject({
      Progress__c: 100,
      Records_Read__c: 7,
      Records_Written__c: 3,
      Records_Failed__c: 0,
      Api_Calls__c: 5,
      Api_Calls_Minimum__c: 4,
      Summary__c: 'synced 7 rows',
      Errors__c: null,
      Trigger__c: 'Manual',
      Run_Id__c: job.runId,
      External_Key__c: `JOB|${job.runId}`,
    });
    expect(record?.Started_At__c).toEqual(expect.any(String));
    expect(record?.Finished_At__c).toEqual(expect.any(String));

    // It came by streaming, and the poll that runs at start saw nothing to do twice.
    const text = await server.metrics.registry.getSingleMetricAsString('salesops_crm_commands_total');
    expect(text).toContain('salesops_crm_commands_total{kind="job",source="streaming"} 1');
    expect(text).not.toContain('source="poll"');
    expect(await server.listener?.pollOnce()).toBeUndefined();
    expect(calls).toHaveLength(1);
  } finally {
    await server.close(1000);
    calls.length = 0;
  }
});

test('a request made while the server was down is picked up at start (poll catch-up)', async () => {
  const created = await conn.sobject('SalesOps_Job__c').create({ Type__c: 'Cycle', Status__c: 'Requested' });
  const id = created.id as string;
  const store = new SqliteJobStore(':memory:');
  const { server } = await serve(store);
  try {
    await eventually(async () => (await readJob(id)).Status__c === 'Succeeded', 'the record to be Succeeded');
    expect(calls.map((c) => c.ctx.job.crmRecordId)).toEqual([id]);
    const text = await server.metrics.registry.getSingleMetricAsString('salesops_crm_commands_total');
    expect(text).toContain('salesops_crm_commands_total{kind="job",source="poll"} 1');
  } finally {
    await server.close(1000);
    calls.length = 0;
  }
});

test('an approved territory change queues the applier job', async () => {
  const store = new SqliteJobStore(':memory:');
  const { server } = await serve(store);
  try {
    const account = await conn.sobject('Account').create({ Name: 'Streaming Test GmbH' });
    const change = await conn.sobject('Territory_Change_Request__c').create({
      Account__c: account.id,
      To_Territory_Key__c: 'EMEA-DACH',
      Status__c: 'Submitted',
    });
    await new Promise((r) => setTimeout(r, 200));
    expect(calls).toHaveLength(0);
    await conn
      .sobject('Territory_Change_Request__c')
      .update({ Id: change.id as string, Status__c: 'Approved' });
    await eventually(() => calls.length === 1, 'the applier to run');
    expect(calls[0].type).toBe('ApplyTerritoryChanges');
    expect(calls[0].ctx.job).toMatchObject({ trigger: 'Manual', crmRecordId: null });
  } finally {
    await server.close(1000);
    calls.length = 0;
  }
});
