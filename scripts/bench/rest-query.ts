import { Connection } from 'jsforce';

export const BENCH_API_VERSION = '59.0';

/** Fifteen fields, two of them parent paths: what a sync of opportunities reads. */
export const OPPORTUNITY_SOQL =
  'SELECT Id, Name, StageName, Amount, CloseDate, Probability, ForecastCategoryName, IsClosed, IsWon, ' +
  'CurrencyIsoCode, Type, CreatedDate, SystemModstamp, Account.Name, Owner.Name FROM Opportunity';

export interface ThroughputResult {
  rows: number;
  seconds: number;
  rowsPerSecond: number;
  apiCalls: number;
  minimumApiCalls: number;
}

export function connectBench(target: { instanceUrl: string; accessToken: string }): Connection {
  return new Connection({
    instanceUrl: target.instanceUrl,
    accessToken: target.accessToken,
    version: BENCH_API_VERSION,
  });
}

/** API calls so far, as the org reports them in Sforce-Limit-Info. */
async function apiUsed(conn: Connection): Promise<number> {
  await conn.request(`/services/data/v${BENCH_API_VERSION}/limits`);
  return conn.limitInfo?.apiUsage?.used ?? 0;
}

/** REST query paging through jsforce autoFetch (2,000-row pages), rows counted as they stream in. */
export async function benchRestPaging(conn: Connection, expectedRows: number): Promise<ThroughputResult> {
  const before = await apiUsed(conn);
  const started = process.hrtime.bigint();
  let rows = 0;
  await new Promise<void>((resolve, reject) => {
    conn
      .query(OPPORTUNITY_SOQL, { autoFetch: true, maxFetch: expectedRows + 1 })
      .on('record', () => {
        rows++;
      })
      .on('end', () => resolve())
      .on('error', reject)
      .run();
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const after = await apiUsed(conn);
  return {
    rows,
    seconds,
    rowsPerSecond: rows / seconds,
    apiCalls: after - before - 1,
    minimumApiCalls: Math.ceil(rows / 2000),
  };
}
