import { addDays } from '../calendar/dates';

/**
 * Effective-dated assignment history of one record (account or opportunity) in one model. Rows
 * written by earlier cycles are kept as they were up to the day before a change, so past periods keep
 * crediting the old territory; a change ends the row in force the day before its effective date and
 * starts a new one; scheduled changes (effective after asOf) add future rows.
 */

export interface PriorRow {
  territoryKey: string;
  effectiveStart: string;
  effectiveEnd: string | null;
  decidedBy: string | null;
}

export interface Segment {
  territoryKey: string;
  start: string;
  end: string | null;
  /** Carried over from an earlier cycle (its decision and trace are the earlier ones unless it is in force). */
  fromHistory: boolean;
  /** The segment in force on asOf. */
  current: boolean;
  /** This run's decision produced or confirmed it. */
  decided: boolean;
  changeRequestId: string | null;
}

export interface TimelineInput {
  prior: readonly PriorRow[];
  asOf: string;
  /** The territory in force on asOf by this run's decision; null: none. */
  now: string | null;
  /** When `now` takes effect if it differs from the row in force (change request date, else asOf). */
  nowEffective: string;
  nowChangeRequestId: string | null;
  /** Where the record was before a change request, when no history says so. */
  nowFrom: string | null;
  /** Start of history when there is none (model activation). */
  defaultStart: string;
  /** Scheduled moves after asOf, in effective-date order. */
  future: readonly { territoryKey: string; effectiveDate: string; changeRequestId: string | null }[];
}

const maxDate = (a: string, b: string): string => (a > b ? a : b);

export function buildTimeline(input: TimelineInput): Segment[] {
  const { asOf } = input;
  // Most records on a later cycle: one open row that this run confirms (the general path's result,
  // without its copies and closures).
  if (input.prior.length === 1 && input.future.length === 0) {
    const r = input.prior[0]!;
    if (
      r.effectiveStart <= asOf &&
      (r.effectiveEnd === null || r.effectiveEnd >= asOf) &&
      r.territoryKey === input.now
    )
      return [
        {
          territoryKey: r.territoryKey,
          start: r.effectiveStart,
          end: null,
          fromHistory: true,
          current: true,
          decided: true,
          changeRequestId: null,
        },
      ];
  }
  const prior = [...input.prior]
    .filter((r) => r.effectiveStart <= asOf)
    .sort((a, b) => (a.effectiveStart < b.effectiveStart ? -1 : a.effectiveStart > b.effectiveStart ? 1 : 0));
  const out: Segment[] = [];
  let inForce: Segment | null = null;
  prior.forEach((r, i) => {
    const next = prior[i + 1];
    // Two open rows (a crash between writes): the earlier one ends where the next starts.
    let end = r.effectiveEnd;
    if (end === null && next) end = addDays(next.effectiveStart, -1);
    const seg: Segment = {
      territoryKey: r.territoryKey,
      start: r.effectiveStart,
      end,
      fromHistory: true,
      current: false,
      decided: false,
      changeRequestId: null,
    };
    if (end === null || end >= asOf) inForce = seg;
    out.push(seg);
  });

  const last = (): Segment | undefined => out[out.length - 1];
  const open = inForce as Segment | null;
  if (open !== null && open.territoryKey === input.now) {
    open.end = null;
    open.decided = true;
  } else {
    let start: string;
    if (open !== null) {
      start = maxDate(input.nowEffective, addDays(open.start, 1));
      open.end = addDays(start, -1);
    } else if (out.length > 0) {
      start = maxDate(input.nowEffective, addDays(last()!.end ?? asOf, 1));
    } else if (input.nowChangeRequestId !== null) {
      start = input.nowEffective;
      if (input.nowFrom !== null && input.nowFrom !== input.now && input.defaultStart < start)
        out.push({
          territoryKey: input.nowFrom,
          start: input.defaultStart,
          end: addDays(start, -1),
          fromHistory: false,
          current: false,
          decided: false,
          changeRequestId: null,
        });
    } else {
      start = input.defaultStart;
    }
    if (input.now !== null)
      out.push({
        territoryKey: input.now,
        start,
        end: null,
        fromHistory: false,
        current: false,
        decided: true,
        changeRequestId: input.nowChangeRequestId,
      });
  }

  for (const f of input.future) {
    const tail = last();
    if (tail && tail.end === null && tail.territoryKey === f.territoryKey) continue;
    if (tail && tail.end === null) {
      if (f.effectiveDate <= tail.start) out.pop();
      else tail.end = addDays(f.effectiveDate, -1);
    }
    out.push({
      territoryKey: f.territoryKey,
      start: f.effectiveDate,
      end: null,
      fromHistory: false,
      current: false,
      decided: true,
      changeRequestId: f.changeRequestId,
    });
  }
  for (const s of out) s.current = s.start <= asOf && (s.end === null || s.end >= asOf);
  return out;
}

/** The territory a timeline holds on a date; before its first row, null. */
export function territoryOn(segments: readonly Segment[], date: string): string | null {
  for (const s of segments) if (s.start <= date && (s.end === null || s.end >= date)) return s.territoryKey;
  return null;
}
