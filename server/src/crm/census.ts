import type { Connection } from 'jsforce';

/** The objects a sales org census counts, in reading order. */
const CENSUS_OBJECTS = [
  'User',
  'UserRole',
  'Account',
  'Opportunity',
  'OpportunityLineItem',
  'OpportunityHistory',
  'Product2',
  'Sales_Quota__c',
];

export interface OrgCensus {
  counts: Record<string, number>;
  openPipelineByStage: Array<{ stage: string; opportunities: number }>;
  apiCalls: number;
}

/**
 * Counts what the org holds, through the same REST API a sync will use. Objects the org does not
 * have (no permission, no such custom object) are left out rather than failing the census.
 */
export async function takeCensus(conn: Connection): Promise<OrgCensus> {
  let apiCalls = 0;
  const counts: Record<string, number> = {};
  for (const name of CENSUS_OBJECTS) {
    try {
      apiCalls++;
      const res = await conn.query(`SELECT COUNT() FROM ${name}`);
      counts[name] = res.totalSize;
    } catch (err) {
      if ((err as { errorCode?: string }).errorCode !== 'INVALID_TYPE') throw err;
    }
  }
  apiCalls++;
  const grouped = await conn.query<{ StageName: string; n: number }>(
    'SELECT StageName, COUNT(Id) n FROM Opportunity WHERE IsClosed = false GROUP BY StageName ORDER BY StageName',
  );
  return {
    counts,
    openPipelineByStage: grouped.records.map((r) => ({ stage: r.StageName, opportunities: Number(r.n) })),
    apiCalls,
  };
}
