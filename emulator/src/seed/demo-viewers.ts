/**
 * The demo's viewing users: a known rep, their manager and a sales ops admin, each with a password
 * and the permission set of their audience, so a preview (or anyone) can log in as them through
 * the org's normal OAuth or SOAP login and see what that person would see.
 *
 * They are added to an org that has demo data (`ensureDemoViewers`, run by `salesops org start`
 * after seeding, and on every later start of the same org file). The rep and the manager are
 * people of the generated sales organisation, renamed to stable usernames; the ops admin is a new
 * user. Every other generated user gets the permission set of their role too (Account Executives
 * SalesOps_Rep, managers, VPs and the CRO SalesOps_Manager), so any of them can be viewed as.
 */
import { setPassword } from '../bootstrap';
import type { Org } from '../org';
import { invalidateAccess } from '../sharing/access';
import { assignPermissionSet, hasPermissionObjects } from '../sharing/install';
import { quoteIdent, toSecond } from '../store/codec';
import { RowWriter } from '../store/row-writer';
import { getMeta } from '../store/database';

export type DemoViewerRole = 'rep' | 'manager' | 'ops-admin';

export interface DemoViewer {
  username: string;
  password: string;
  label: string;
  role: DemoViewerRole;
}

/** A demo viewer as the org has them, once `ensureDemoViewers` has run. */
export interface DemoViewerUser extends DemoViewer {
  userId: string;
  name: string;
}

const VIEWERS: readonly DemoViewer[] = [
  { username: 'rep@salesops.demo', password: 'salesops-rep-1', label: 'Sales rep', role: 'rep' },
  {
    username: 'manager@salesops.demo',
    password: 'salesops-manager-1',
    label: "Sales manager (the rep's manager)",
    role: 'manager',
  },
  { username: 'ops@salesops.demo', password: 'salesops-ops-1', label: 'Sales ops admin', role: 'ops-admin' },
];

const PERMISSION_SET: Record<DemoViewerRole, string> = {
  rep: 'SalesOps_Rep',
  manager: 'SalesOps_Manager',
  'ops-admin': 'SalesOps_Admin',
};

/** The demo viewers with their documented usernames and passwords (no org needed). */
export function listDemoViewers(): DemoViewer[] {
  return VIEWERS.map((v) => ({ ...v }));
}

/**
 * Makes the demo viewers exist in an org with demo data (idempotent) and returns them with their
 * user ids and names; an org without demo data gets none. Passwords are set on every call, so the
 * documented ones always work.
 */
export function ensureDemoViewers(org: Org): DemoViewerUser[] {
  // The generator's mark (seed/index.ts): only an org with demo data has a sales organisation.
  if (!getMeta(org.db, 'demoSeed')) return [];
  const tx = org.db.transaction((): DemoViewerUser[] => {
    const rep =
      userByUsername(org, VIEWERS[0].username) ?? renameUser(org, pickRep(org), VIEWERS[0].username);
    const manager =
      userByUsername(org, VIEWERS[1].username) ??
      renameUser(org, managerOf(org, rep?.id ?? null), VIEWERS[1].username);
    const ops = userByUsername(org, VIEWERS[2].username) ?? createOpsAdmin(org);
    const found = [rep, manager, ops];
    if (hasPermissionObjects(org)) assignByTitle(org);
    const out: DemoViewerUser[] = [];
    VIEWERS.forEach((v, i) => {
      const user = found[i];
      if (!user) return;
      setPassword(org, v.username, v.password);
      if (hasPermissionObjects(org)) assignPermissionSet(org, user.id, PERMISSION_SET[v.role], adminId(org));
      out.push({ ...v, label: `${v.label}: ${user.name}`, userId: user.id, name: user.name });
    });
    return out;
  });
  const viewers = tx();
  invalidateAccess(org);
  return viewers;
}

/** The demo viewers present in the org (after `ensureDemoViewers`), with ids and names. */
export function demoViewersOf(org: Org): DemoViewerUser[] {
  const out: DemoViewerUser[] = [];
  for (const v of VIEWERS) {
    const user = userByUsername(org, v.username);
    if (user) out.push({ ...v, label: `${v.label}: ${user.name}`, userId: user.id, name: user.name });
  }
  return out;
}

interface UserRef {
  id: string;
  name: string;
}

