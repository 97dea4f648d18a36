import type { Connection } from 'jsforce';
import type { ThroughputResult } from './rest-query';

/**
 * sObject Collections upsert by external id, 200 rows a call: first pass creates, second updates.
 * Uses Sales_Quota__c (the project's own metadata), keyed by External_Key__c.
 */
export async function benchCollectionUpsert(
  conn: Connection,
  rows: number,
  ownerId: string,
): Promise<{ create: ThroughputResult; update: ThroughputResult }> {
  const make = (amount: number) =>
    Array.from({ length: rows }, (_, i) => ({
      External_Key__c: `bench-quota-${i}`,
      User__c: ownerId,
      Period_Type__c: 'Quarter',
      Period_Start__c: '2026-01-01',
      Period_End__c: '2026-03-31',
      Amount__c: amount + i,
    }));
  const pass = async (records: Array<Record<string, unknown>>): Promise<ThroughputResult> => {
    const started = process.hrtime.bigint();
    let calls = 0;
    for (let i = 0; i < records.length; i += 200) {
      const chunk = records.slice(i, i + 200);
      const results = await conn
        .sobject('Sales_Quota__c')
        .upsert(chunk, 'External_Key__c', { allOrNone: true });
      calls++;
      const failed = (Array.isArray(results) ? results : [results]).filter((r) => !r.success);
      if (failed.length) throw new Error(`collection upsert failed: ${JSON.stringify(failed[0])}`);
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    return {
      rows: records.length,
      seconds,
      rowsPerSecond: records.length / seconds,
      apiCalls: calls,
      minimumApiCalls: Math.ceil(records.length / 200),
    };
  };
  const create = await pass(make(100_000));
  const update = await pass(make(200_000));
  return { create, update };
}
