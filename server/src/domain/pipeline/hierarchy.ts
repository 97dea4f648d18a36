import { toDayNumber } from '../calendar/dates';
import type { Role, Snapshot, Territory, User } from '../snapshot/types';

export type NodeType = 'user' | 'territory' | 'org';

export interface ForecastNode {
  /** user:<id>, user:<id>@role:<roleId> (a placeholder for a former team), territory:<id>, org */
  key: string;
  type: NodeType;
  ownerId: string;
  /** Set on placeholder nodes: the former role whose team keeps the deals. */
  viaRoleId: string | null;
  /** Who may make owner adjustments on this node. */
  ownerUserId: string | null;
  parentKey: string | null;
  depth: number;
}

export const ORG_KEY = 'org';
export const UNASSIGNED_TERRITORY = 'UNASSIGNED';

/** A forecast hierarchy: nodes plus a children-before-parents order for roll-ups. */
export class ForecastTree {
  readonly nodes = new Map<string, ForecastNode>();
  private orderCache: ForecastNode[] | null = null;

  constructor() {
    this.nodes.set(ORG_KEY, {
      key: ORG_KEY,
      type: 'org',
      ownerId: 'org',
      viaRoleId: null,
      ownerUserId: null,
      parentKey: null,
      depth: 0,
    });
  }

  add(node: Omit<ForecastNode, 'depth'>): ForecastNode {
    const existing = this.nodes.get(node.key);
    if (existing) return existing;
    const parent = node.parentKey === null ? undefined : this.nodes.get(node.parentKey);
    const full = { ...node, depth: parent ? parent.depth + 1 : 1 };
    this.nodes.set(node.key, full);
    this.orderCache = null;
    return full;
  }

  /** Children before parents; ties by key, so the order is deterministic. */
  postOrder(): ForecastNode[] {
    if (!this.orderCache) {
      this.orderCache = [...this.nodes.values()].sort(
        (a, b) => b.depth - a.depth || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
      );
    }
    return this.orderCache;
  }

  ancestors(key: string): ForecastNode[] {
    const out: ForecastNode[] = [];
    let current = this.nodes.get(key)?.parentKey ?? null;
    while (current !== null) {
      const node = this.nodes.get(current)!;
      out.push(node);
      current = node.parentKey;
    }
    return out;
  }
}

/**
 * The role hierarchy as a tree of users: a rep rolls up to the forecast manager of their role, a
 * manager to the forecast manager of the nearest ancestor role that has one (Collaborative Forecasts).
 */
export class RoleHierarchy {
  readonly tree = new ForecastTree();
  private readonly roles: Map<string, Role>;
  private readonly users: Map<string, User>;
  private readonly assignments = new Map<string, { day: number; roleId: string }[]>();
  private readonly currentRole = new Map<string, string | null>();
  private readonly nodeCache = new Map<string, string>();

  constructor(
    snapshot: Snapshot,
    private readonly asOfDay: number,
    private readonly attribution: 'current' | 'atDealDate',
  ) {
    this.roles = new Map(snapshot.roles.map((r) => [r.id, r]));
    this.users = new Map(snapshot.users.map((u) => [u.id, u]));
    for (const a of snapshot.roleAssignments) {
      const list = this.assignments.get(a.userId) ?? [];
      list.push({ day: toDayNumber(a.startDate), roleId: a.roleId });
      this.assignments.set(a.userId, list);
    }
    for (const list of this.assignments.values()) list.sort((a, b) => a.day - b.day);
    for (const u of snapshot.users) this.userNode(u.id);
  }

  roleAt(userId: string, day: number): string | null {
    const list = this.assignments.get(userId);
    if (!list || list.length === 0) return this.users.get(userId)?.roleId ?? null;
    let roleId = list[0]!.roleId;
    for (const a of list) {
      if (a.day <= day) roleId = a.roleId;
      else break;
    }
    return roleId;
  }

  /** Forecast manager above `roleId` for `userId`, skipping the user themself. */
  managerFor(roleId: string | null, userId: string): string | null {
    let current = roleId === null ? undefined : this.roles.get(roleId);
    while (current) {
      if (current.forecastManagerId !== null && current.forecastManagerId !== userId)
        return current.forecastManagerId;
      current = current.parentRoleId === null ? undefined : this.roles.get(current.parentRoleId);
    }
    return null;
  }

  /** The node a deal owned by `userId` and dated `dealDay` is credited to. */
  nodeFor(userId: string, dealDay: number): string {
    if (this.attribution === 'current') return this.userNode(userId);
    const role = this.roleAt(userId, Math.min(dealDay, this.asOfDay));
    if (role === this.current(userId)) return this.userNode(userId);
    const key = `user:${userId}@role:${role ?? 'none'}`;
    if (!this.tree.nodes.has(key)) {
      const manager = this.managerFor(role, userId);
      this.tree.add({
        key,
        type: 'user',
        ownerId: userId,
        viaRoleId: role,
        ownerUserId: userId,
        parentKey: manager === null ? 'org' : this.userNode(manager),
      });
    }
    return key;
  }

  userNode(userId: string): string {
    const cached = this.nodeCache.get(userId);
    if (cached) return cached;
    const key = `user:${userId}`;
    // Guard against a manager loop in data (A manages B's role, B manages A's): break it at the org.
    this.nodeCache.set(userId, key);
    const manager = this.managerFor(this.current(userId), userId);
    let parentKey = 'org';
    if (manager !== null && !this.createsLoop(userId, manager)) parentKey = this.userNode(manager);
    this.tree.add({ key, type: 'user', ownerId: userId, viaRoleId: null, ownerUserId: userId, parentKey });
    return key;
  }

  private current(userId: string): string | null {
    if (!this.currentRole.has(userId)) this.currentRole.set(userId, this.roleAt(userId, this.asOfDay));
    return this.currentRole.get(userId)!;
  }

  private createsLoop(userId: string, managerId: string): boolean {
    const seen = new Set([userId]);
    let current: string | null = managerId;
    while (current !== null) {
      if (seen.has(current)) return true;
      seen.add(current);
      current = this.managerFor(this.current(current), current);
    }
    return false;
  }
}

export class TerritoryHierarchy {
  readonly tree = new ForecastTree();

  constructor(territories: readonly Territory[]) {
    const byId = new Map(territories.map((t) => [t.id, t]));
    const add = (t: Territory): string => {
      const key = `territory:${t.id}`;
      if (!this.tree.nodes.has(key)) {
        const parent = t.parentId === null ? undefined : byId.get(t.parentId);
        this.tree.add({
          key,
          type: 'territory',
          ownerId: t.id,
          viaRoleId: null,
          ownerUserId: t.forecastManagerId,
          parentKey: parent ? add(parent) : 'org',
        });
      }
      return key;
    };
    territories.forEach(add);
  }

  nodeFor(territoryId: string | null): string {
    if (territoryId !== null) return `territory:${territoryId}`;
    const key = `territory:${UNASSIGNED_TERRITORY}`;
    this.tree.add({
      key,
      type: 'territory',
      ownerId: UNASSIGNED_TERRITORY,
      viaRoleId: null,
      ownerUserId: null,
      parentKey: 'org',
    });
    return key;
  }
}
