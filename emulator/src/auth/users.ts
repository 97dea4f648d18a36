import { to18 } from '../ids';
import type { Org } from '../org';
import { quoteIdent } from '../store/codec';

/** What login, identity and SOAP answers need to know about a User row. */
export interface OrgUser {
  id: string;
  username: string;
  firstName: string | null;
  lastName: string;
  name: string;
  email: string;
  nickname: string | null;
  alias: string | null;
  isActive: boolean;
  userType: string;
  profileId: string | null;
  roleId: string | null;
  language: string;
  locale: string;
  timeZone: string;
  currencyIsoCode: string | null;
  lastModifiedDate: number | null;
}

const COLUMNS = [
  'Id',
  'Username',
  'FirstName',
  'LastName',
  'Name',
  'Email',
  'CommunityNickname',
  'Alias',
  'IsActive',
  'UserType',
  'ProfileId',
  'UserRoleId',
  'LanguageLocaleKey',
  'LocaleSidKey',
  'TimeZoneSidKey',
  'DefaultCurrencyIsoCode',
  'LastModifiedDate',
] as const;

type UserRow = Record<(typeof COLUMNS)[number], string | number | null>;

/** Only the columns this org's User object really has, so a trimmed schema still works. */
function selectList(org: Org): string {
  return COLUMNS.map((c) => (org.schema.field('User', c) ? quoteIdent(c) : `NULL AS ${quoteIdent(c)}`)).join(
    ', ',
  );
}

function toUser(row: UserRow): OrgUser {
  const str = (v: string | number | null): string | null => (v === null ? null : String(v));
  return {
    id: String(row.Id),
    username: String(row.Username),
    firstName: str(row.FirstName),
    lastName: str(row.LastName) ?? '',
    name: str(row.Name) ?? [row.FirstName, row.LastName].filter(Boolean).join(' '),
    email: str(row.Email) ?? '',
    nickname: str(row.CommunityNickname),
    alias: str(row.Alias),
    isActive: row.IsActive === null ? true : Number(row.IsActive) === 1,
    userType: str(row.UserType) ?? 'Standard',
    profileId: str(row.ProfileId),
    roleId: str(row.UserRoleId),
    language: str(row.LanguageLocaleKey) ?? 'en_US',
    locale: str(row.LocaleSidKey) ?? 'en_US',
    timeZone: str(row.TimeZoneSidKey) ?? 'GMT',
    currencyIsoCode: str(row.DefaultCurrencyIsoCode),
    lastModifiedDate: row.LastModifiedDate === null ? null : Number(row.LastModifiedDate),
  };
}

/** Usernames are case-insensitive in Salesforce, as the column's NOCASE collation makes them here. */
export function findUserByUsername(org: Org, username: string): OrgUser | null {
  const row = org.db
    .prepare(`SELECT ${selectList(org)} FROM ${quoteIdent('User')} WHERE ${quoteIdent('Username')} = ?`)
    .get(username) as UserRow | undefined;
  return row ? toUser(row) : null;
}

/** Accepts 15- or 18-character ids; null for anything else or an unknown user. */
export function findUserById(org: Org, id: string): OrgUser | null {
  const id18 = to18(id);
  if (!id18) return null;
  const row = org.db
    .prepare(`SELECT ${selectList(org)} FROM ${quoteIdent('User')} WHERE ${quoteIdent('Id')} = ?`)
    .get(id18) as UserRow | undefined;
  return row ? toUser(row) : null;
}

/** The organization's display name, for SOAP userInfo. */
export function organizationName(org: Org): string {
  if (!org.schema.find('Organization')) return 'Embedded Org';
  const row = org.db
    .prepare(
      `SELECT ${quoteIdent('Name')} AS name FROM ${quoteIdent('Organization')} WHERE ${quoteIdent('Id')} = ?`,
    )
    .get(org.orgId) as { name: string | null } | undefined;
  return row?.name ?? 'Embedded Org';
}
