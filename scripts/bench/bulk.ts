import type { Connection } from 'jsforce';
import { readFileSync } from 'node:fs';
import { OPPORTUNITY_SOQL, type ThroughputResult } from './rest-query';

/** Bulk 2.0 query: job, poll, CSV results in one page (jsforce cannot join pages), parsed to records. */
export async function benchBulkQuery(conn: Connection): Promise<ThroughputResult> {
  const started = process.hrtime.bigint();
  const stream = await conn.bulk2.query(OPPORTUNITY_SOQL, { pollInterval: 100, pollTimeout: 600_000 });
  let rows = 0;
  await new Promise<void>((resolve, reject) => {
    stream.on('record', () => rows++);
    stream.on('end', () => resolve());
    stream.on('error', reject);
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { rows, seconds, rowsPerSecond: rows / seconds, apiCalls: 3, minimumApiCalls: 3 };
}

/** Bulk 2.0 ingest: `rows` new Accounts as one CSV upload, waiting for the results. */
export async function benchBulkIngest(
  conn: Connection,
  rows: number,
): Promise<ThroughputResult & { failed: number }> {
  const lines = ['Name,Industry,BillingCountry,NumberOfEmployees,AnnualRevenue'];
  for (let i = 0; i < rows; i++)
    lines.push(`Bench Account ${i},Technology,Germany,${(i % 5000) + 10},${(i % 997) * 10_000}`);
  const started = process.hrtime.bigint();
  const res = await conn.bulk2.loadAndWaitForResults({
    object: 'Account',
    operation: 'insert',
    input: lines.join('\n') + '\n',
    pollInterval: 200,
    pollTimeout: 600_000,
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return {
    rows: res.successfulResults.length,
    failed: res.failedResults.length,
    seconds,
    rowsPerSecond: rows / seconds,
    apiCalls: 0,
    minimumApiCalls: 0,
  };
}

/**
 * The org's own Bulk 2.0 query throughput: job, polls and the CSV result downloaded as text,
 * without jsforce's CSV parser (which parses every result twice) in the measurement.
 */
export async function benchBulkQueryRaw(conn: Connection, apiVersion: string): Promise<ThroughputResult> {
  const base = `${conn.instanceUrl}/services/data/v${apiVersion}/jobs/query`;
  const headers = { Authorization: `Bearer ${conn.accessToken}`, 'Content-Type': 'application/json' };
  const started = process.hrtime.bigint();
  const job = (await (
    await fetch(base, {
      method: 'POST',
      headers,
      body: JSON.stringify({ operation: 'query', query: OPPORTUNITY_SOQL }),
    })
  ).json()) as { id: string };
  let calls = 1;
  for (;;) {
    const info = (await (await fetch(`${base}/${job.id}`, { headers })).json()) as { state: string };
    calls++;
    if (info.state === 'JobComplete') break;
    if (info.state === 'Failed' || info.state === 'Aborted') throw new Error(`bulk query job ${info.state}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const res = await fetch(`${base}/${job.id}/results`, { headers: { ...headers, Accept: 'text/csv' } });
  const text = await res.text();
  calls++;
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  let rows = -1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) rows++;
  if (!text.endsWith('\n')) rows++;
  return {
    rows: Math.max(rows, 0),
    seconds,
    rowsPerSecond: rows / seconds,
    apiCalls: calls,
    minimumApiCalls: 3,
  };
}

/** CPU seconds (user + system) a process has used so far, from /proc; null where there is no /proc. */
export function processCpuSeconds(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return ticks / 100;
  } catch {
    return null;
  }
}

export interface ResultUpsertPass {
  rows: number;
  failed: number;
  seconds: number;
  /** Org CPU seconds during the pass (null when the org's pid is not known). */
  orgCpuSeconds: number | null;
  /** Org CPU microseconds per row (wall clock when the org's CPU cannot be read). */
  microsPerRow: number;
}

/**
 * The write-back's shape of Bulk 2.0 ingest: Territory_Assignment__c rows upserted by
 * External_Key__c with a `Sales_Territory__r.External_Key__c` parent column, an Account lookup and
 * a long-text trace, every cell quoted and nulls as `#N/A` (as `crm/writeback/org-writer.ts` writes
 * them). The first pass creates every row, the second updates them all.
 */
export async function benchBulkResultUpsert(
  conn: Connection,
  rows: number,
  orgPid: number | null,
): Promise<{ create: ResultUpsertPass; update: ResultUpsertPass }> {
  const territories = Array.from({ length: 21 }, (_, i) => ({
    External_Key__c: `bench-territory-${i}`,
    Name: `Bench Territory ${i}`,
    Territory_Key__c: `T${i}`,
  }));
  for (let i = 0; i < territories.length; i += 200) {
    const res = await conn
      .sobject('Sales_Territory__c')
      .upsert(territories.slice(i, i + 200), 'External_Key__c', { allOrNone: true });
    const failed = (Array.isArray(res) ? res : [res]).filter((r) => !r.success);
    if (failed.length) throw new Error(`territory upsert failed: ${JSON.stringify(failed[0])}`);
  }
  const accounts: string[] = [];
  await new Promise<void>((resolve, reject) => {
    conn
      .query('SELECT Id FROM Account ORDER BY Id')
      .on('record', (r: { Id: string }) => accounts.push(r.Id))
      .on('end', () => resolve())
      .on('error', reject)
      .run({ autoFetch: true, maxFetch: 1_000_000 });
  });
  const csv = (pass: number): string => {
    const q = (v: string | null) => `"${v === null ? '#N/A' : v.replace(/"/g, '""')}"`;
    const lines = [
      [
        'External_Key__c',
        'Assignment_Type__c',
        'Account__c',
        'Opportunity__c',
        'Sales_Territory__r.External_Key__c',
        'Territory_Key__c',
        'Effective_Start__c',
        'Effective_End__c',
        'Is_Current__c',
        'Rule_Matched__c',
        'Decided_By__c',
        'Trace__c',
      ]
        .map(q)
        .join(','),
    ];
    for (let i = 0; i < rows; i++) {
      const account = accounts[i % accounts.length];
      const t = (i * 7 + pass) % territories.length;
      const trace = `T${t} by rule r-${i % 40} (pass ${pass})\n${JSON.stringify(
        {
          lines: [`rule r-${i % 40} matched BillingCountry = "Germany"`, `priority ${i % 5}`],
          model: 'bench',
        },
        null,
        1,
      )}`;
      lines.push(
        [
          `TA|bench|${account}|T${i % 13}|2026-0${(i % 9) + 1}-01|${i}`,
          'Account',
          account,
          null,
          `bench-territory-${t}`,
          `T${t}`,
          '2026-01-01',
          pass === 0 ? null : '2026-12-31',
          pass === 0 ? 'true' : 'false',
          `r-${i % 40}`,
          'Rule',
          trace,
        ]
          .map(q)
          .join(','),
      );
    }
    return lines.join('\n') + '\n';
  };
  const run = async (pass: number): Promise<ResultUpsertPass> => {
    const input = csv(pass);
    const cpu0 = orgPid === null ? null : processCpuSeconds(orgPid);
    const started = process.hrtime.bigint();
    // As the write-back does: results are not downloaded when no row failed.
    const job = conn.bulk2.createJob({
      object: 'Territory_Assignment__c',
      operation: 'upsert',
      externalIdFieldName: 'External_Key__c',
      lineEnding: 'LF',
    });
    await job.open();
    await job.uploadData(input);
    await job.close();
    await job.poll(200, 1_800_000);
    const info = await job.check();
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const cpu1 = orgPid === null ? null : processCpuSeconds(orgPid);
    const orgCpuSeconds = cpu0 === null || cpu1 === null ? null : cpu1 - cpu0;
    return {
      rows: (info.numberRecordsProcessed ?? 0) - (info.numberRecordsFailed ?? 0),
      failed: info.numberRecordsFailed ?? 0,
      seconds,
      orgCpuSeconds,
      microsPerRow: ((orgCpuSeconds ?? seconds) * 1e6) / rows,
    };
  };
  const create = await run(0);
  const update = await run(1);
  return { create, update };
}
