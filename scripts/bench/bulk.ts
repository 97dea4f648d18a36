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
export async function benchBulkIngest(conn: Connection, rows: number): Promise<ThroughputResult & { failed: number }> {
  const lines = ['Name,Industry,BillingCountry,NumberOfEmployees,AnnualRevenue'];
  for (let i = 0; i < rows; i++) lines.push(`Bench Account ${i},Technology,Germany,${(i % 5000) + 10},${(i % 997) * 10_000}`);
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
