import type { Org } from '../org';
import { quoteIdent } from '../store/codec';
import { compileQuery } from './compile';

export interface ExplainPlan {
  cardinality: number;
  fields: string[];
  leadingOperationType: 'TableScan' | 'Index' | 'Other' | 'Sharing';
  notes: Array<{ description: string; fields: string[]; tableEnumOrId: string }>;
  relativeCost: number;
  sobjectCardinality: number;
  sobjectType: string;
}

/** `/query/?explain=`: a static plan; the query is validated and its object sized, nothing more. */
export function explainQuery(org: Org, soql: string): { plans: ExplainPlan[] } {
  const plan = compileQuery(org, soql, false);
  const { n } = org.db
    .prepare(`SELECT count(*) AS n FROM ${quoteIdent(plan.object.name)} WHERE "IsDeleted" = 0`)
    .get() as { n: number };
  return {
    plans: [
      {
        cardinality: n,
        fields: [],
        leadingOperationType: 'TableScan',
        notes: [],
        relativeCost: n > 0 ? 1 : 0,
        sobjectCardinality: n,
        sobjectType: plan.object.name,
      },
    ],
  };
}
