import { bootstrapOrg } from '../../emulator/src/bootstrap';
import { FixedClock } from '../../emulator/src/clock';
import { SfError } from '../../emulator/src/errors';
import { Org } from '../../emulator/src/org';
import { defineObject, lookup, multiPicklist, text } from '../../emulator/src/schema/field-builders';
import { CORE_STANDARD_OBJECTS } from '../../emulator/src/schema/standard-objects';
import { runQuery, type QueryPage } from '../../emulator/src/soql';
import { RowWriter } from '../../emulator/src/store/row-writer';

/**
 * The SOQL conformance table: a small fixed org, then one row per construct with the exact rows
 * (by Name, in order) or the exact error code Salesforce gives.
 *
 * The clock stands at 2024-05-15T03:30Z, which is Tuesday 2024-05-14 20:30 in Los Angeles, so
 * every date literal must be evaluated in the org's zone (UTC would already be the 15th). The
 * fiscal year starts in February, so fiscal quarters (Feb–Apr, May–Jul, …) differ from calendar
 * quarters and fiscal years (Feb–Jan) from calendar years.
 */

// A test-only custom object: the standard objects have no multi-select picklist.
const gadget = defineObject(
  { name: 'Gadget__c', label: 'Gadget', labelPlural: 'Gadgets', keyPrefix: '', custom: true, owner: true },
  [
    text('Name', 80, { nameField: true }),
    multiPicklist('Colors__c', ['Red', 'Green', 'Blue'], { custom: true }),
    lookup('Account__c', 'Account', 'Gadgets__r', { relationshipName: 'Account__r', custom: true }),
  ],
);

const NOW = Date.parse('2024-05-15T03:30:00Z');
let org: Org;
const ids: Record<string, string> = {};
let rita: string;

beforeAll(() => {
  org = new Org({
    dbFile: ':memory:',
    objects: [...CORE_STANDARD_OBJECTS, gadget],
    clock: new FixedClock(NOW),
    settings: { timeZone: 'America/Los_Angeles', fiscalYearStartMonth: 2 },
  });
  const { adminUserId } = bootstrapOrg(org, { adminPassword: 'pw-1', integrationPassword: 'pw-2' });
  const role = new RowWriter(org, 'UserRole').insert(
    { Name: 'VP Sales', DeveloperName: 'VP_Sales' },
    adminUserId,
  );
  rita = new RowWriter(org, 'User').insert(
    {
      Username: 'rita@salesops.demo',
      LastName: 'Rep',
      FirstName: 'Rita',
      Name: 'Rita Rep',
      Email: 'rita@salesops.demo',
      Alias: 'rrep',
      UserRoleId: role,
    },
    adminUserId,
  );
  const accounts = new RowWriter(org, 'Account');
  const acc = (name: string, values: Record<string, unknown>, owner: string) =>
    (ids[name] = accounts.insert({ Name: name, ...values, OwnerId: owner }, adminUserId));
  acc('Acme', { Industry: 'Banking', AnnualRevenue: 1000, NumberOfEmployees: 10, Rating: 'Hot' }, rita);
  acc('beta corp', { Industry: 'Energy', AnnualRevenue: 250.5 }, adminUserId);
  acc("O'Brien & Sons", { NumberOfEmployees: 5 }, rita);
  acc('Zeta_Co', { Industry: 'Banking' }, adminUserId);
  acc('Deleted Inc', { IsDeleted: 1 }, adminUserId);
  acc('100% Pure', { Industry: 'Retail', NumberOfEmployees: 100 }, adminUserId);
  acc('ZetaXCo', {}, adminUserId);
  org.db.prepare('UPDATE "Account" SET "ParentId" = ? WHERE "Id" = ?').run(ids.Acme, ids["O'Brien & Sons"]);

  const opps = new RowWriter(org, 'Opportunity');
  const old = Date.parse('2024-01-01T00:00:00Z');
  const opp = (name: string, values: Record<string, unknown>, owner: string, created = old) =>
    (ids[name] = opps.insert(
      { Name: name, StageName: 'Prospecting', ...values, OwnerId: owner },
      adminUserId,
      created,
    ));
  opp(
    'Big Deal',
    { AccountId: ids.Acme, Amount: 5000, CloseDate: '2024-05-14' },
    rita,
    Date.parse('2024-05-15T03:00:00Z'),
  );
  opp(
    'Small Deal',
    {
      AccountId: ids.Acme,
      Amount: 100,
      StageName: 'Closed Won',
      IsWon: 1,
      IsClosed: 1,
      CloseDate: '2024-05-13',
    },
    adminUserId,
    Date.parse('2024-05-14T06:00:00Z'),
  );
  opp(
    'Renewal',
    { AccountId: ids['beta corp'], StageName: 'Qualification', CloseDate: '2024-04-30' },
    adminUserId,
    Date.parse('2024-05-14T07:00:00Z'),
  );
  opp('Expansion', { AccountId: ids["O'Brien & Sons"], Amount: 2500.5, CloseDate: '2024-08-01' }, rita);
  opp('Orphan', { Amount: 300, StageName: 'Closed Lost', IsClosed: 1, CloseDate: '2024-01-31' }, adminUserId);
  opp(
    'Next Week',
    { AccountId: ids['beta corp'], Amount: 700, StageName: 'Negotiation/Review', CloseDate: '2024-05-20' },
    rita,
  );
  opp('Tomorrow Deal', { AccountId: ids['Deleted Inc'], Amount: 50, CloseDate: '2024-05-15' }, adminUserId);
  opp('Gone', { AccountId: ids.Acme, Amount: 999, CloseDate: '2024-05-14', IsDeleted: 1 }, adminUserId);

  const gadgets = new RowWriter(org, 'Gadget__c');
  gadgets.insert({ Name: 'Alpha', Colors__c: 'Red;Green', Account__c: ids.Acme }, adminUserId);
  gadgets.insert({ Name: 'Bravo', Colors__c: 'Blue', Account__c: ids.Acme }, adminUserId);
  gadgets.insert({ Name: 'Charlie', Account__c: ids['beta corp'] }, adminUserId);
  gadgets.insert({ Name: 'Delta', Colors__c: 'Green;Blue' }, adminUserId);
});

