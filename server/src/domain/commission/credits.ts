import { toDayNumber } from '../calendar/dates';
import type { CreditRole, TerritoryMember } from '../snapshot/schema-commission';
import type { Opportunity, Snapshot } from '../snapshot/types';

/** One payee's claim on a deal before any plan is applied. Percent in hundredths (5000 = 50%). */
export interface Candidate {
  payee: string;
  role: CreditRole;
  percentH: number;
  /** Why this payee: "manager of Ari (level 1)", "Sales Engineer in EMEA-DACH". */
  via: string | null;
  /** Territory role, for plans that credit only some roles. */
  territoryRole: string | null;
  /** Manager level above the direct payee. */
  level: number;
}

const percentH = (p: string): number => Math.round(Number(p) * 100);
const DIRECT: ReadonlySet<CreditRole> = new Set(['Owner', 'Revenue Split']);

/**
 * Who is credited on a won deal: the owner, or the revenue split holders (which total 100%); overlay
 * split holders; territory members; and the forecast managers above each direct payee. Duplicates are
 * removed so no one is paid twice for one deal: claims of one payee in one role merge, a payee keeps
 * at most one indirect claim (overlay before territory before manager) and none beside a direct one,
 * and a manager is credited at most 100% however many of their reps share the deal.
 */
export class Crediting {
  private readonly roleParent = new Map<string, string | null>();
  private readonly roleManager = new Map<string, string | null>();
  private readonly userRole = new Map<string, string | null>();
  private readonly moves = new Map<string, { day: number; roleId: string }[]>();
  private readonly members = new Map<string, (TerritoryMember & { fromDay: number; toDay: number })[]>();
  private readonly names = new Map<string, string>();
  duplicatesRemoved = 0;

  constructor(snapshot: Snapshot) {
    for (const r of snapshot.roles) {
      this.roleParent.set(r.id, r.parentRoleId);
      this.roleManager.set(r.id, r.forecastManagerId);
    }
    for (const u of snapshot.users) {
      this.userRole.set(u.id, u.roleId);
      this.names.set(u.id, u.name);
    }
    for (const a of snapshot.roleAssignments) {
      const list = this.moves.get(a.userId) ?? [];
      list.push({ day: toDayNumber(a.startDate), roleId: a.roleId });
      this.moves.set(a.userId, list);
    }
    for (const list of this.moves.values()) list.sort((a, b) => a.day - b.day);
    for (const m of snapshot.territoryMembers) {
      const list = this.members.get(m.territoryId) ?? [];
      list.push({
        ...m,
        fromDay: m.startDate ? toDayNumber(m.startDate) : -Infinity,
        toDay: m.endDate ? toDayNumber(m.endDate) : Infinity,
      });
      this.members.set(m.territoryId, list);
    }
  }

  nameOf(userId: string): string {
    return this.names.get(userId) ?? userId;
  }

  roleOn(userId: string, day: number): string | null {
    const list = this.moves.get(userId);
    if (!list || list.length === 0) return this.userRole.get(userId) ?? null;
    let role: string | null = null;
    for (const m of list) if (m.day <= day) role = m.roleId;
    // Before the first dated move the user held the role the move replaced: unknown, so the first one.
    return role ?? list[0]!.roleId;
  }

