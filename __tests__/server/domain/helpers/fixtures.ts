import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { EngineConfigSchema, type EngineConfig } from '../../../../server/src/domain/engine-config';
import { SnapshotSchema, type Snapshot, type SnapshotInput } from '../../../../server/src/domain/snapshot';

const CONFIG_DIR = path.resolve(__dirname, '../../../../config');

export function readYaml(name: string): unknown {
  return parse(readFileSync(path.join(CONFIG_DIR, name), 'utf8'));
}

/** The committed defaults, parsed exactly as the config loader will. */
export function defaultConfig(): EngineConfig {
  return EngineConfigSchema.parse({
    fiscalCalendar: readYaml('fiscal-calendar.yaml'),
    forecast: readYaml('forecast.yaml'),
    kpis: readYaml('kpis.yaml'),
  });
}

/** Overrides are validated by the config schemas themselves, so they are loosely typed here. */
export interface ConfigOverrides {
  fiscalCalendar?: Record<string, unknown>;
  forecast?: Record<string, unknown>;
  kpis?: Record<string, unknown>;
}

/** Defaults with a calendar-year fiscal year (FY2026 = 2026) so hand-computed periods stay obvious. */
export function testConfig(overrides: ConfigOverrides = {}): EngineConfig {
  const base = {
    fiscalCalendar: { type: 'standard', startMonth: 1, yearLabel: 'end' },
    forecast: readYaml('forecast.yaml') as Record<string, unknown>,
    kpis: readYaml('kpis.yaml') as Record<string, unknown>,
  };
  const merged = {
    fiscalCalendar: { ...base.fiscalCalendar, ...(overrides.fiscalCalendar ?? {}) },
    forecast: {
      ...base.forecast,
      statistical: { ...(base.forecast.statistical as object), enabled: false },
      ...(overrides.forecast ?? {}),
    },
    kpis: { ...base.kpis, ...(overrides.kpis ?? {}) },
  };
  return EngineConfigSchema.parse(merged);
}

type OppInput = SnapshotInput['opportunities'][number];

/** A deal with sensible defaults; only what a test is about needs to be written. */
export function opp(id: string, fields: Partial<OppInput> = {}): OppInput {
  const stageName = fields.stageName ?? 'Prospecting';
  return {
    id,
    ownerId: 'rep1',
    stageName,
    amount: '1000',
    currency: 'USD',
    closeDate: '2026-05-20',
    createdDate: '2026-01-10',
    isClosed: stageName === 'Closed Won' || stageName === 'Closed Lost',
    isWon: stageName === 'Closed Won',
    ...fields,
  };
}

/**
 * VP ← Manager ← two reps, plus a second team (mgr2 ← rep3) under the VP. Roles follow Salesforce:
 * each role has a forecast manager; reps roll up to their role's parent's manager.
 */
export function snapshot(parts: Partial<SnapshotInput> = {}): Snapshot {
  return SnapshotSchema.parse({
    version: 1,
    corporateCurrency: 'USD',
    currencies: [
      { code: 'USD', decimalPlaces: 2, staticRate: '1' },
      { code: 'EUR', decimalPlaces: 2, staticRate: '0.8' },
      { code: 'JPY', decimalPlaces: 0, staticRate: '150' },
    ],
    roles: [
      { id: 'R_VP', name: 'VP Sales', forecastManagerId: 'vp' },
      { id: 'R_M1', name: 'Team 1', parentRoleId: 'R_VP', forecastManagerId: 'mgr1' },
      { id: 'R_REP1', name: 'Team 1 reps', parentRoleId: 'R_M1' },
      { id: 'R_M2', name: 'Team 2', parentRoleId: 'R_VP', forecastManagerId: 'mgr2' },
      { id: 'R_REP2', name: 'Team 2 reps', parentRoleId: 'R_M2' },
    ],
    users: [
      { id: 'vp', name: 'Vera VP', roleId: 'R_VP' },
      { id: 'mgr1', name: 'Mona Manager', roleId: 'R_M1' },
      { id: 'mgr2', name: 'Max Manager', roleId: 'R_M2' },
      { id: 'rep1', name: 'Rita Rep', roleId: 'R_REP1', segment: 'SMB' },
      { id: 'rep2', name: 'Rob Rep', roleId: 'R_REP1', segment: 'SMB' },
      { id: 'rep3', name: 'Ravi Rep', roleId: 'R_REP2', segment: 'ENT' },
    ],
    opportunities: [],
    ...parts,
  });
}

export function rowsBy<T extends { externalKey: string }>(rows: readonly T[]): Map<string, T> {
  return new Map(rows.map((r) => [r.externalKey, r]));
}