afterAll(() => org.close());

const run = (soql: string, scanAll = false): QueryPage =>
  runQuery(org, soql, { scanAll, apiVersion: '59.0' });
const names = (soql: string, scanAll = false): unknown[] => run(soql, scanAll).records.map((r) => r.Name);
function errorOf(soql: string): { code: string; message: string } {
  try {
    run(soql);
  } catch (err) {
    if (err instanceof SfError) return { code: err.errorCode, message: err.message };
    throw err;
  }
  throw new Error(`expected an error from: ${soql}`);
}

const ALL_OPPS = ['Big Deal', 'Small Deal', 'Renewal', 'Expansion', 'Orphan', 'Next Week', 'Tomorrow Deal'];
const O = (where: string) => `SELECT Name FROM Opportunity WHERE ${where} ORDER BY Name`;
const A = (where: string) => `SELECT Name FROM Account WHERE ${where} ORDER BY Name`;

describe('rows per construct', () => {
  const cases: Array<[string, string, unknown[]]> = [
    ['no WHERE: every live row in creation order', 'SELECT Name FROM Opportunity', ALL_OPPS],
    ['= on a number', O('Amount = 100'), ['Small Deal']],
    ['= on a decimal', O('Amount = 2500.5'), ['Expansion']],
    [
      '!= matches nulls too',
      O('Amount != 100'),
      ['Big Deal', 'Expansion', 'Next Week', 'Orphan', 'Renewal', 'Tomorrow Deal'],
    ],
    [
      '<> is !=',
      O('Amount <> 100'),
      ['Big Deal', 'Expansion', 'Next Week', 'Orphan', 'Renewal', 'Tomorrow Deal'],
    ],
    ['>', O('Amount > 300'), ['Big Deal', 'Expansion', 'Next Week']],
    ['>=', O('Amount >= 300'), ['Big Deal', 'Expansion', 'Next Week', 'Orphan']],
    ['<', O('Amount < 300'), ['Small Deal', 'Tomorrow Deal']],
    ['<=', O('Amount <= 300'), ['Orphan', 'Small Deal', 'Tomorrow Deal']],
    ['text = is case-insensitive', O("Name = 'big DEAL'"), ['Big Deal']],
    [
      'text > compares case-insensitively',
      O("Name > 'o'"),
      ['Orphan', 'Renewal', 'Small Deal', 'Tomorrow Deal'],
    ],
    ['boolean = true', O('IsWon = true'), ['Small Deal']],
    [
      'boolean = FALSE',
      O('IsClosed = FALSE'),
      ['Big Deal', 'Expansion', 'Next Week', 'Renewal', 'Tomorrow Deal'],
    ],
    ['date =', O('CloseDate = 2024-05-14'), ['Big Deal']],
    ['date >', O('CloseDate > 2024-05-14'), ['Expansion', 'Next Week', 'Tomorrow Deal']],
    ['= null', O('Amount = null'), ['Renewal']],
    ['reference = null', O('AccountId = null'), ['Orphan']],
    [
      '!= null',
      O('Amount != null'),
      ['Big Deal', 'Expansion', 'Next Week', 'Orphan', 'Small Deal', 'Tomorrow Deal'],
    ],
    ['OR', O("Amount > 1000 OR Name = 'Orphan'"), ['Big Deal', 'Expansion', 'Orphan']],
    ['AND', O('Amount > 100 AND Amount < 1000'), ['Next Week', 'Orphan']],
    [
      'parentheses then AND',
      O("(Amount > 1000 OR Amount < 100) AND Owner.Name = 'Rita Rep'"),
      ['Big Deal', 'Expansion'],
    ],
    [
      'OR then parentheses',
      O("Amount > 1000 OR (Amount < 100 AND StageName = 'Prospecting')"),
      ['Big Deal', 'Expansion', 'Tomorrow Deal'],
    ],
    [
      'NOT of a comparison is true on null',
      O('NOT Amount > 300'),
      ['Orphan', 'Renewal', 'Small Deal', 'Tomorrow Deal'],
    ],
    [
      'NOT of a parenthesised OR',
      O('NOT (Amount > 300 OR Amount = null)'),
      ['Orphan', 'Small Deal', 'Tomorrow Deal'],
    ],
    [
      '(NOT x LIKE y) as jsforce writes it',
      O("(NOT Name LIKE '%deal')"),
      ['Expansion', 'Next Week', 'Orphan', 'Renewal'],
    ],
    ['NOT binds tighter than AND', O("NOT Amount > 300 AND StageName = 'Prospecting'"), ['Tomorrow Deal']],
    ['LIKE prefix, case-insensitive', A("Name LIKE 'a%'"), ['Acme']],
    ['LIKE suffix', A("Name LIKE '%CO'"), ['Zeta_Co', 'ZetaXCo']],
    ['LIKE _ is one character', A("Name LIKE '_cme'"), ['Acme']],
    ['LIKE unescaped _ matches any character', A("Name LIKE 'Zeta_Co'"), ['Zeta_Co', 'ZetaXCo']],
    ['LIKE \\_ is a literal underscore', A("Name LIKE 'Zeta\\_Co'"), ['Zeta_Co']],
    ['LIKE \\% is a literal percent', A("Name LIKE '%\\%%'"), ['100% Pure']],
    ['LIKE with an escaped quote', A("Name LIKE 'O\\'Brien%'"), ["O'Brien & Sons"]],
    [
      'IN',
      O("StageName IN ('Prospecting', 'closed won')"),
      ['Big Deal', 'Expansion', 'Small Deal', 'Tomorrow Deal'],
    ],
    ['NOT IN', O("StageName NOT IN ('Prospecting')"), ['Next Week', 'Orphan', 'Renewal', 'Small Deal']],
    [
      'NOT IN matches nulls',
      A("Industry NOT IN ('Banking')"),
      ['100% Pure', 'beta corp', "O'Brien & Sons", 'ZetaXCo'],
    ],
    ['IN with null', A("Industry IN ('Energy', null)"), ['beta corp', "O'Brien & Sons", 'ZetaXCo']],
    [
      'semi-join on Id',
      A('Id IN (SELECT AccountId FROM Opportunity WHERE Amount > 1000)'),
      ['Acme', "O'Brien & Sons"],
    ],
    [
      'anti-join on Id',
      A('Id NOT IN (SELECT AccountId FROM Opportunity)'),
      ['100% Pure', 'Zeta_Co', 'ZetaXCo'],
    ],
    [
      'semi-join on a reference field',
      O("AccountId IN (SELECT Id FROM Account WHERE Industry = 'Banking')"),
      ['Big Deal', 'Small Deal'],
    ],
    [
      'parent path in WHERE',
      O("Account.Owner.UserRole.Name = 'VP Sales'"),
      ['Big Deal', 'Expansion', 'Small Deal'],
    ],
    [
      'INCLUDES one value',
      "SELECT Name FROM Gadget__c WHERE Colors__c INCLUDES ('Red') ORDER BY Name",
      ['Alpha'],
    ],
    [
      'INCLUDES a;b means both',
      "SELECT Name FROM Gadget__c WHERE Colors__c INCLUDES ('Green;Blue') ORDER BY Name",
      ['Delta'],
    ],
    [
      'INCLUDES a list means any',
      "SELECT Name FROM Gadget__c WHERE Colors__c INCLUDES ('Red', 'Blue') ORDER BY Name",
      ['Alpha', 'Bravo', 'Delta'],
    ],
    [
      'INCLUDES is case-insensitive',
      "SELECT Name FROM Gadget__c WHERE Colors__c INCLUDES ('green') ORDER BY Name",
      ['Alpha', 'Delta'],
    ],
    [
      'EXCLUDES matches nulls',
      "SELECT Name FROM Gadget__c WHERE Colors__c EXCLUDES ('Red') ORDER BY Name",
      ['Bravo', 'Charlie', 'Delta'],
    ],
    ['datetime literal Z', O('CreatedDate = 2024-05-14T07:00:00Z'), ['Renewal']],
    ['datetime literal with offset', O('CreatedDate = 2024-05-14T00:00:00-07:00'), ['Renewal']],
    ['datetime literal with millis', O('CreatedDate = 2024-05-14T07:00:00.000Z'), ['Renewal']],
    ['datetime literal +hh:mm', O('CreatedDate > 2024-05-14T08:00:00+02:00'), ['Big Deal', 'Renewal']],
    [
      'datetime <',
      O('CreatedDate < 2024-01-01T00:00:01Z'),
      ['Expansion', 'Next Week', 'Orphan', 'Tomorrow Deal'],
    ],
    [
      'ORDER BY ASC puts nulls first',
      'SELECT Name FROM Opportunity ORDER BY Amount',
      ['Renewal', 'Tomorrow Deal', 'Small Deal', 'Orphan', 'Next Week', 'Expansion', 'Big Deal'],
    ],
    [
      'ORDER BY DESC puts nulls last',
      'SELECT Name FROM Opportunity ORDER BY Amount DESC',
      ['Big Deal', 'Expansion', 'Next Week', 'Orphan', 'Small Deal', 'Tomorrow Deal', 'Renewal'],
    ],
    [
      'ASC NULLS LAST',
      'SELECT Name FROM Opportunity ORDER BY Amount ASC NULLS LAST',
      ['Tomorrow Deal', 'Small Deal', 'Orphan', 'Next Week', 'Expansion', 'Big Deal', 'Renewal'],
    ],
    [
      'DESC NULLS FIRST',
      'SELECT Name FROM Opportunity ORDER BY Amount DESC NULLS FIRST',
      ['Renewal', 'Big Deal', 'Expansion', 'Next Week', 'Orphan', 'Small Deal', 'Tomorrow Deal'],
    ],
    [
      'ORDER BY a parent path then a field',
      'SELECT Name FROM Opportunity ORDER BY Account.Name DESC NULLS LAST, Name',
      ['Expansion', 'Next Week', 'Renewal', 'Big Deal', 'Small Deal', 'Orphan', 'Tomorrow Deal'],
    ],
    [
      'ORDER BY two levels',
      'SELECT Name FROM Opportunity ORDER BY Owner.Name, Name DESC',
      ['Tomorrow Deal', 'Small Deal', 'Renewal', 'Orphan', 'Next Week', 'Expansion', 'Big Deal'],
    ],
    [
      'text sorts case-insensitively',
      'SELECT Name FROM Account ORDER BY Name',
      ['100% Pure', 'Acme', 'beta corp', "O'Brien & Sons", 'Zeta_Co', 'ZetaXCo'],
    ],
    ['LIMIT', 'SELECT Name FROM Opportunity ORDER BY Name LIMIT 2', ['Big Deal', 'Expansion']],
    [
      'LIMIT with OFFSET',
      'SELECT Name FROM Opportunity ORDER BY Name LIMIT 2 OFFSET 2',
      ['Next Week', 'Orphan'],
    ],
    ['OFFSET 2000 is allowed', 'SELECT Name FROM Opportunity OFFSET 2000', []],
    ['FOR VIEW accepted', `${O('Amount = 100')} FOR VIEW`, ['Small Deal']],
    ['FOR REFERENCE accepted', `${O('Amount = 100')} FOR REFERENCE`, ['Small Deal']],
    ['FOR UPDATE accepted', `${O('Amount = 100')} FOR UPDATE`, ['Small Deal']],
    ['UPDATE TRACKING accepted', `${O('Amount = 100')} UPDATE TRACKING`, ['Small Deal']],
    [
      'WITH SECURITY_ENFORCED accepted',
      'SELECT Name FROM Opportunity WHERE Amount = 100 WITH SECURITY_ENFORCED',
      ['Small Deal'],
    ],
    ['FROM alias', 'SELECT o.Name FROM Opportunity o WHERE o.Amount = 100', ['Small Deal']],
    ['lower-case keywords', 'select name from opportunity where amount = 100', ['Small Deal']],
  ];
  it.each(cases)('%s', (_label, soql, expected) => {
    expect(names(soql)).toEqual(expected);
  });

  it('accepts 15- and 18-character ids and compares them case-sensitively', () => {
    const id18 = ids['Big Deal'];
    expect(names(O(`Id = '${id18}'`))).toEqual(['Big Deal']);
    expect(names(O(`Id = '${id18.slice(0, 15)}'`))).toEqual(['Big Deal']);
    expect(names(O(`AccountId = '${ids.Acme.slice(0, 15)}'`))).toEqual(['Big Deal', 'Small Deal']);
    expect(names(O(`Id IN ('${id18.slice(0, 15)}', '${ids.Orphan}')`))).toEqual(['Big Deal', 'Orphan']);
    expect(names(O(`Id = '${id18.slice(0, 15).replace('g', 'G')}'`))).toEqual([]);
    expect(names(O(`OwnerId = '${rita}'`))).toEqual(['Big Deal', 'Expansion', 'Next Week']);
  });
});

