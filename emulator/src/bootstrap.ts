import { createHash } from 'node:crypto';
import type { Org } from './org';
import { STAGES } from './schema/standard-objects';
import { getMeta, setMeta } from './store/database';
import { RowWriter } from './store/row-writer';

export interface OrgUserCredentials {
  username: string;
  password: string;
}

export interface BootstrapResult {
  adminUserId: string;
  integrationUserId: string;
}

export const ADMIN_USERNAME = 'admin@salesops.demo';
export const INTEGRATION_USERNAME = 'integration@salesops.demo';

/**
 * What every org has before any data: the Organization row, profiles, the stage list, a standard
 * price book, the corporate currency, an admin and an integration user. Runs once per org file.
 */
export function bootstrapOrg(
  org: Org,
  credentials: { adminPassword: string; integrationPassword: string },
): BootstrapResult {
  ensureCredentialTable(org);
  const done = getMeta(org.db, 'bootstrapped');
  if (done) {
    setPassword(org, ADMIN_USERNAME, credentials.adminPassword);
    setPassword(org, INTEGRATION_USERNAME, credentials.integrationPassword);
    return JSON.parse(done) as BootstrapResult;
  }
  const tx = org.db.transaction((): BootstrapResult => {
    const at = org.now();
    new RowWriter(org, 'Organization').insert(
      {
        Id: org.orgId,
        Name: 'SalesOps Demo Org',
        Country: 'US',
        DefaultLocaleSidKey: 'en_US',
        LanguageLocaleKey: 'en_US',
        TimeZoneSidKey: org.settings.timeZone,
        FiscalYearStartMonth: org.settings.fiscalYearStartMonth,
        DefaultCurrencyIsoCode: org.settings.corporateCurrency,
        OrganizationType: 'Enterprise Edition',
        InstanceName: 'EMU1',
      },
      null,
      at,
    );
    const profiles = new RowWriter(org, 'Profile');
    const adminProfile = profiles.insert(
      {
        Name: 'System Administrator',
        UserType: 'Standard',
        PermissionsModifyAllData: true,
        PermissionsViewAllData: true,
        PermissionsApiEnabled: true,
      },
      null,
      at,
    );
    profiles.insert({ Name: 'Standard User', UserType: 'Standard', PermissionsApiEnabled: true }, null, at);
    const users = new RowWriter(org, 'User');
    const baseUser = {
      TimeZoneSidKey: 'America/Los_Angeles',
      LocaleSidKey: 'en_US',
      EmailEncodingKey: 'UTF-8',
      LanguageLocaleKey: 'en_US',
      ProfileId: adminProfile,
      IsActive: true,
      UserType: 'Standard',
      DefaultCurrencyIsoCode: org.settings.corporateCurrency,
      CurrencyIsoCode: org.settings.corporateCurrency,
    };
    const adminUserId = users.insert(
      {
        ...baseUser,
        Username: ADMIN_USERNAME,
        FirstName: 'Ada',
        LastName: 'Admin',
        Name: 'Ada Admin',
        Email: ADMIN_USERNAME,
        Alias: 'aadmin',
      },
      null,
      at,
    );
    const integrationUserId = users.insert(
      {
        ...baseUser,
        Username: INTEGRATION_USERNAME,
        FirstName: 'SalesOps',
        LastName: 'Integration',
        Name: 'SalesOps Integration',
        Email: INTEGRATION_USERNAME,
        Alias: 'integ',
      },
      adminUserId,
      at,
    );
    const stages = new RowWriter(org, 'OpportunityStage');
    STAGES.forEach((s, i) =>
      stages.insert(
        {
          MasterLabel: s.name,
          ApiName: s.name,
          IsActive: true,
          SortOrder: i + 1,
          IsClosed: s.closed,
          IsWon: s.won,
          ForecastCategory:
            s.category === 'Closed' ? 'Closed' : s.category === 'Omitted' ? 'Omitted' : 'Pipeline',
          ForecastCategoryName: s.category,
          DefaultProbability: s.probability,
        },
        adminUserId,
        at,
      ),
    );
    if (org.schema.find('Pricebook2')) {
      new RowWriter(org, 'Pricebook2').insert(
        { Name: 'Standard Price Book', IsActive: true, IsStandard: true },
        adminUserId,
        at,
      );
    }
    if (org.schema.find('CurrencyType')) {
      new RowWriter(org, 'CurrencyType').insert(
        {
          IsoCode: org.settings.corporateCurrency,
          ConversionRate: 1,
          DecimalPlaces: 2,
          IsActive: true,
          IsCorporate: true,
        },
        adminUserId,
        at,
      );
    }
    const result = { adminUserId, integrationUserId };
    setMeta(org.db, 'bootstrapped', JSON.stringify(result));
    return result;
  });
  const result = tx();
  setPassword(org, ADMIN_USERNAME, credentials.adminPassword);
  setPassword(org, INTEGRATION_USERNAME, credentials.integrationPassword);
  return result;
}

function ensureCredentialTable(org: Org): void {
  org.db.exec(
    'CREATE TABLE IF NOT EXISTS _user_credential (username TEXT PRIMARY KEY COLLATE NOCASE, password_hash TEXT NOT NULL)',
  );
}

/** Passwords are stored hashed; the emulator never keeps a clear-text copy. */
export function setPassword(org: Org, username: string, password: string): void {
  ensureCredentialTable(org);
  org.db
    .prepare(
      'INSERT INTO _user_credential (username, password_hash) VALUES (?, ?) ON CONFLICT(username) DO UPDATE SET password_hash = excluded.password_hash',
    )
    .run(username, hashPassword(username, password));
}

export function checkPassword(org: Org, username: string, password: string): boolean {
  ensureCredentialTable(org);
  const row = org.db
    .prepare('SELECT password_hash FROM _user_credential WHERE username = ?')
    .get(username) as { password_hash: string } | undefined;
  return row !== undefined && row.password_hash === hashPassword(username, password);
}

function hashPassword(username: string, password: string): string {
  return createHash('sha256').update(`${username.toLowerCase()}\u0000${password}`).digest('hex');
}
