import { bootstrapOrg } from '../../emulator/src/bootstrap';
import { FixedClock } from '../../emulator/src/clock';
import { SfError } from '../../emulator/src/errors';
import { Org } from '../../emulator/src/org';
import { CORE_STANDARD_OBJECTS } from '../../emulator/src/schema/standard-objects';
import { openBulkQuery } from '../../emulator/src/soql';
import { RowWriter } from '../../emulator/src/store/row-writer';

/** openBulkQuery: the Bulk 2.0 query iterator the bulk routes stream as CSV. */

let org: Org;
let acme: string;
const clock = new FixedClock(Date.parse('2024-05-15T12:00:00Z'));

beforeAll(() => {
  org = new Org({
    dbFile: ':memory:',
    objects: CORE_STANDARD_OBJECTS,
    clock,
  });
  const { adminUserId } = bootstrapOrg(org, { adminPassword: 'pw-1', integrationPassword: 'pw-2' });
  acme = new RowWriter(org, 'Account').insert({ Name: 'Acme' }, adminUserId);
  const opps = new RowWriter(org, 'Opportunity');
  const created = Date.parse('2024-01-02T03:04:05Z');
  opps.insert(
    {
      Name: 'One',
      AccountId: acme,
      StageName: 'Closed Won',
      IsWon: 1,
      CloseDate: '2024-02-01',
      Amount: 2500.5,
    },
    adminUserId,
    created,
  );
  opps.insert({ Name: 'Two', StageName: 'Prospecting', CloseDate: '2024-03-01' }, adminUserId, created);
  opps.insert(
    { Name: 'Three', StageName: 'Prospecting', CloseDate: '2024-03-01', IsDeleted: 1 },
    adminUserId,
    created,
  );
  for (let i = 0; i < 25_000; i++)
    opps.insert({ Name: `Bulk ${i}`, StageName: 'Prospecting', CloseDate: '2024-04-01' }, adminUserId);
});

afterAll(() => org.close());

it('names columns as written and flattens values to CSV cells, null for empty', () => {
  const q = openBulkQuery(
    org,
    "SELECT Name, account.name, Amount, IsWon, CloseDate, CreatedDate FROM Opportunity WHERE Name IN ('One', 'Two', 'Three') ORDER BY Name",
  );
  expect(q.columns).toEqual(['Name', 'account.name', 'Amount', 'IsWon', 'CloseDate', 'CreatedDate']);
  expect([...q.rows()]).toEqual([
    ['One', 'Acme', '2500.5', 'true', '2024-02-01', '2024-01-02T03:04:05.000Z'],
    ['Two', null, null, 'false', '2024-03-01', '2024-01-02T03:04:05.000Z'],
  ]);
});

it('includes deleted rows for queryAll', () => {
  const q = openBulkQuery(org, "SELECT Name FROM Opportunity WHERE Name = 'Three'", { scanAll: true });
  expect([...q.rows()]).toEqual([['Three']]);
});

it('streams large results in order, in chunks, leaving no cursor rows behind', () => {
  const q = openBulkQuery(org, "SELECT Name FROM Opportunity WHERE Name LIKE 'Bulk %'");
  const names: Array<string | null> = [];
  for (const row of q.rows()) names.push(row[0]);
  expect(names).toEqual(Array.from({ length: 25_000 }, (_, i) => `Bulk ${i}`));
  expect(org.db.prepare('SELECT count(*) FROM temp._query_cursor_row').pluck().get()).toBe(0);
});

it('sweeps the rows of a read abandoned half-way once it has been idle for 15 minutes', () => {
  const cursorRows = () => org.db.prepare('SELECT count(*) FROM temp._query_cursor_row').pluck().get();
  // With ORDER BY the result is materialised like a cursor.
  const abandoned = openBulkQuery(
    org,
    "SELECT Name FROM Opportunity WHERE Name LIKE 'Bulk %' ORDER BY CloseDate",
  ).rows();
  expect(abandoned.next().value).toEqual(['Bulk 0']);
  expect(cursorRows()).toBe(25_000);
  clock.advance(16 * 60_000);
  expect([
    ...openBulkQuery(org, "SELECT Name FROM Opportunity WHERE Name = 'One' ORDER BY Name").rows(),
  ]).toEqual([['One']]);
  expect(cursorRows()).toBe(0);
});

it('honours LIMIT across keyset chunks', () => {
  const names = [
    ...openBulkQuery(org, "SELECT Name FROM Opportunity WHERE Name LIKE 'Bulk %' LIMIT 15000").rows(),
  ].map((r) => r[0]);
  expect(names).toEqual(Array.from({ length: 15_000 }, (_, i) => `Bulk ${i}`));
});

it('reads a query without ORDER BY in keyset chunks: nothing materialised, rows inserted meanwhile left out', () => {
  const cursorRows = () => org.db.prepare('SELECT count(*) FROM temp._query_cursor_row').pluck().get();
  const rows = openBulkQuery(org, "SELECT Name FROM Opportunity WHERE Name LIKE 'Bulk %'").rows();
  const names: Array<string | null> = [rows.next().value![0]];
  expect(cursorRows()).toBe(0);
  new RowWriter(org, 'Opportunity').insert(
    { Name: 'Bulk late', StageName: 'Prospecting', CloseDate: '2024-04-01' },
    null,
  );
  for (const row of rows) names.push(row[0]);
  expect(names).toEqual(Array.from({ length: 25_000 }, (_, i) => `Bulk ${i}`));
  expect([...openBulkQuery(org, "SELECT Name FROM Opportunity WHERE Name = 'Bulk late'").rows()]).toEqual([
    ['Bulk late'],
  ]);
});

it.each([
  ['an aggregate', 'SELECT COUNT(Id) FROM Opportunity'],
  ['GROUP BY', 'SELECT StageName FROM Opportunity GROUP BY StageName'],
  ['OFFSET', 'SELECT Name FROM Opportunity OFFSET 5'],
  ['a child subquery', 'SELECT Name, (SELECT Name FROM Opportunities) FROM Account'],
])('refuses %s', (_label, soql) => {
  expect(() => openBulkQuery(org, soql)).toThrow(SfError);
  try {
    openBulkQuery(org, soql);
  } catch (err) {
    expect((err as SfError).errorCode).toBe('INVALIDJOB');
  }
});

it('validates like runQuery', () => {
  expect(() => openBulkQuery(org, 'SELECT Nope FROM Opportunity')).toThrow(
    expect.objectContaining({ errorCode: 'INVALID_FIELD' }),
  );
});