describe('date literals in America/Los_Angeles with a February fiscal year', () => {
  const cases: Array<[string, unknown[]]> = [
    ['CloseDate = TODAY', ['Big Deal']],
    ['CloseDate = YESTERDAY', ['Small Deal']],
    ['CloseDate = TOMORROW', ['Tomorrow Deal']],
    ['CloseDate = THIS_WEEK', ['Big Deal', 'Small Deal', 'Tomorrow Deal']],
    ['CloseDate = LAST_WEEK', []],
    ['CloseDate = NEXT_WEEK', ['Next Week']],
    ['CloseDate = THIS_MONTH', ['Big Deal', 'Next Week', 'Small Deal', 'Tomorrow Deal']],
    ['CloseDate = LAST_MONTH', ['Renewal']],
    ['CloseDate = NEXT_MONTH', []],
    ['CloseDate = THIS_QUARTER', ['Big Deal', 'Next Week', 'Renewal', 'Small Deal', 'Tomorrow Deal']],
    ['CloseDate = LAST_QUARTER', ['Orphan']],
    ['CloseDate = NEXT_QUARTER', ['Expansion']],
    ['CloseDate = THIS_YEAR', [...ALL_OPPS].sort()],
    ['CloseDate = LAST_YEAR', []],
    ['CloseDate = NEXT_YEAR', []],
    ['CloseDate = LAST_90_DAYS', ['Big Deal', 'Renewal', 'Small Deal']],
    ['CloseDate = NEXT_90_DAYS', ['Expansion', 'Next Week', 'Tomorrow Deal']],
    ['CloseDate = LAST_N_DAYS:14', ['Big Deal', 'Renewal', 'Small Deal']],
    ['CloseDate = NEXT_N_DAYS:7', ['Next Week', 'Tomorrow Deal']],
    ['CloseDate = N_DAYS_AGO:1', ['Small Deal']],
    ['CloseDate = LAST_N_WEEKS:3', ['Renewal']],
    ['CloseDate = NEXT_N_WEEKS:1', ['Next Week']],
    ['CloseDate = LAST_N_MONTHS:4', ['Orphan', 'Renewal']],
    ['CloseDate = NEXT_N_MONTHS:3', ['Expansion']],
    ['CloseDate = LAST_N_QUARTERS:1', ['Orphan']],
    ['CloseDate = NEXT_N_QUARTERS:2', ['Expansion']],
    ['CloseDate = LAST_N_YEARS:1', []],
    ['CloseDate = NEXT_N_YEARS:1', []],
    ['CloseDate = THIS_FISCAL_QUARTER', ['Big Deal', 'Next Week', 'Small Deal', 'Tomorrow Deal']],
    ['CloseDate = LAST_FISCAL_QUARTER', ['Renewal']],
    ['CloseDate = NEXT_FISCAL_QUARTER', ['Expansion']],
    [
      'CloseDate = THIS_FISCAL_YEAR',
      ['Big Deal', 'Expansion', 'Next Week', 'Renewal', 'Small Deal', 'Tomorrow Deal'],
    ],
    ['CloseDate = LAST_FISCAL_YEAR', ['Orphan']],
    ['CloseDate = NEXT_FISCAL_YEAR', []],
    ['CloseDate = LAST_N_FISCAL_QUARTERS:2', ['Orphan', 'Renewal']],
    ['CloseDate = NEXT_N_FISCAL_QUARTERS:1', ['Expansion']],
    ['CloseDate = LAST_N_FISCAL_YEARS:1', ['Orphan']],
    ['CloseDate = NEXT_N_FISCAL_YEARS:1', []],
    ['CloseDate > TODAY', ['Expansion', 'Next Week', 'Tomorrow Deal']],
    ['CloseDate < THIS_MONTH', ['Orphan', 'Renewal']],
    ['CloseDate <= TODAY', ['Big Deal', 'Orphan', 'Renewal', 'Small Deal']],
    ['CloseDate >= THIS_WEEK', ['Big Deal', 'Expansion', 'Next Week', 'Small Deal', 'Tomorrow Deal']],
    ['CloseDate != TODAY', ['Expansion', 'Next Week', 'Orphan', 'Renewal', 'Small Deal', 'Tomorrow Deal']],
    ['CloseDate IN (TODAY, YESTERDAY)', ['Big Deal', 'Small Deal']],
    // Datetimes compare instants: local midnight of the 14th is 07:00Z.
    ['CreatedDate = TODAY', ['Big Deal', 'Renewal']],
    ['CreatedDate = YESTERDAY', ['Small Deal']],
    ['CreatedDate > YESTERDAY', ['Big Deal', 'Renewal']],
    ['CreatedDate < LAST_N_DAYS:1', ['Expansion', 'Next Week', 'Orphan', 'Tomorrow Deal']],
  ];
  it.each(cases)('%s', (where, expected) => {
    expect(names(O(where))).toEqual(expected);
  });
});

