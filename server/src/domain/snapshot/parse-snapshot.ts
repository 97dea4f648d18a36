import { fastParseSnapshot } from './fast-parse';
import { SnapshotSchema } from './schema';
import type { Snapshot } from './types';

export interface SnapshotIssue {
  /** JSONPath of the offending value, e.g. $.opportunities[3].closeDate */
  path: string;
  message: string;
}

export type ParseResult = { ok: true; snapshot: Snapshot } | { ok: false; errors: SnapshotIssue[] };

export function jsonPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (acc, part) => (typeof part === 'number' ? `${acc}[${part}]` : `${acc}.${String(part)}`),
    '$',
  );
}

/**
 * Validates the JSON form and the references between sections, and reports every problem at once,
 * each with its JSON path, so an exported file can be fixed in one go.
 */
export function parseSnapshot(json: unknown): ParseResult {
  // The fast path gives zod's result for valid input; on anything invalid zod itself reports.
  const fast = fastParseSnapshot(json);
  if (fast !== null) {
    const errors = checkReferences(fast);
    return errors.length > 0 ? { ok: false, errors } : { ok: true, snapshot: fast };
  }
  const parsed = SnapshotSchema.safeParse(json);
  if (!parsed.success) {
    return {
      ok: false,
      errors: parsed.error.issues.map((issue) => ({ path: jsonPath(issue.path), message: issue.message })),
    };
  }
  const errors = checkReferences(parsed.data);
  return errors.length > 0 ? { ok: false, errors } : { ok: true, snapshot: parsed.data };
}

function checkReferences(s: Snapshot): SnapshotIssue[] {
  const errors: SnapshotIssue[] = [];
  const fail = (path: string, message: string): void => {
    errors.push({ path, message });
  };
  const idsOf = (section: string, items: readonly { id: string }[]): Set<string> => {
    const ids = new Set<string>();
    items.forEach((item, i) => {
      if (ids.has(item.id)) fail(`$.${section}[${i}].id`, `duplicate id ${item.id}`);
      ids.add(item.id);
    });
    return ids;
  };
  const users = idsOf('users', s.users);
  const roles = idsOf('roles', s.roles);
  const territories = idsOf('territories', s.territories);
  const accounts = idsOf('accounts', s.accounts);
  const opportunities = idsOf('opportunities', s.opportunities);
  idsOf('adjustments', s.adjustments);
  const currencies = new Set([s.corporateCurrency, ...s.currencies.map((c) => c.code)]);
  const ref = (path: string, value: string | null, set: Set<string>, what: string): void => {
    if (value !== null && !set.has(value)) fail(path, `unknown ${what} ${value}`);
  };
  const currency = (path: string, code: string): void => {
    if (!currencies.has(code)) fail(path, `currency ${code} is not listed in $.currencies`);
  };

  s.datedRates.forEach((r, i) => currency(`$.datedRates[${i}].currency`, r.currency));
  s.currencies.forEach((c, i) => {
    if (Number(c.staticRate) <= 0)
      fail(`$.currencies[${i}].staticRate`, 'a conversion rate must be positive');
  });
  s.datedRates.forEach((r, i) => {
    if (Number(r.rate) <= 0) fail(`$.datedRates[${i}].rate`, 'a conversion rate must be positive');
  });
  s.roles.forEach((r, i) => {
    ref(`$.roles[${i}].parentRoleId`, r.parentRoleId, roles, 'role');
    ref(`$.roles[${i}].forecastManagerId`, r.forecastManagerId, users, 'user');
  });
  checkAcyclic(
    s.roles.map((r) => [r.id, r.parentRoleId]),
    'roles',
    'parentRoleId',
    fail,
  );
  s.users.forEach((u, i) => ref(`$.users[${i}].roleId`, u.roleId, roles, 'role'));
  s.roleAssignments.forEach((a, i) => {
    ref(`$.roleAssignments[${i}].userId`, a.userId, users, 'user');
    ref(`$.roleAssignments[${i}].roleId`, a.roleId, roles, 'role');
  });
  s.territories.forEach((t, i) => {
    ref(`$.territories[${i}].parentId`, t.parentId, territories, 'territory');
    ref(`$.territories[${i}].forecastManagerId`, t.forecastManagerId, users, 'user');
  });
  checkAcyclic(
    s.territories.map((t) => [t.id, t.parentId]),
    'territories',
    'parentId',
    fail,
  );
  s.accounts.forEach((a, i) => {
    ref(`$.accounts[${i}].ownerId`, a.ownerId, users, 'user');
    ref(`$.accounts[${i}].territoryId`, a.territoryId, territories, 'territory');
  });
  s.opportunities.forEach((o, i) => {
    const at = `$.opportunities[${i}]`;
    ref(`${at}.ownerId`, o.ownerId, users, 'user');
    ref(`${at}.accountId`, o.accountId, accounts, 'account');
    ref(`${at}.territoryId`, o.territoryId, territories, 'territory');
    currency(`${at}.currency`, o.currency);
    if (o.isWon && !o.isClosed) fail(`${at}.isWon`, 'a won opportunity must be closed');
    o.splits.forEach((sp, j) => ref(`${at}.splits[${j}].userId`, sp.userId, users, 'user'));
    const revenue = o.splits.filter((sp) => sp.splitType === 'revenue');
    if (revenue.length > 0) {
      // Compare in hundredths of a percent to stay exact.
      const total = revenue.reduce((sum, sp) => sum + Math.round(Number(sp.percent) * 100), 0);
      if (total !== 10000) fail(`${at}.splits`, `revenue splits must total 100%, got ${total / 100}%`);
    }
  });
  s.history.forEach((h, i) => {
    ref(`$.history[${i}].opportunityId`, h.opportunityId, opportunities, 'opportunity');
    ref(`$.history[${i}].ownerId`, h.ownerId, users, 'user');
  });
  s.quotas.forEach((q, i) => {
    ref(`$.quotas[${i}].ownerId`, q.ownerId, q.ownerType === 'user' ? users : territories, q.ownerType);
    currency(`$.quotas[${i}].currency`, q.currency);
  });
  s.adjustments.forEach((a, i) => {
    ref(`$.adjustments[${i}].nodeId`, a.nodeId, a.nodeType === 'user' ? users : territories, a.nodeType);
    ref(`$.adjustments[${i}].authorId`, a.authorId, users, 'user');
    currency(`$.adjustments[${i}].currency`, a.currency);
  });
  s.submissions.forEach((sub, i) => {
    ref(`$.submissions[${i}].ownerId`, sub.ownerId, users, 'user');
    currency(`$.submissions[${i}].currency`, sub.currency);
  });
  return errors;
}

function checkAcyclic(
  edges: readonly (readonly [string, string | null])[],
  section: string,
  field: string,
  fail: (path: string, message: string) => void,
): void {
  const parent = new Map(edges);
  edges.forEach(([start], i) => {
    const seen = new Set<string>([start]);
    let current = parent.get(start) ?? null;
    while (current !== null) {
      if (seen.has(current)) {
        fail(`$.${section}[${i}].${field}`, `hierarchy cycle through ${current}`);
        return;
      }
      seen.add(current);
      current = parent.get(current) ?? null;
    }
  });
}
