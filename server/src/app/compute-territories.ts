import type { Snapshot } from '../domain';
import { computeTerritories, type TerritoryEngineConfig, type TerritoryResult } from '../domain/territory';
import type { ResultSet } from '../crm/writeback/result-set';
import { territoryRecords } from '../crm/writeback/maps/territory';

export interface TerritoryCycleOutput {
  resultSets: ResultSet[];
  summary: string[];
  result: TerritoryResult;
}

/**
 * The territory step of a cycle: every model computed, the Active model's assignments (with their
 * history) and the Account territory lookup ready for write-back. Change requests the approval step
 * applied this cycle must be in `snapshot.territoryChanges` (applyTerritoryChanges returns them in
 * that form), so the rules never move an approved account back.
 */
export function computeTerritoriesForCycle(
  snapshot: Snapshot,
  territoryConfig: TerritoryEngineConfig,
  asOf: string,
): TerritoryCycleOutput {
  const result = computeTerritories(snapshot, territoryConfig, asOf);
  const resultSets = territoryRecords({
    territoryRows: result.territoryRows,
    assignmentRows: result.assignmentRows,
    accountTerritories: result.accountTerritories,
    assignmentModels: result.activeModel !== null ? [result.activeModel] : [],
  });
  return { resultSets, summary: summarizeTerritories(result), result };
}

export function summarizeTerritories(result: TerritoryResult): string[] {
  const lines: string[] = [];
  for (const m of result.models) {
    if (m.state === 'Archived') {
      lines.push(`territories ${m.modelKey} (Archived): ${m.territoryRows.length} territories, state only`);
      continue;
    }
    const assigned = m.accounts.filter((d) => d.territoryKey !== null).length;
    const byDecision = new Map<string, number>();
    for (const d of m.accounts) {
      const k = d.decidedBy ?? 'unassigned';
      byDecision.set(k, (byDecision.get(k) ?? 0) + 1);
    }
    const decisions = [...byDecision.entries()]
      .sort((a, b) => b[1] - a[1])
      .map(([k, n]) => `${k} ${n}`)
      .join(', ');
    lines.push(
      `territories ${m.modelKey} (${m.state}): ${m.territoryRows.length} territories, ${assigned}/${m.accounts.length} accounts assigned (${decisions})` +
        (m.state === 'Active' ? `, ${m.assignmentRows.length} assignment rows` : ''),
    );
  }
  for (const w of result.warnings) lines.push(`  warning: ${w}`);
  return lines;
}