describe('record shape', () => {
  it('puts attributes first, fields in SELECT order with canonical names, parents nested or null', () => {
    const page = run(
      "SELECT name, AMOUNT, account.name, Account.Owner.UserRole.Name, iswon, CreatedDate, closedate FROM Opportunity WHERE Name IN ('Big Deal', 'Orphan', 'Tomorrow Deal') ORDER BY Name",
    );
    const url = (type: string, id: string) => `/services/data/v59.0/sobjects/${type}/${id}`;
    const roleId = org.db.prepare('SELECT "Id" FROM "UserRole"').pluck().get() as string;
    expect(page).toEqual({
      totalSize: 3,
      done: true,
      records: [
        {
          attributes: { type: 'Opportunity', url: url('Opportunity', ids['Big Deal']) },
          Name: 'Big Deal',
          Amount: 5000,
          Account: {
            attributes: { type: 'Account', url: url('Account', ids.Acme) },
            Name: 'Acme',
            Owner: {
              attributes: { type: 'User', url: url('User', rita) },
              UserRole: { attributes: { type: 'UserRole', url: url('UserRole', roleId) }, Name: 'VP Sales' },
            },
          },
          IsWon: false,
          CreatedDate: '2024-05-15T03:00:00.000+0000',
          CloseDate: '2024-05-14',
        },
        {
          attributes: { type: 'Opportunity', url: url('Opportunity', ids.Orphan) },
          Name: 'Orphan',
          Amount: 300,
          Account: null,
          IsWon: false,
          CreatedDate: '2024-01-01T00:00:00.000+0000',
          CloseDate: '2024-01-31',
        },
        {
          // Its account is in the recycle bin: `query` shows the parent as null.
          attributes: { type: 'Opportunity', url: url('Opportunity', ids['Tomorrow Deal']) },
          Name: 'Tomorrow Deal',
          Amount: 50,
          Account: null,
          IsWon: false,
          CreatedDate: '2024-01-01T00:00:00.000+0000',
          CloseDate: '2024-05-15',
        },
      ],
    });
    expect(Object.keys(page.records[0])).toEqual([
      'attributes',
      'Name',
      'Amount',
      'Account',
      'IsWon',
      'CreatedDate',
      'CloseDate',
    ]);
  });

  it('returns child relationships as null or {totalSize, done, records} with their own WHERE, ORDER BY and LIMIT', () => {
    const page = run(
      "SELECT Name, (SELECT Name, Amount FROM Opportunities WHERE Amount > 50 ORDER BY Amount DESC LIMIT 1), (SELECT Name FROM Gadgets__r ORDER BY Name DESC) FROM Account WHERE Name IN ('Acme', 'beta corp', '100% Pure') ORDER BY Name",
    );
    const strip = (r: Record<string, unknown>) => ({
      ...r,
      attributes: (r.attributes as { type: string }).type,
    });
    const child = (v: unknown) =>
      v === null ? null : { ...(v as QueryPage), records: (v as QueryPage).records.map(strip) };
    expect(
      page.records.map((r) => ({
        Name: r.Name,
        Opportunities: child(r.Opportunities),
        Gadgets__r: child(r.Gadgets__r),
      })),
    ).toEqual([
      { Name: '100% Pure', Opportunities: null, Gadgets__r: null },
      {
        Name: 'Acme',
        Opportunities: {
          totalSize: 1,
          done: true,
          records: [{ attributes: 'Opportunity', Name: 'Big Deal', Amount: 5000 }],
        },
        Gadgets__r: {
          totalSize: 2,
          done: true,
          records: [
            { attributes: 'Gadget__c', Name: 'Bravo' },
            { attributes: 'Gadget__c', Name: 'Alpha' },
          ],
        },
      },
      {
        Name: 'beta corp',
        Opportunities: {
          totalSize: 1,
          done: true,
          records: [{ attributes: 'Opportunity', Name: 'Next Week', Amount: 700 }],
        },
        Gadgets__r: { totalSize: 1, done: true, records: [{ attributes: 'Gadget__c', Name: 'Charlie' }] },
      },
    ]);
  });

  it('follows parent paths five relationships deep', () => {
    const [rec] = run(
      "SELECT Account.Parent.Owner.UserRole.CreatedBy.Name FROM Opportunity WHERE Name = 'Expansion'",
    ).records as Array<
      Record<string, Record<string, Record<string, Record<string, Record<string, Record<string, unknown>>>>>>
    >;
    expect(rec.Account.Parent.Owner.UserRole.CreatedBy.Name).toBe('Ada Admin');
    expect(
      names("SELECT Name FROM Opportunity WHERE Account.Parent.Owner.UserRole.CreatedBy.Name = 'Ada Admin'"),
    ).toEqual(['Expansion']);
  });

  it('returns a multi-select picklist as its stored a;b text', () => {
    expect(run("SELECT Colors__c FROM Gadget__c WHERE Name = 'Alpha'").records[0].Colors__c).toBe(
      'Red;Green',
    );
  });
});

