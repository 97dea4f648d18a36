import { toDayNumber } from '../calendar/dates';
import type { EngineWarning } from '../engine-context';
import type { Snapshot } from '../snapshot/types';
import type { Plan, PlanAssignment, PlanVersion } from './plan-schema';

export interface ResolvedPlan {
  plan: Plan;
  version: PlanVersion;
  /** The assignment's currency, else the version's, else the corporate currency. */
  currency: string;
}

interface Segment {
  plan: Plan;
  assignment: PlanAssignment;
  fromDay: number;
  toDay: number;
  /** user 3, territory type 2, role 1: the most specific assignment wins. */
  specificity: number;
}

const FOREVER = Number.MAX_SAFE_INTEGER;

/**
 * Which plan (and version) pays a rep on a day. Assignments name users, roles (id, name or a name
 * pattern) or territory types, each between two dates; the most specific wins, then the latest start,
 * then the plan key (reported as ambiguous). The version is the one in force on that day.
 */
export class PlanResolver {
  private readonly byUser = new Map<string, Segment[]>();
  private readonly ambiguous = new Set<string>();

  constructor(
    snapshot: Snapshot,
    private readonly plans: readonly Plan[],
    private readonly corporateCurrency: string,
    private readonly warnings: EngineWarning[],
  ) {
    const roleName = new Map(snapshot.roles.map((r) => [r.id, r.name]));
    // Role timeline per user: the user's role until the first dated move, then each move in turn.
    const roleSpans = new Map<string, { roleId: string; fromDay: number; toDay: number }[]>();
    const moves = new Map<string, { day: number; roleId: string }[]>();
    for (const a of snapshot.roleAssignments) {
      const list = moves.get(a.userId) ?? [];
      list.push({ day: toDayNumber(a.startDate), roleId: a.roleId });
      moves.set(a.userId, list);
    }
    for (const u of snapshot.users) {
      const list = (moves.get(u.id) ?? []).sort((x, y) => x.day - y.day);
      const spans: { roleId: string; fromDay: number; toDay: number }[] = [];
      let current = list.length > 0 ? null : u.roleId;
      let from = -FOREVER;
      for (const m of list) {
        if (current !== null) spans.push({ roleId: current, fromDay: from, toDay: m.day - 1 });
        current = m.roleId;
        from = m.day;
      }
      if (current !== null) spans.push({ roleId: current, fromDay: from, toDay: FOREVER });
      roleSpans.set(u.id, spans);
    }
    const typeSpans = new Map<string, { type: string; fromDay: number; toDay: number }[]>();
    for (const m of snapshot.territoryMembers) {
      if (!m.territoryType) continue;
      const list = typeSpans.get(m.userId) ?? [];
      list.push({
        type: m.territoryType,
        fromDay: m.startDate ? toDayNumber(m.startDate) : -FOREVER,
        toDay: m.endDate ? toDayNumber(m.endDate) : FOREVER,
      });
      typeSpans.set(m.userId, list);
    }
    const add = (userId: string, seg: Segment): void => {
      if (seg.toDay < seg.fromDay) return;
      const list = this.byUser.get(userId) ?? [];
      list.push(seg);
      this.byUser.set(userId, list);
    };
    for (const plan of plans) {
      for (const a of plan.assignments) {
        const fromDay = toDayNumber(a.from);
        const toDay = a.to ? toDayNumber(a.to) : FOREVER;
        const pattern = a.roleNameMatches ? new RegExp(a.roleNameMatches) : null;
        for (const u of snapshot.users) {
          if (a.users.includes(u.id)) add(u.id, { plan, assignment: a, fromDay, toDay, specificity: 3 });
          if (a.territoryTypes.length > 0)
            for (const t of typeSpans.get(u.id) ?? [])
              if (a.territoryTypes.includes(t.type))
                add(u.id, {
                  plan,
                  assignment: a,
                  fromDay: Math.max(fromDay, t.fromDay),
                  toDay: Math.min(toDay, t.toDay),
                  specificity: 2,
                });
          if (a.roles.length > 0 || pattern)
            for (const s of roleSpans.get(u.id) ?? []) {
              const name = roleName.get(s.roleId) ?? '';
              const hit =
                a.roles.includes(s.roleId) ||
                a.roles.includes(name) ||
                (pattern !== null && pattern.test(name));
              if (hit)
                add(u.id, {
                  plan,
                  assignment: a,
                  fromDay: Math.max(fromDay, s.fromDay),
                  toDay: Math.min(toDay, s.toDay),
                  specificity: 1,
                });
            }
        }
      }
    }
  }

  /** Users with any assignment. */
  users(): string[] {
    return [...this.byUser.keys()].sort();
  }

  /** Whether the user has an assignment touching [fromDay, toDay]. */
  assignedBetween(userId: string, fromDay: number, toDay: number): boolean {
    return (this.byUser.get(userId) ?? []).some((s) => s.fromDay <= toDay && s.toDay >= fromDay);
  }

  at(userId: string, day: number): ResolvedPlan | null {
    const segs = this.byUser.get(userId);
    if (!segs) return null;
    let best: Segment | null = null;
    let tie = false;
    for (const s of segs) {
      if (s.fromDay > day || s.toDay < day) continue;
      if (
        best === null ||
        s.specificity > best.specificity ||
        (s.specificity === best.specificity && s.fromDay > best.fromDay)
      ) {
        best = s;
        tie = false;
      } else if (s.specificity === best.specificity && s.fromDay === best.fromDay && s.plan !== best.plan) {
        tie = true;
        if (s.plan.key < best.plan.key) best = s;
      }
    }
    if (!best) return null;
    if (tie && !this.ambiguous.has(userId)) {
      this.ambiguous.add(userId);
      this.warnings.push({
        code: 'COMMISSION.AMBIGUOUS_PLAN',
        message: `user ${userId} matches more than one plan equally on day ${day}; ${best.plan.key} (first by key) applies`,
      });
    }
    const version = versionAt(best.plan, day);
    if (!version) return null;
    return {
      plan: best.plan,
      version,
      currency: best.assignment.currency ?? version.currency ?? this.corporateCurrency,
    };
  }

  /** The plan of the last day in [fromDay, toDay] that has one (the statement's plan). */
  lastIn(userId: string, fromDay: number, toDay: number): ResolvedPlan | null {
    const segs = this.byUser.get(userId);
    if (!segs) return null;
    const ends = segs
      .map((s) => Math.min(s.toDay, toDay))
      .filter((d) => d >= fromDay)
      .sort((a, b) => b - a);
    for (const d of ends) {
      const r = this.at(userId, d);
      if (r) return r;
    }
    return null;
  }

  planByKey(key: string): Plan | undefined {
    return this.plans.find((p) => p.key === key);
  }
}

export function versionAt(plan: Plan, day: number): PlanVersion | null {
  let found: PlanVersion | null = null;
  for (const v of plan.versions) {
    if (toDayNumber(v.effectiveFrom) > day) break;
    // A later version always ends the one before; an explicit end that passed leaves none in force.
    found = v.effectiveTo && toDayNumber(v.effectiveTo) < day ? null : v;
  }
  return found;
}
