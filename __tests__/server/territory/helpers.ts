import { parseSnapshot, type Snapshot, type SnapshotInput } from '../../../server/src/domain';
import type { FiscalCalendarConfig } from '../../../server/src/domain/calendar/config';
import {
  checkTerritoryConfig,
  TerritoryConfigSchema,
  type TerritoryConfigInput,
  type TerritoryEngineConfig,
} from '../../../server/src/domain/territory';

export const CALENDAR: FiscalCalendarConfig = { type: 'standard', startMonth: 1, yearLabel: 'start' };

type AccountInput = NonNullable<SnapshotInput['accounts']>[number];
type OppInput = SnapshotInput['opportunities'][number];

export function account(id: string, fields: Partial<AccountInput> = {}): AccountInput {
  return { id, name: `Account ${id}`, ...fields };
}

let oppSeq = 0;
export function opp(accountId: string, fields: Partial<OppInput> = {}): OppInput {
  oppSeq++;
  return {
    id: `O${oppSeq}`,
    accountId,
    ownerId: 'U1',
    stageName: 'Prospecting',
    amount: '1000.00',
    currency: 'USD',
    closeDate: '2026-12-15',
    createdDate: '2026-01-10',
    isClosed: false,
    isWon: false,
    ...fields,
  };
}

export function snapshot(parts: Partial<SnapshotInput>): Snapshot {
  const parsed = parseSnapshot({
    version: 1,
    corporateCurrency: 'USD',
    users: [{ id: 'U1', name: 'Una Owner' }],
    opportunities: [],
    ...parts,
  });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.snapshot;
}

export function engineConfig(input: Omit<TerritoryConfigInput, 'version'>): TerritoryEngineConfig {
  const territories = TerritoryConfigSchema.parse({ version: 1, ...input });
  const problems = checkTerritoryConfig(territories);
  if (problems.length > 0) throw new Error(problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
  return { territories, fiscalCalendar: CALENDAR };
}

type TerritoryInputs = Omit<TerritoryConfigInput, 'version'>['models'][number]['territories'];

/** One Active model `M` (active since 2026-01-01) with these territories and the standard types. */
export function activeModelConfig(territories: TerritoryInputs): TerritoryEngineConfig {
  return engineConfig({
    types: TYPES,
    models: [{ key: 'M', name: 'M', state: 'Active', activatedOn: '2026-01-01', territories }],
  });
}

export const TYPES = [
  { name: 'Named', priority: 1 },
  { name: 'Geo', priority: 10 },
  { name: 'Segment', priority: 20 },
  { name: 'Region', priority: 100 },
  { name: 'Root', priority: 1000 },
];