describe('counts and aggregates', () => {
  it('count() gives totalSize and no records', () => {
    expect(run('SELECT count() FROM Opportunity')).toEqual({ totalSize: 7, done: true, records: [] });
    expect(run('SELECT COUNT() FROM Opportunity WHERE Amount > 300').totalSize).toBe(3);
    expect(run('SELECT count() FROM Opportunity LIMIT 2').totalSize).toBe(2);
    expect(run('SELECT count() FROM Opportunity', true).totalSize).toBe(8);
  });

  it('names unaliased aggregates expr0, expr1… and returns AggregateResult rows', () => {
    expect(
      run(
        'SELECT COUNT(Id), COUNT(Amount), COUNT_DISTINCT(StageName), SUM(Amount), AVG(Amount) average, MIN(Amount), MAX(CloseDate) FROM Opportunity',
      ),
    ).toEqual({
      totalSize: 1,
      done: true,
      records: [
        {
          attributes: { type: 'AggregateResult' },
          expr0: 7,
          expr1: 6,
          expr2: 5,
          expr3: 8650.5,
          average: 1441.75,
          expr4: 50,
          expr5: '2024-08-01',
        },
      ],
    });
  });

  it('groups, filters groups with HAVING and orders by a field or an aggregate', () => {
    expect(
      run(
        'SELECT StageName, COUNT(Id) n FROM Opportunity GROUP BY StageName HAVING COUNT(Id) > 1 ORDER BY StageName',
      ).records,
    ).toEqual([{ attributes: { type: 'AggregateResult' }, StageName: 'Prospecting', n: 3 }]);
    expect(
      run(
        'SELECT Owner.Name, SUM(Amount) total FROM Opportunity GROUP BY Owner.Name ORDER BY SUM(Amount) DESC',
      ).records,
    ).toEqual([
      { attributes: { type: 'AggregateResult' }, Name: 'Rita Rep', total: 8200.5 },
      { attributes: { type: 'AggregateResult' }, Name: 'Ada Admin', total: 450 },
    ]);
    expect(
      run('SELECT StageName FROM Opportunity GROUP BY StageName ORDER BY StageName LIMIT 2').records.map(
        (r) => r.StageName,
      ),
    ).toEqual(['Closed Lost', 'Closed Won']);
    expect(
      run("SELECT MAX(CreatedDate) latest FROM Opportunity WHERE StageName = 'Qualification'").records[0]
        .latest,
    ).toBe('2024-05-14T07:00:00.000+0000');
  });
});

