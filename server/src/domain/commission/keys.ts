/**
 * Deterministic external keys (docs/crm-objects.md): the same rep, period and source always give the
 * same key, so write-back upserts in place and a recalculation of a closed period finds its lines.
 */
export function statementKey(repId: string, periodKey: string): string {
  return `CS|${repId}|${periodKey}`;
}

/** `CL|<repId>|<periodKey>|<kind>|<sourceId>|<seq>`; kind is COM, SPF, DRW, DRR, CLB, PPA, HRL or PRJ. */
export function lineKey(
  repId: string,
  periodKey: string,
  kind: string,
  sourceId: string,
  seq: number,
): string {
  return `CL|${repId}|${periodKey}|${kind}|${sourceId}|${seq}`;
}
