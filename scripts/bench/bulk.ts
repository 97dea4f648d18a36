import type { Connection } from 'jsforce';
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