describe('visibility', () => {
  it('query excludes soft-deleted rows and queryAll includes them', () => {
    expect(names("SELECT Name FROM Opportunity WHERE Name = 'Gone'")).toEqual([]);
    expect(names("SELECT Name FROM Opportunity WHERE Name = 'Gone'", true)).toEqual(['Gone']);
  });

  it('queryAll shows a deleted parent where query shows null', () => {
    const soql = "SELECT Account.Name FROM Opportunity WHERE Name = 'Tomorrow Deal'";
    expect(run(soql).records[0].Account).toBeNull();
    expect((run(soql, true).records[0].Account as { Name: string }).Name).toBe('Deleted Inc');
  });
});

describe('errors', () => {
  it('names an unknown field in Salesforce words', () => {
    expect(errorOf('SELECT Foo FROM Account')).toEqual({
      code: 'INVALID_FIELD',
      message:
        "No such column 'Foo' on entity 'Account'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.",
    });
    expect(errorOf('SELECT Owner.Foo FROM Account').message).toMatch(
      /^No such column 'Foo' on entity 'User'/,
    );
  });

  it('explains a wrong literal type', () => {
    expect(errorOf(O('CreatedDate > 2024-01-01'))).toEqual({
      code: 'INVALID_FIELD',
      message:
        "value of filter criterion for field 'CreatedDate' must be of type dateTime and should not be enclosed in quotes",
    });
    expect(errorOf(O("CloseDate = '2024-01-01'"))).toEqual({
      code: 'INVALID_FIELD',
      message:
        "value of filter criterion for field 'CloseDate' must be of type date and should not be enclosed in quotes",
    });
    expect(errorOf(O("Amount = '100'")).message).toBe(
      "value of filter criterion for field 'Amount' must be of type double and should not be enclosed in quotes",
    );
    expect(errorOf(O('Name = 5')).message).toBe(
      "value of filter criterion for field 'Name' must be of type string and should be enclosed in quotes",
    );
  });

  it('refuses a malformed id literal like Salesforce', () => {
    expect(errorOf(O("Id = 'abc'"))).toEqual({
      code: 'INVALID_QUERY_FILTER_OPERATOR',
      message: 'invalid ID field: abc',
    });
  });

  const codes: Array<[string, string, string]> = [
    ['unknown object', 'SELECT Id FROM Foo__c', 'INVALID_TYPE'],
    ['unknown relationship', 'SELECT Foo.Name FROM Account', 'INVALID_FIELD'],
    ['unknown child relationship', 'SELECT Id, (SELECT Id FROM Nope) FROM Account', 'INVALID_TYPE'],
    ['syntax error', 'SELECT Id, FROM Account', 'MALFORMED_QUERY'],
    ['missing FROM object', 'SELECT Id FROM', 'MALFORMED_QUERY'],
    ['AND and OR mixed without parentheses', O("Name = 'a' AND Name = 'b' OR Name = 'c'"), 'MALFORMED_QUERY'],
    ['OR then AND without parentheses', O("Name = 'a' OR Name = 'b' AND Name = 'c'"), 'MALFORMED_QUERY'],
    ['OFFSET over 2000', 'SELECT Id FROM Account LIMIT 5 OFFSET 2001', 'NUMBER_OUTSIDE_VALID_RANGE'],
    ['datetime for a date field', O('CloseDate = 2024-05-14T00:00:00Z'), 'INVALID_FIELD'],
    ['text for a boolean', O("IsWon = 'true'"), 'INVALID_FIELD'],
    ['LIKE on a number', O("Amount LIKE '1%'"), 'INVALID_QUERY_FILTER_OPERATOR'],
    ['INCLUDES on a plain picklist', O("StageName INCLUDES ('Prospecting')"), 'INVALID_FIELD'],
    ['malformed id in IN', O("Id IN ('abc')"), 'INVALID_QUERY_FILTER_OPERATOR'],
    ['semi-join on a text field', A('Name IN (SELECT AccountId FROM Opportunity)'), 'INVALID_FIELD'],
    ['filter on a long text area', A("Description = 'x'"), 'INVALID_FIELD'],
    ['unknown escape in a string', A("Name = 'a\\qb'"), 'MALFORMED_QUERY'],
    [
      'grouped query selecting an ungrouped field',
      'SELECT Name, COUNT(Id) FROM Opportunity GROUP BY StageName',
      'MALFORMED_QUERY',
    ],
    ['SUM of text', 'SELECT SUM(Name) FROM Opportunity', 'INVALID_FIELD'],
    ['count() with other fields', 'SELECT count(), Name FROM Opportunity', 'MALFORMED_QUERY'],
    ['alias on a plain field', 'SELECT Name n FROM Opportunity', 'MALFORMED_QUERY'],
    // Unsupported constructs are refused rather than answered wrongly.
    ['TYPEOF', 'SELECT TYPEOF Owner WHEN User THEN Name END FROM Account', 'MALFORMED_QUERY'],
    ['FIELDS()', 'SELECT FIELDS(STANDARD) FROM Account', 'MALFORMED_QUERY'],
    [
      'date function in SELECT',
      'SELECT CALENDAR_YEAR(CloseDate), COUNT(Id) FROM Opportunity GROUP BY CALENDAR_YEAR(CloseDate)',
      'MALFORMED_QUERY',
    ],
    ['date function in WHERE', O('CALENDAR_YEAR(CloseDate) = 2024'), 'MALFORMED_QUERY'],
    [
      'GROUP BY ROLLUP',
      'SELECT StageName, COUNT(Id) FROM Opportunity GROUP BY ROLLUP(StageName)',
      'MALFORMED_QUERY',
    ],
    [
      'two levels of child subqueries',
      'SELECT Id, (SELECT Id, (SELECT Id FROM Gadgets__r) FROM Opportunities) FROM Account',
      'MALFORMED_QUERY',
    ],
    ['toLabel()', 'SELECT toLabel(StageName) FROM Opportunity', 'MALFORMED_QUERY'],
    ['USING SCOPE mine', 'SELECT Id FROM Account USING SCOPE mine', 'MALFORMED_QUERY'],
    ['scientific notation', O('Amount > 1e3'), 'MALFORMED_QUERY'],
    [
      'six levels of parents',
      'SELECT Account.Parent.Parent.Parent.Parent.Parent.Name FROM Opportunity',
      'MALFORMED_QUERY',
    ],
  ];
  it.each(codes)('%s', (_label, soql, code) => {
    expect(errorOf(soql).code).toBe(code);
  });
});

