import { insertRecords, updateRecords, type SaveResult } from '../../emulator/src/dml';
import { makeDmlOrg, rowOf, T0, type DmlTestOrg } from './dml-fixtures';

const firstError = (results: SaveResult[]) => {
  expect(results).toHaveLength(1);
  expect(results[0].success).toBe(false);
  return results[0].errors[0];
};

describe('DML validation (json and csv input)', () => {
  let t: DmlTestOrg;
  let accountId: string;
  beforeAll(() => {
    t = makeDmlOrg();
    [{ id: accountId }] = insertRecords(t.org, 'Account', [{ Name: 'Parent Co' }], t.json) as Array<{
      id: string;
    }>;
  });
  afterAll(() => t.close());

  const insertOne = (obj: string, rec: Record<string, unknown>, ctx = t.json) =>
    insertRecords(t.org, obj, [rec], ctx);

  it('rejects an unknown field with INVALID_FIELD', () => {
    expect(firstError(insertOne('Account', { Name: 'A', Foo: 1 }))).toEqual({
      statusCode: 'INVALID_FIELD',
      message: "No such column 'Foo' on sobject of type Account",
      fields: [],
    });
  });

  it('rejects read-only fields with INVALID_FIELD_FOR_INSERT_UPDATE, listing them all', () => {
    expect(
      firstError(
        insertOne('Account', { Name: 'A', CreatedDate: '2024-01-01T00:00:00Z', LastActivityDate: null }),
      ),
    ).toEqual({
      statusCode: 'INVALID_FIELD_FOR_INSERT_UPDATE',
      message:
        'Unable to create/update fields: CreatedDate, LastActivityDate. Please check the security settings of this field and verify that it is read/write for your profile or permission set.',
      fields: ['CreatedDate', 'LastActivityDate'],
    });
    const [{ id }] = insertOne('Dml_Child__c', { Name: 'c', Parent__c: insertOne('Dml_Test__c', {})[0].id });
    // Master-detail is not reparentable: not updateable.
    expect(
      firstError(updateRecords(t.org, 'Dml_Child__c', [{ Id: id, Parent__c: null }], t.json)).statusCode,
    ).toBe('INVALID_FIELD_FOR_INSERT_UPDATE');
  });

  it('rejects an Id in a create body', () => {
    expect(firstError(insertOne('Account', { Id: accountId, Name: 'A' }))).toEqual({
      statusCode: 'INVALID_FIELD_FOR_INSERT_UPDATE',
      message: 'Record ID: cannot specify Id in an insert call',
      fields: ['Id'],
    });
  });

  it('reports every missing required field', () => {
    expect(firstError(insertOne('Opportunity', { Amount: 5 }))).toEqual({
      statusCode: 'REQUIRED_FIELD_MISSING',
      message: 'Required fields are missing: [Name, StageName, CloseDate]',
      fields: ['Name', 'StageName', 'CloseDate'],
    });
    expect(firstError(insertOne('Account', { Name: '' })).statusCode).toBe('REQUIRED_FIELD_MISSING');
    expect(firstError(updateRecords(t.org, 'Account', [{ Id: accountId, Name: null }], t.json))).toEqual({
      statusCode: 'REQUIRED_FIELD_MISSING',
      message: 'Required fields are missing: [Name]',
      fields: ['Name'],
    });
  });

  it('rejects strings over the field length with STRING_TOO_LONG', () => {
    const long = 'x'.repeat(256);
    expect(firstError(insertOne('Account', { Name: long }))).toEqual({
      statusCode: 'STRING_TOO_LONG',
      message: `Account Name: data value too large: ${long} (max length=255)`,
      fields: ['Name'],
    });
  });

  it('rejects values outside a restricted picklist, and accepts any value in an unrestricted one', () => {
    expect(firstError(insertOne('Dml_Test__c', { Stage__c: 'Bogus' }))).toEqual({
      statusCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
      message: 'Stage: bad value for restricted picklist field: Bogus',
      fields: ['Stage__c'],
    });
    expect(
      firstError(insertOne('Opportunity', { Name: 'O', StageName: 'Nope', CloseDate: '2026-03-31' })),
    ).toEqual({
      statusCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
      message: 'Stage: bad value for restricted picklist field: Nope',
      fields: ['StageName'],
    });
    const [ok] = insertOne('Account', { Name: 'T', Type: 'Account' });
    expect(ok.success).toBe(true);
    const [canon] = insertOne('Dml_Test__c', { Stage__c: 'open' });
    expect(rowOf(t.org, 'Dml_Test__c', canon.id as string)?.Stage__c).toBe('Open');
  });

  it('rejects wrongly typed JSON values with JSON_PARSER_ERROR', () => {
    expect(firstError(insertOne('Account', { Name: 'A', AnnualRevenue: 'abc' }))).toEqual({
      statusCode: 'JSON_PARSER_ERROR',
      message:
        'Cannot deserialize instance of double from VALUE_STRING value abc or request may be missing a required field',
      fields: [],
    });
    expect(firstError(insertOne('Dml_Test__c', { Flag__c: 'maybe' })).message).toBe(
      'Cannot deserialize instance of boolean from VALUE_STRING value maybe or request may be missing a required field',
    );
    expect(firstError(insertOne('Dml_Test__c', { Due__c: '2026-02-30' })).statusCode).toBe(
      'JSON_PARSER_ERROR',
    );
    expect(firstError(insertOne('Dml_Test__c', { Due__c: '03/10/2026' })).statusCode).toBe(
      'JSON_PARSER_ERROR',
    );
    expect(firstError(insertOne('Account', { Name: 'A', NumberOfEmployees: 1.5 })).statusCode).toBe(
      'JSON_PARSER_ERROR',
    );
    // A Number(3,0) custom field is a double: Salesforce rounds rather than refuses.
    const [rounded] = insertOne('Dml_Test__c', { Count__c: 1.5 });
    expect(rowOf(t.org, 'Dml_Test__c', rounded.id as string)?.Count__c).toBe(2);
    expect(firstError(insertOne('Account', { Name: { first: 'a' } })).statusCode).toBe('JSON_PARSER_ERROR');
  });

  it('rejects wrongly typed CSV cells with INVALID_TYPE_ON_FIELD_IN_RECORD', () => {
    expect(
      firstError(
        insertOne(
          'Opportunity',
          { Name: 'O', StageName: 'Prospecting', CloseDate: '2026-03-31', Amount: 'abc' },
          t.csv,
        ),
      ),
    ).toEqual({
      statusCode: 'INVALID_TYPE_ON_FIELD_IN_RECORD',
      message: 'Amount: value not of required type: abc',
      fields: ['Amount'],
    });
    expect(firstError(insertOne('Dml_Test__c', { Flag__c: 'yes' }, t.csv))).toEqual({
      statusCode: 'INVALID_TYPE_ON_FIELD_IN_RECORD',
      message: 'Flag: value not of required type: yes',
      fields: ['Flag__c'],
    });
  });

  it('coerces CSV cells: booleans, scientific numbers, #N/A and empty cells', () => {
    const [a] = insertOne(
      'Dml_Test__c',
      { Flag__c: '0', Amount__c: '1.5E+2', Count__c: '', Due__c: '2026-04-01', Stage__c: '#N/A' },
      t.csv,
    );
    const row = rowOf(t.org, 'Dml_Test__c', a.id as string);
    expect(row).toMatchObject({
      Flag__c: 0,
      Amount__c: 150,
      Count__c: null,
      Due__c: '2026-04-01',
      Stage__c: null,
    });
    const [b] = insertOne('Dml_Test__c', { Flag__c: 'TRUE', Count__c: '7', Stage__c: 'Closed' }, t.csv);
    updateRecords(t.org, 'Dml_Test__c', [{ Id: b.id, Count__c: '', Stage__c: '#N/A', Flag__c: '0' }], t.csv);
    expect(rowOf(t.org, 'Dml_Test__c', b.id as string)).toMatchObject({
      Count__c: 7,
      Stage__c: null,
      Flag__c: 0,
    });
  });

  it('stores datetimes truncated to the second from Z, offset and millisecond forms', () => {
    const ids = ['2026-03-01T10:00:00Z', '2026-03-01T12:00:00.789+02:00', '2026-03-01T05:00:00.5-0500'].map(
      (v) => insertOne('Dml_Test__c', { Starts_At__c: v })[0].id as string,
    );
    for (const id of ids)
      expect(rowOf(t.org, 'Dml_Test__c', id)?.Starts_At__c).toBe(Date.UTC(2026, 2, 1, 10, 0, 0));
    expect(firstError(insertOne('Dml_Test__c', { Starts_At__c: '2026-03-01 10:00' })).statusCode).toBe(
      'JSON_PARSER_ERROR',
    );
  });

  it('rejects numbers beyond precision with NUMBER_OUTSIDE_VALID_RANGE and rounds to scale', () => {
    expect(firstError(insertOne('Dml_Test__c', { Amount__c: 1000 }))).toEqual({
      statusCode: 'NUMBER_OUTSIDE_VALID_RANGE',
      message: 'Amount: value outside of valid range on numeric field: 1000',
      fields: ['Amount__c'],
    });
    expect(firstError(insertOne('Dml_Test__c', { Count__c: -1000 })).statusCode).toBe(
      'NUMBER_OUTSIDE_VALID_RANGE',
    );
    const [ok] = insertOne('Dml_Test__c', { Amount__c: 999.994, Count__c: '12' });
    expect(rowOf(t.org, 'Dml_Test__c', ok.id as string)).toMatchObject({ Amount__c: 999.99, Count__c: 12 });
  });

  it('checks references: malformed, wrong object, missing, deleted, inactive owner', () => {
    expect(firstError(insertOne('Account', { Name: 'A', OwnerId: 'INVALID_OWNER' }))).toEqual({
      statusCode: 'MALFORMED_ID',
      message: 'Owner ID: id value of incorrect type: INVALID_OWNER',
      fields: ['OwnerId'],
    });
    expect(
      firstError(
        insertOne('Opportunity', {
          Name: 'O',
          StageName: 'Prospecting',
          CloseDate: '2026-03-31',
          AccountId: t.userId,
        }),
      ),
    ).toEqual({
      statusCode: 'FIELD_INTEGRITY_EXCEPTION',
      message: `Account ID: id value of incorrect type: ${t.userId}`,
      fields: ['AccountId'],
    });
    const missing = accountId.slice(0, 9) + 'zzzzzz';
    expect(firstError(insertOne('Dml_Test__c', { Account__c: missing }))).toEqual({
      statusCode: 'INVALID_CROSS_REFERENCE_KEY',
      message: 'invalid cross reference id',
      fields: ['Account__c'],
    });
    t.org.db.prepare('UPDATE "User" SET "IsActive" = 0 WHERE "Id" = ?').run(t.integrationUserId);
    expect(firstError(insertOne('Account', { Name: 'A', OwnerId: t.integrationUserId })).statusCode).toBe(
      'INACTIVE_OWNER_OR_USER',
    );
    t.org.db.prepare('UPDATE "User" SET "IsActive" = 1 WHERE "Id" = ?').run(t.integrationUserId);
    // 15-character ids are accepted and stored as 18.
    const [ok] = insertOne('Dml_Test__c', { Account__c: accountId.slice(0, 15) });
    expect(rowOf(t.org, 'Dml_Test__c', ok.id as string)?.Account__c).toBe(accountId);
  });

  it('rejects duplicates of unique fields with DUPLICATE_VALUE (case-insensitively)', () => {
    const [first] = insertOne('Dml_Test__c', { External_Key__c: 'KEY-1' });
    expect(firstError(insertOne('Dml_Test__c', { External_Key__c: 'key-1' }))).toEqual({
      statusCode: 'DUPLICATE_VALUE',
      message: `duplicate value found: External_Key__c duplicates value on record with id: ${first.id}`,
      fields: [],
    });
    // Updating a record to its own value is not a duplicate.
    expect(
      updateRecords(t.org, 'Dml_Test__c', [{ Id: first.id, External_Key__c: 'KEY-1' }], t.json)[0].success,
    ).toBe(true);
  });

  it('rejects an invalid email address', () => {
    expect(firstError(insertOne('Dml_Test__c', { Contact_Email__c: 'not-an-email' })).statusCode).toBe(
      'INVALID_EMAIL_ADDRESS',
    );
  });

  it('refuses writes to read-only objects', () => {
    expect(firstError(insertOne('OpportunityHistory', { StageName: 'Prospecting' }))).toEqual({
      statusCode: 'INVALID_TYPE_FOR_OPERATION',
      message: 'entity type cannot be inserted: Opportunity History',
      fields: [],
    });
  });

  it('fails updates of deleted, unknown and malformed ids', () => {
    const [{ id }] = insertOne('Account', { Name: 'Gone' });
    t.org.db.prepare('UPDATE "Account" SET "IsDeleted" = 1 WHERE "Id" = ?').run(id);
    expect(firstError(updateRecords(t.org, 'Account', [{ Id: id, Name: 'x' }], t.json))).toEqual({
      statusCode: 'ENTITY_IS_DELETED',
      message: 'entity is deleted',
      fields: [],
    });
    const unknown = updateRecords(
      t.org,
      'Account',
      [{ Id: accountId.slice(0, 9) + 'zzzzzz', Name: 'x' }],
      t.json,
    );
    expect(unknown[0]).toMatchObject({
      success: false,
      errors: [{ statusCode: 'INVALID_CROSS_REFERENCE_KEY' }],
    });
    expect(firstError(updateRecords(t.org, 'Account', [{ Id: 'nope', Name: 'x' }], t.json)).statusCode).toBe(
      'MALFORMED_ID',
    );
  });

  it('matches input field names case-insensitively and ignores attributes', () => {
    const [r] = insertOne('Account', { attributes: { type: 'Account' }, name: 'lower', INDUSTRY: 'Banking' });
    expect(rowOf(t.org, 'Account', r.id as string)).toMatchObject({ Name: 'lower', Industry: 'Banking' });
  });

  it('fills system fields, defaults, auto-numbers and User.Name', () => {
    const [a] = insertOne('Dml_Test__c', {});
    const [b] = insertOne('Dml_Test__c', {}, t.csv);
    const rowA = rowOf(t.org, 'Dml_Test__c', a.id as string);
    expect(rowA).toMatchObject({
      IsDeleted: 0,
      Flag__c: 1,
      OwnerId: t.userId,
      CreatedById: t.userId,
      LastModifiedById: t.userId,
      CreatedDate: T0,
      LastModifiedDate: T0,
      SystemModstamp: T0,
    });
    expect(String(rowA?.Name)).toMatch(/^DT-\d{4}$/);
    const n = Number(String(rowA?.Name).slice(3));
    expect(rowOf(t.org, 'Dml_Test__c', b.id as string)?.Name).toBe(`DT-${String(n + 1).padStart(4, '0')}`);
    expect(a.id).toMatch(/^a[0-9a-z]{2}[A-Za-z0-9]{15}$/);

    const profileId = (rowOf(t.org, 'User', t.userId) as { ProfileId: string }).ProfileId;
    const [u] = insertOne('User', {
      Username: 'new@x.test',
      LastName: 'Lovelace',
      FirstName: 'Ada',
      Email: 'new@x.test',
      Alias: 'al',
      TimeZoneSidKey: 'GMT',
      LocaleSidKey: 'en_US',
      EmailEncodingKey: 'UTF-8',
      LanguageLocaleKey: 'en_US',
      ProfileId: profileId,
    });
    expect(rowOf(t.org, 'User', u.id as string)).toMatchObject({
      Name: 'Ada Lovelace',
      IsActive: 1,
      UserType: 'Standard',
    });
    updateRecords(t.org, 'User', [{ Id: u.id, FirstName: null }], t.json);
    expect(rowOf(t.org, 'User', u.id as string)?.Name).toBe('Lovelace');
  });

  it('bumps LastModifiedDate and SystemModstamp on every update, even without changes', () => {
    const [{ id }] = insertOne('Account', { Name: 'Stamp' });
    t.clock.advance(5_500);
    const [r] = updateRecords(t.org, 'Account', [{ Id: id, Name: 'Stamp' }], {
      ...t.json,
      userId: t.integrationUserId,
    });
    expect(r).toEqual({ id, success: true, errors: [] });
    const row = rowOf(t.org, 'Account', id as string);
    expect(row).toMatchObject({ CreatedDate: T0 + 0, LastModifiedById: t.integrationUserId });
    expect(row?.SystemModstamp).toBe(row?.LastModifiedDate);
    expect(Number(row?.SystemModstamp) % 1000).toBe(0);
    expect(Number(row?.SystemModstamp)).toBeGreaterThan(T0);
  });
});
