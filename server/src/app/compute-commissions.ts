import { computeCommissions } from '../domain/commission/compute-commissions';
import type { CommissionPlanBook, CommissionResult } from '../domain/commission/types';
import { DomainError } from '../domain/engine-context';
import { CommissionLedgerSchema, type CommissionLedgerInput } from '../domain/snapshot/schema-commission';
import type { Snapshot } from '../domain/snapshot/types';
import { commissionRecords } from '../crm/writeback/maps/commission';
import type { ResultSet } from '../crm/writeback/result-set';
import { AppError } from '../shared/errors';

export interface CommissionCycleResult {
  resultSets: ResultSet[];
  /** Readable lines for the cycle summary. */
  summary: string[];
  result: CommissionResult;
}

/**
 * The commission engine in a cycle: statements and lines for every rep, as record sets for
 * write-back, plus a short summary. `ledger` adds to the snapshot's own ledger what the store kept
 * of closed periods and payouts; a domain refusal becomes INPUT_INVALID with its domain code.
 */
export function computeCommissionsForCycle(
  snapshot: Snapshot,
  plans: CommissionPlanBook,
  asOf: string,
  ledger?: CommissionLedgerInput,
): CommissionCycleResult {
  let result: CommissionResult;
  try {
    const parsed = ledger ? CommissionLedgerSchema.safeParse(ledger) : null;
    if (parsed && !parsed.success)
      throw new AppError(
        'INPUT_INVALID',
        `Invalid commission ledger:\n  - ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n  - ')}`,
      );
    result = computeCommissions(snapshot, plans, asOf, parsed?.data);
  } catch (err) {
    if (err instanceof DomainError)
      throw new AppError(
        'INPUT_INVALID',
        `${err.code}: ${err.message}`,
        { domainCode: err.code },
        { cause: err },
      );
    throw err;
  }
  return {
    resultSets: commissionRecords({
      statements: result.statements,
      lines: result.lines,
      inactiveRepIds: new Set(snapshot.users.filter((u) => !u.isActive).map((u) => u.id)),
    }),
    summary: summarize(result),
    result,
  };
}

export function summarize(result: CommissionResult): string[] {
  const s = result.stats;
  const open = result.statements.filter((x) => x.periodStatus === 'Open').length;
  const projected = result.lines.filter((l) => l.lineType === 'Projected').length;
  const lines = [
    `commissions  ${result.statements.length} statements (${open} open) for ${s.reps} reps, ${result.lines.length - projected} lines + ${projected} projected`,
    `             ${s.credits} credits from ${s.opportunitiesRead} opportunities; ${s.duplicateCreditsRemoved} duplicate credits removed; ${s.clawbacks} clawbacks, ${s.priorPeriodAdjustments} prior-period adjustments`,
  ];
  for (const w of result.warnings) lines.push(`  warning: ${w.code}: ${w.message}`);
  return lines;
}
