import { SfError } from '../errors';
import type { Org } from '../org';
import type { ObjectDef } from '../schema/types';
import { formatDateTime, parseDateTime, quoteIdent } from '../store/codec';
import { prepare } from './sql';

/**
 * /updated and /deleted (replication). Salesforce ignores the seconds of both bounds, refuses a
 * start more than 30 days back and an end before the start, and never covers the future.
 */
const MINUTE = 60_000;
const DAY = 86_400_000;
const MAX_IDS = 600_000;

export interface ReplicationWindow {
  start: number;
  end: number;
}

const bad = (message: string): SfError => new SfError(400, 'INVALID_REPLICATION_DATE', message);

export function replicationWindow(org: Org, start: unknown, end: unknown): ReplicationWindow {
  if (typeof start !== 'string' || typeof end !== 'string' || !start || !end) {
    throw new SfError(400, 'MISSING_ARGUMENT', 'Both start and end are required, as ISO-8601 date-times');
  }
  // A literal '+' in an unencoded query string arrives as a space.
  const s = parseDateTime(start.replace(' ', '+'));
  const e = parseDateTime(end.replace(' ', '+'));
  if (s === null) throw bad(`start is not a valid date-time: ${start}`);
  if (e === null) throw bad(`end is not a valid date-time: ${end}`);
  const now = floorMinute(org.now());
  const window = { start: floorMinute(s), end: Math.min(floorMinute(e), now) };
  if (window.start < now - 30 * DAY) throw bad('startDate cannot be more than 30 days ago');
  if (floorMinute(e) <= window.start) throw bad('endDate must be after startDate');
  return window;
}

function floorMinute(ms: number): number {
  return Math.floor(ms / MINUTE) * MINUTE;
}

/** Live records whose SystemModstamp falls in [start, end). */
export function updatedRecords(
  org: Org,
  obj: ObjectDef,
  w: ReplicationWindow,
): { ids: string[]; latestDateCovered: string } {
  const stamp = quoteIdent(
    ['SystemModstamp', 'LastModifiedDate', 'CreatedDate'].find((n) => obj.fields.some((f) => f.name === n)) ??
      'CreatedDate',
  );
  const sql = `SELECT "Id" FROM ${quoteIdent(obj.name)} WHERE ${stamp} >= ? AND ${stamp} < ? AND "IsDeleted" = 0 ORDER BY ${stamp}, "Id" LIMIT ${MAX_IDS + 1}`;
  const ids = (prepare(org, sql).all(w.start, w.end) as Array<{ Id: string }>).map((r) => r.Id);
  if (ids.length > MAX_IDS)
    throw new SfError(400, 'EXCEEDED_ID_LIMIT', `too many ids: more than ${MAX_IDS} records in the window`);
  return { ids, latestDateCovered: formatDateTime(w.end) };
}

export function deletedRecords(
  org: Org,
  obj: ObjectDef,
  w: ReplicationWindow,
): {
  deletedRecords: Array<{ id: string; deletedDate: string }>;
  earliestDateAvailable: string;
  latestDateCovered: string;
} {
  const rows = prepare(
    org,
    'SELECT id, deleted_at FROM _delete_log WHERE object = ? AND deleted_at >= ? AND deleted_at < ? ORDER BY deleted_at, id',
  ).all(obj.name, w.start, w.end) as Array<{ id: string; deleted_at: number }>;
  const earliest = prepare(org, 'SELECT MIN(deleted_at) AS at FROM _delete_log WHERE object = ?').get(
    obj.name,
  ) as { at: number | null };
  return {
    deletedRecords: rows.map((r) => ({ id: r.id, deletedDate: formatDateTime(r.deleted_at) })),
    earliestDateAvailable: formatDateTime(floorMinute(earliest.at ?? w.start)),
    latestDateCovered: formatDateTime(w.end),
  };
}