function userByUsername(org: Org, username: string): UserRef | null {
  const row = org.db
    .prepare('SELECT "Id" AS id, "Name" AS name FROM "User" WHERE "Username" = ?')
    .get(username) as UserRef | undefined;
  return row ?? null;
}

/**
 * The rep the demo shows: in the first team (managers in id order), the active Account Executive
 * who owns the most opportunities, so every widget has something to show.
 */
function pickRep(org: Org): string | null {
  const hasOpps = org.schema.find('Opportunity') !== undefined;
  const book = hasOpps
    ? '(SELECT count(*) FROM "Opportunity" o WHERE o."OwnerId" = u."Id" AND o."IsDeleted" = 0)'
    : '0';
  const row = org.db
    .prepare(
      `SELECT u."Id" AS id FROM "User" u
       JOIN "User" m ON m."Id" = u."ManagerId" AND m."Title" = 'Sales Manager'
       WHERE u."Title" = 'Account Executive' AND u."IsActive" = 1
       ORDER BY m."Id", ${book} DESC, u."Id" LIMIT 1`,
    )
    .get() as { id: string } | undefined;
  return row?.id ?? null;
}

function managerOf(org: Org, userId: string | null): string | null {
  if (!userId) return null;
  const row = org.db.prepare('SELECT "ManagerId" AS id FROM "User" WHERE "Id" = ?').get(userId) as
    { id: string | null } | undefined;
  return row?.id ?? null;
}

function renameUser(org: Org, userId: string | null, username: string): UserRef | null {
  if (!userId) return null;
  const stamp = toSecond(org.now());
  org.db
    .prepare('UPDATE "User" SET "Username" = ?, "LastModifiedDate" = ?, "SystemModstamp" = ? WHERE "Id" = ?')
    .run(username, stamp, stamp, userId);
  const row = org.db.prepare('SELECT "Name" AS name FROM "User" WHERE "Id" = ?').get(userId) as {
    name: string;
  };
  return { id: userId, name: row.name };
}

function createOpsAdmin(org: Org): UserRef {
  const profile = org.db
    .prepare(`SELECT "Id" FROM "Profile" WHERE "Name" = 'Standard User' ORDER BY "Id" LIMIT 1`)
    .get() as { Id: string } | undefined;
  const currency = org.settings.corporateCurrency;
  const values: Record<string, unknown> = {
    Username: VIEWERS[2].username,
    FirstName: 'Olivia',
    LastName: 'Ops',
    Name: 'Olivia Ops',
    Title: 'Sales Operations Manager',
    Department: 'Sales Operations',
    CompanyName: 'SalesOps Demo',
    Email: VIEWERS[2].username,
    Alias: 'oops',
    CommunityNickname: 'olivia.ops',
    IsActive: true,
    TimeZoneSidKey: 'America/Los_Angeles',
    LocaleSidKey: 'en_US',
    EmailEncodingKey: 'UTF-8',
    LanguageLocaleKey: 'en_US',
    ProfileId: profile?.Id ?? null,
    UserType: 'Standard',
    DefaultCurrencyIsoCode: currency,
    CurrencyIsoCode: currency,
  };
  // Only the columns this org's User object has (a trimmed schema may lack a few).
  const known = Object.fromEntries(Object.entries(values).filter(([k]) => org.schema.field('User', k)));
  const id = new RowWriter(org, 'User').insert(known, adminId(org));
  return { id, name: 'Olivia Ops' };
}

/** Every generated seller gets their audience's permission set, so any of them can be viewed as. */
function assignByTitle(org: Org): void {
  const admin = adminId(org);
  const users = org.db
    .prepare(
      `SELECT "Id" AS id, "Title" AS title FROM "User" WHERE "Title" IN ('Account Executive', 'Sales Manager', 'Chief Revenue Officer') OR "Title" LIKE 'VP Sales%' ORDER BY "Id"`,
    )
    .all() as Array<{ id: string; title: string }>;
  for (const u of users) {
    assignPermissionSet(
      org,
      u.id,
      u.title === 'Account Executive' ? 'SalesOps_Rep' : 'SalesOps_Manager',
      admin,
    );
  }
}

function adminId(org: Org): string | null {
  const row = org.db
    .prepare(`SELECT "Id" FROM ${quoteIdent('User')} WHERE "Username" = 'admin@salesops.demo'`)
    .get() as { Id: string } | undefined;
  return row?.Id ?? null;
}
