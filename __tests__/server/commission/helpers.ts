import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { computeCommissions } from '../../../server/src/domain/commission/compute-commissions';
import { PlanSchema, type PlanInput } from '../../../server/src/domain/commission/plan-schema';
import type {
  CommissionLineRow,
  CommissionPlanBook,
  CommissionResult,
} from '../../../server/src/domain/commission/types';
import { ForecastConfigSchema } from '../../../server/src/domain/forecast/config';
import { SnapshotSchema, type Snapshot, type SnapshotInput } from '../../../server/src/domain/snapshot';

const CONFIG_DIR = path.resolve(__dirname, '../../../config');
const stages = ForecastConfigSchema.parse(
  parse(readFileSync(path.join(CONFIG_DIR, 'forecast.yaml'), 'utf8')),
).stages;

/** Calendar-year fiscal year (FY2026 = 2026, Q1 = Jan–Mar) so periods are obvious by hand. */
export function book(...plans: PlanInput[]): CommissionPlanBook {
  return {
    plans: plans.map((p) => PlanSchema.parse(p)),
    fiscalCalendar: { type: 'standard', startMonth: 1, yearLabel: 'end' },
    stages,
  };
}

type Version = NonNullable<PlanInput['versions']>[number];

/** One plan, assigned to the given users from 2025-01-01, with one version built from `version`. */
export function plan(users: string[], version: Partial<Version>, extra: Partial<PlanInput> = {}): PlanInput {
  return {
    key: 'test-plan',
    name: 'Test plan',
    versions: [
      { version: 1, effectiveFrom: '2025-01-01', rates: { mode: 'flat', rate: 10 }, ...version } as Version,
    ],
    assignments: [{ users, from: '2025-01-01' }],
    ...extra,
  };
}

type OppInput = SnapshotInput['opportunities'][number];

export function won(id: string, amount: string, closeDate: string, fields: Partial<OppInput> = {}): OppInput {
  return {
    id,
    name: id,
    ownerId: 'rep1',
    stageName: 'Closed Won',
    amount,
    currency: 'USD',
    closeDate,
    createdDate: '2025-06-01',
    isClosed: true,
    isWon: true,
    ...fields,
  };
}

export function open(
  id: string,
  amount: string,
  closeDate: string,
  stageName: string,
  fields: Partial<OppInput> = {},
): OppInput {
  return { ...won(id, amount, closeDate, fields), stageName, isClosed: false, isWon: false, ...fields };
}

export function snap(input: Partial<SnapshotInput>): Snapshot {
  return SnapshotSchema.parse({
    version: 1,
    corporateCurrency: 'USD',
    users: [
      { id: 'rep1', name: 'Ari Rep', roleId: 'AE' },
      { id: 'rep2', name: 'Bo Rep', roleId: 'AE' },
      { id: 'mgr', name: 'Max Manager', roleId: 'MGR' },
    ],
    roles: [
      { id: 'MGR', name: 'Sales Manager', forecastManagerId: 'mgr' },
      { id: 'AE', name: 'Account Executive', parentRoleId: 'MGR' },
    ],
    opportunities: [],
    ...input,
  });
}

export function run(s: Snapshot, b: CommissionPlanBook, asOf: string): CommissionResult {
  return computeCommissions(s, b, asOf);
}

export function linesOf(
  r: CommissionResult,
  rep: string,
  periodKey?: string,
  type?: string,
): CommissionLineRow[] {
  return r.lines.filter(
    (l) => l.repId === rep && (!periodKey || l.periodKey === periodKey) && (!type || l.lineType === type),
  );
}

export function statementOf(r: CommissionResult, rep: string, periodKey: string) {
  const s = r.statements.find((x) => x.repId === rep && x.periodKey === periodKey);
  if (!s) throw new Error(`no statement for ${rep} ${periodKey}`);
  return s;
}

export const quota = (
  ownerId: string,
  periodStart: string,
  amount: string,
  periodType: 'quarter' | 'month' = 'quarter',
) => ({
  ownerType: 'user' as const,
  ownerId,
  periodType,
  periodStart,
  amount,
  currency: 'USD',
});
