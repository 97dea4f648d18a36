import { bootstrapOrg } from '../../../emulator/src/bootstrap';
import { FixedClock } from '../../../emulator/src/clock';
import { Org } from '../../../emulator/src/org';
import { loadStandardObjects } from '../../../emulator/src/schema/standard';
import { PROJECT_METADATA_DIR } from '../../../emulator/src/server';
import { accessOf, invalidateAccess } from '../../../emulator/src/sharing';
import { compileQuery } from '../../../emulator/src/soql/compile';
import { RowWriter } from '../../../emulator/src/store/row-writer';

/** What visibility adds to compiled SQL: nothing for users who see all, one owner predicate otherwise. */
describe('visibility in compiled queries', () => {
  const org = new Org({
    dbFile: ':memory:',
    objects: loadStandardObjects([PROJECT_METADATA_DIR]),
    clock: new FixedClock(Date.UTC(2026, 10, 12)),
  });
  const { adminUserId, integrationUserId } = bootstrapOrg(org, {
    adminPassword: 'a',
    integrationPassword: 'b',
  });
  const profile = (
    org.db.prepare(`SELECT "Id" FROM "Profile" WHERE "Name" = 'Standard User'`).get() as { Id: string }
  ).Id;
  const rep = new RowWriter(org, 'User').insert(
    {
      Username: 'r@t.test',
      LastName: 'R',
      Name: 'R',
      Email: 'r@t.test',
      Alias: 'r',
      TimeZoneSidKey: 'GMT',
      LocaleSidKey: 'en_US',
      EmailEncodingKey: 'UTF-8',
      LanguageLocaleKey: 'en_US',
      ProfileId: profile,
    },
    null,
  );
  afterAll(() => org.close());

  const soql =
    "SELECT Id, Name, (SELECT Id FROM OpportunityLineItems) FROM Opportunity WHERE StageName = 'Prospecting' ORDER BY Name";

  it('compiles exactly the same SQL for the admin, the integration user and no user', () => {
    const plain = compileQuery(org, soql, false);
    expect(compileQuery(org, soql, false, adminUserId)).toEqual(plain);
    expect(compileQuery(org, soql, false, integrationUserId)).toEqual(plain);
    const count = compileQuery(org, 'SELECT COUNT() FROM Opportunity', false);
    expect(compileQuery(org, 'SELECT COUNT() FROM Opportunity', false, adminUserId)).toEqual(count);
  });

  it('adds the owner predicate to a private object, its child subquery and aggregates, and nothing to a public one', () => {
    const plan = compileQuery(org, soql, false, rep);
    if (plan.kind !== 'records') throw new Error('expected a record plan');
    expect(plan.whereSql).toMatch(
      /^t\."IsDeleted" = 0 AND t\."OwnerId" IN \(SELECT owner_id FROM temp\._sharing_owner WHERE slot = \d+\) AND /,
    );
    // The line items follow their opportunity.
    expect(plan.children[0].sql).toContain(
      'c."OpportunityId" IN (SELECT cs1."Id" FROM "Opportunity" cs1 WHERE cs1."OwnerId" IN',
    );
    // Bound parameters are untouched: the predicate has none.
    expect(plan.params).toEqual(compileQuery(org, soql, false).params);
    const agg = compileQuery(
      org,
      'SELECT StageName, COUNT(Id) FROM Opportunity GROUP BY StageName',
      false,
      rep,
    );
    if (agg.kind !== 'aggregate') throw new Error('expected an aggregate plan');
    expect(agg.sql).toContain('_sharing_owner');
    const account = compileQuery(org, 'SELECT Id FROM Account', false, rep);
    expect(account).toEqual(compileQuery(org, 'SELECT Id FROM Account', false));
  });

  it('keeps no access computed inside a transaction that rolled back (its owner list is gone)', () => {
    const ownerRows = () => {
      const slot = accessOf(org, rep).ownerSlot;
      return org.db.prepare('SELECT owner_id FROM temp._sharing_owner WHERE slot = ?').all(slot);
    };
    // Nothing cached and no owner table: both are made inside the transaction, then rolled back.
    invalidateAccess(org);
    org.db.exec('DROP TABLE IF EXISTS temp._sharing_owner');
    const inner = org.db.transaction(() => {
      expect(ownerRows()).toEqual([{ owner_id: rep }]);
      throw new Error('roll back');
    });
    expect(() => inner()).toThrow('roll back');
    expect(ownerRows()).toEqual([{ owner_id: rep }]);
  });

  it('refuses a custom object the user has no permission set for, as an unknown type', () => {
    expect(() => compileQuery(org, 'SELECT Id FROM Commission_Statement__c', false, rep)).toThrow(
      expect.objectContaining({ errorCode: 'INVALID_TYPE' }),
    );
    expect(() =>
      compileQuery(org, 'SELECT Id FROM Commission_Statement__c', false, adminUserId),
    ).not.toThrow();
  });
});