  candidates(opp: Opportunity, day: number): Candidate[] {
    if (opp.splits.length === 0 && (opp.territoryId === null || !this.members.has(opp.territoryId)))
      return this.ownerAndManagers(opp.ownerId, day);
    const out: Candidate[] = [];
    const revenue = opp.splits.filter((s) => s.splitType === 'revenue');
    if (revenue.length === 0)
      out.push({
        payee: opp.ownerId,
        role: 'Owner',
        percentH: 10_000,
        via: null,
        territoryRole: null,
        level: 0,
      });
    else
      for (const s of revenue)
        out.push({
          payee: s.userId,
          role: 'Revenue Split',
          percentH: percentH(s.percent),
          via: null,
          territoryRole: null,
          level: 0,
        });
    for (const s of opp.splits)
      if (s.splitType === 'overlay')
        out.push({
          payee: s.userId,
          role: 'Overlay',
          percentH: percentH(s.percent),
          via: null,
          territoryRole: null,
          level: 0,
        });
    if (opp.territoryId !== null)
      for (const m of this.members.get(opp.territoryId) ?? [])
        if (m.fromDay <= day && m.toDay >= day)
          out.push({
            payee: m.userId,
            role: 'Territory',
            percentH: 0,
            via: `${m.role} in territory ${opp.territoryId}`,
            territoryRole: m.role,
            level: 0,
          });
    // Managers above each direct payee, their share the sum of their reps' direct shares (max 100%).
    const managerShare = new Map<string, { percentH: number; level: number; reps: string[] }>();
    for (const c of out) {
      if (!DIRECT.has(c.role)) continue;
      let role = this.roleOn(c.payee, day);
      const seen = new Set<string>();
      for (let level = 1; level <= 10 && role !== null && !seen.has(role); level += 1) {
        seen.add(role);
        const parent = this.roleParent.get(role) ?? null;
        if (parent === null) break;
        const manager = this.roleManager.get(parent) ?? null;
        if (manager !== null && manager !== c.payee) {
          const prev = managerShare.get(manager);
          if (prev) {
            prev.percentH += c.percentH;
            prev.reps.push(this.nameOf(c.payee));
            prev.level = Math.min(prev.level, level);
          } else managerShare.set(manager, { percentH: c.percentH, level, reps: [this.nameOf(c.payee)] });
        }
        role = parent;
      }
    }
    for (const [payee, m] of managerShare) {
      if (m.reps.length > 1) this.duplicatesRemoved += m.reps.length - 1;
      if (m.percentH > 10_000) m.percentH = 10_000;
      out.push({
        payee,
        role: 'Manager',
        percentH: m.percentH,
        via: `manager of ${[...new Set(m.reps)].join(', ')} (level ${m.level})`,
        territoryRole: null,
        level: m.level,
      });
    }
    return this.dedupe(out);
  }

  /** The common case (no splits, no territory team): the owner and the managers above, no merging needed. */
  private ownerAndManagers(owner: string, day: number): Candidate[] {
    const out: Candidate[] = [
      { payee: owner, role: 'Owner', percentH: 10_000, via: null, territoryRole: null, level: 0 },
    ];
    let role = this.roleOn(owner, day);
    for (let level = 1; level <= 10 && role !== null; level += 1) {
      const parent = this.roleParent.get(role) ?? null;
      if (parent === null) break;
      const manager = this.roleManager.get(parent) ?? null;
      if (manager !== null && manager !== owner && !out.some((c) => c.payee === manager))
        out.push({
          payee: manager,
          role: 'Manager',
          percentH: 10_000,
          via: `manager of ${this.nameOf(owner)} (level ${level})`,
          territoryRole: null,
          level,
        });
      role = parent;
    }
    return out;
  }

  private dedupe(list: Candidate[]): Candidate[] {
    const merged = new Map<string, Candidate>();
    for (const c of list) {
      const key = `${c.payee}|${c.role}`;
      const prev = merged.get(key);
      if (!prev) {
        merged.set(key, { ...c });
        continue;
      }
      this.duplicatesRemoved += 1;
      if (c.role === 'Revenue Split' || c.role === 'Overlay') prev.percentH += c.percentH;
    }
    // One indirect credit per payee and deal, and none on top of a direct one: overlay, then
    // territory, then manager.
    const direct = new Set<string>();
    const overlay = new Set<string>();
    const territory = new Set<string>();
    for (const c of merged.values()) {
      if (DIRECT.has(c.role)) direct.add(c.payee);
      if (c.role === 'Overlay') overlay.add(c.payee);
      if (c.role === 'Territory') territory.add(c.payee);
    }
    const out: Candidate[] = [];
    for (const c of merged.values()) {
      const dup =
        (c.role === 'Territory' && (direct.has(c.payee) || overlay.has(c.payee))) ||
        (c.role === 'Manager' && (direct.has(c.payee) || overlay.has(c.payee) || territory.has(c.payee)));
      if (dup) this.duplicatesRemoved += 1;
      else out.push(c);
    }
    return out;
  }
}
