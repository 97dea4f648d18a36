import type { CycleReport } from './run-cycle';

const n = (v: number) => v.toLocaleString('en-US');

/**
 * The closing table of `salesops run` (also stored in SalesOps_Job__c.Summary__c): per object the
 * rows read by the sync and, for result objects, produced, changed, written, failed and retracted;
 * API calls against the minimum for that work; seconds per phase.
 */
export function renderCycleSummary(r: CycleReport): string {
  const objects = new Set([
    ...Object.keys(r.sync?.objects ?? {}),
    ...Object.keys(r.writeback?.objects ?? {}),
  ]);
  const width = Math.max(12, ...[...objects].map((o) => o.length));
  const head = `  ${'object'.padEnd(width)}  ${'read'.padStart(8)}  ${'results'.padStart(8)}  ${'changed'.padStart(8)}  ${'written'.padStart(8)}  ${'failed'.padStart(6)}  ${'retracted'.padStart(9)}  ${'calls'.padStart(5)}  ${'min'.padStart(5)}`;
  const lines = [
    `${r.kind === 'cycle' ? 'Cycle' : 'Write-back'} ${r.status}${r.writeback?.dryRun ? ' (dry run: nothing written)' : ''} in ${r.seconds.toFixed(1)} s (run ${r.runId}, as of ${r.asOf})`,
    '',
    head,
  ];
  for (const o of objects) {
    const s = r.sync?.objects[o];
    const w = r.writeback?.objects[o];
    const cell = (v: number | undefined, width: number) => (v === undefined ? '' : n(v)).padStart(width);
    lines.push(
      `  ${o.padEnd(width)}  ${cell(s?.read, 8)}  ${cell(w?.total, 8)}  ${cell(w?.changed, 8)}  ${cell(w?.written, 8)}  ${cell(w ? w.failed + w.retractFailed : undefined, 6)}  ${cell(w?.retracted, 9)}  ${cell((s?.apiCalls ?? 0) + (w?.apiCalls ?? 0), 5)}  ${cell((s?.minimumApiCalls ?? 0) + (w?.minimumApiCalls ?? 0), 5)}${w?.mode && w.mode !== 'none' ? `  ${w.mode}` : ''}`,
    );
  }
  const ratio = r.minimumApiCalls > 0 ? ` (${(r.apiCalls / r.minimumApiCalls).toFixed(2)}×)` : '';
  lines.push(
    '',
    `API calls ${n(r.apiCalls)} against a minimum of ${n(r.minimumApiCalls)}${ratio}${r.sync ? `; the sync's describe checks took ${r.sync.describeApiCalls}` : ''}.`,
    `Phases: ${r.sync ? `sync ${r.phases.sync.toFixed(1)} s, ` : ''}compute ${r.phases.compute.toFixed(1)} s, write-back ${r.phases.writeback.toFixed(1)} s.`,
  );
  const breakdown = computeBreakdown(r);
  if (breakdown) lines.push(`Compute: ${breakdown}.`);
  if (r.writeback) {
    const w = r.writeback;
    lines.push(
      `Results: ${n(w.rowsChanged)} changed, ${n(w.rowsWritten)} written, ${n(w.rowsFailed)} failed, ${n(w.rowsRetracted)} retracted.`,
    );
    const letters = Object.entries(w.deadLetters);
    if (letters.length > 0) lines.push(`Dead letters: ${letters.map(([c, k]) => `${c} ${k}`).join(', ')}.`);
    if (w.note) lines.push(w.note);
  }
  if (r.jobRecordId) lines.push(`Job record: SalesOps_Job__c ${r.jobRecordId}.`);
  if (r.jobRecordError) lines.push(`Job record not written: ${r.jobRecordError}`);
  if (r.error) lines.push(`Failed: ${r.error.code}: ${r.error.message}`);
  return lines.join('\n');
}

/**
 * Where the compute phase went: reading the snapshot, each engine (named by what it produced), the
 * write-back's planning, which hashes every result row against the last confirmed write, and the
 * rest: the writes the write-back started meanwhile (building and uploading requests).
 */
export function computeBreakdown(r: Pick<CycleReport, 'compute' | 'writeback' | 'phases'>): string | null {
  const steps = r.compute?.steps ?? [];
  if (steps.length === 0) return null;
  const parts = steps.map((s) => `${s.step} ${s.seconds.toFixed(1)} s`);
  let rest = r.phases.compute - steps.reduce((n, s) => n + s.seconds, 0);
  if (r.writeback) {
    parts.push(`planning what to write ${r.writeback.planSeconds.toFixed(1)} s`);
    rest -= r.writeback.planSeconds;
  }
  if (rest >= 0.05) parts.push(`starting the writes ${rest.toFixed(1)} s`);
  return parts.join(', ');
}