describe('SQL injection attempts', () => {
  const tableState = () => ({
    schema: org.db.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table'").pluck().get(),
    accounts: org.db.prepare('SELECT count(*) FROM "Account"').pluck().get(),
    opportunities: org.db.prepare('SELECT count(*) FROM "Opportunity"').pluck().get(),
    users: org.db.prepare('SELECT count(*) FROM "User"').pluck().get(),
  });

  it('treats quotes inside string and id literals as data, never as SQL', () => {
    const before = tableState();
    const matchNothing = [
      A("Name = 'x\\' OR 1=1 --'"),
      A("Name = 'x\\'); DROP TABLE \"Account\"; --'"),
      A("Name LIKE '%\\' OR \\'1\\'=\\'1'"),
      A("Name IN ('a\\' OR \\'1\\'=\\'1', 'b')"),
      A("Name = '\\\\' OR Name != ''"),
    ];
    expect(names(matchNothing[0])).toEqual([]);
    expect(names(matchNothing[1])).toEqual([]);
    expect(names(matchNothing[2])).toEqual([]);
    expect(names(matchNothing[3])).toEqual([]);
    // `'\\'` is a one-character string, then `OR Name != ''` is an ordinary SOQL condition.
    expect(names(matchNothing[4])).toEqual([
      '100% Pure',
      'Acme',
      'beta corp',
      "O'Brien & Sons",
      'Zeta_Co',
      'ZetaXCo',
    ]);
    const refused: Array<[string, string]> = [
      [O("Id = '006\\' OR \\'1\\'=\\'1'"), 'INVALID_QUERY_FILTER_OPERATOR'],
      [O("Id IN ('006000000000001'' OR 1=1 --')"), 'MALFORMED_QUERY'],
      [A("Name = 'x''; DROP TABLE Account; --'"), 'MALFORMED_QUERY'],
      ['SELECT Name FROM Account; DROP TABLE Account', 'MALFORMED_QUERY'],
      ['SELECT Name FROM "Account"', 'MALFORMED_QUERY'],
      ['SELECT Name FROM Account WHERE Name = "x" OR 1=1', 'MALFORMED_QUERY'],
      ['SELECT Name FROM sqlite_master', 'INVALID_TYPE'],
      ['SELECT Name FROM _org_meta', 'MALFORMED_QUERY'],
    ];
    for (const [soql, code] of refused) expect([soql, errorOf(soql).code]).toEqual([soql, code]);
    expect(tableState()).toEqual(before);
  });
});
