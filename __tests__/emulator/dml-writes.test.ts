import {
  deleteRecords,
  hardDeleteRecords,
  insertRecords,
  undeleteRecords,
  updateRecords,
  upsertRecords,
} from '../../emulator/src/dml';
import { makeDmlOrg, rowOf, T0, type DmlTestOrg } from './dml-fixtures';

const ROLLED_BACK = {
  statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
  message: 'Record rolled back because not all records were valid and the request was using AllOrNone header',
  fields: [],
};

const count = (t: DmlTestOrg, obj: string): number =>
  (t.org.db.prepare(`SELECT COUNT(*) AS n FROM "${obj}"`).get() as { n: number }).n;

describe('DML transactions, upsert and deletion', () => {
  let t: DmlTestOrg;
  beforeEach(() => {
    t = makeDmlOrg();
  });
  afterEach(() => t.close());

  it('commits good rows and reports bad ones without allOrNone, in input order', () => {
    const before = count(t, 'Account');
    const results = insertRecords(t.org, 'Account', [{ Name: 'A' }, { Name: null }, { Name: 'C' }], t.json);
    expect(results.map((r) => r.success)).toEqual([true, false, true]);
    expect(results[1]).toEqual({
      id: null,
      success: false,
      errors: [
        {
          statusCode: 'REQUIRED_FIELD_MISSING',
          message: 'Required fields are missing: [Name]',
          fields: ['Name'],
        },
      ],
    });
    expect(count(t, 'Account')).toBe(before + 2);
  });

  it('rolls back every row with allOrNone when one fails', () => {
    const before = count(t, 'Account');
    const results = insertRecords(
      t.org,
      'Account',
      [{ Name: 'A' }, { Name: 'B', OwnerId: 'INVALID_OWNER' }],
      { ...t.json, allOrNone: true },
    );
    expect(results).toEqual([
      { id: null, success: false, errors: [ROLLED_BACK] },
      {
        id: null,
        success: false,
        errors: [
          {
            statusCode: 'MALFORMED_ID',
            message: 'Owner ID: id value of incorrect type: INVALID_OWNER',
            fields: ['OwnerId'],
          },
        ],
      },
    ]);
    expect(count(t, 'Account')).toBe(before);
  });

  it('keeps created: true on every upsert row of a rolled-back call (Salesforce quirk)', () => {
    const results = upsertRecords(
      t.org,
      'Dml_Test__c',
      'External_Key__c',
      [{ External_Key__c: 'U1' }, { External_Key__c: 'U2', OwnerId: 'INVALID_OWNER' }],
      { ...t.json, allOrNone: true },
    );
    expect(results).toEqual([
      { id: null, success: false, errors: [ROLLED_BACK], created: true },
      {
        id: null,
        success: false,
        errors: [expect.objectContaining({ statusCode: 'MALFORMED_ID' })],
        created: true,
      },
    ]);
    expect(count(t, 'Dml_Test__c')).toBe(0);
  });

  it('rolls back updates too, reporting their ids', () => {
    const [{ id }] = insertRecords(t.org, 'Account', [{ Name: 'Keep' }], t.json);
    const results = updateRecords(
      t.org,
      'Account',
      [
        { Id: id, Name: 'Changed' },
        { Id: id, Name: null },
      ],
      { ...t.json, allOrNone: true },
    );
    expect(results[0]).toEqual({ id, success: false, errors: [ROLLED_BACK] });
    expect(rowOf(t.org, 'Account', id as string)?.Name).toBe('Keep');
  });

  it('upserts by external id: creates, then updates the same record, case-insensitively', () => {
    const [c] = upsertRecords(
      t.org,
      'Dml_Test__c',
      'External_Key__c',
      [{ External_Key__c: 'Ext-1', Count__c: 1 }],
      t.json,
    );
    expect(c).toEqual({ id: expect.any(String), success: true, errors: [], created: true });
    const [u] = upsertRecords(
      t.org,
      'Dml_Test__c',
      'external_key__c',
      [{ External_Key__c: 'EXT-1', Count__c: 2 }],
      t.json,
    );
    expect(u).toEqual({ id: c.id, success: true, errors: [], created: false });
    expect(rowOf(t.org, 'Dml_Test__c', c.id as string)).toMatchObject({
      External_Key__c: 'Ext-1',
      Count__c: 2,
    });
  });

  it('fails upsert rows whose key is missing, repeated in the call, or matches several records', () => {
    insertRecords(t.org, 'Dml_Test__c', [{ Loose_Key__c: 'L' }, { Loose_Key__c: 'L' }], t.json);
    const results = upsertRecords(
      t.org,
      'Dml_Test__c',
      'Loose_Key__c',
      [
        { Count__c: 1 },
        { Loose_Key__c: 'D' },
        { Loose_Key__c: 'd' },
        { Loose_Key__c: 'L' },
        { Loose_Key__c: 'new' },
      ],
      t.json,
    );
    expect(results.map((r) => r.errors[0]?.statusCode ?? 'ok')).toEqual([
      'MISSING_ARGUMENT',
      'DUPLICATE_EXTERNAL_ID',
      'DUPLICATE_EXTERNAL_ID',
      'DUPLICATE_EXTERNAL_ID',
      'ok',
    ]);
    expect(results[3].errors[0].message).toMatch(/^More than 1 record found for external id field: \[a/);
    expect(() => upsertRecords(t.org, 'Dml_Test__c', 'Count__c', [{}], t.json)).toThrow(
      'Provided external ID field does not exist or is not accessible: Count__c',
    );
  });

  it('upserts by Id', () => {
    const [{ id }] = insertRecords(t.org, 'Account', [{ Name: 'ById' }], t.json);
    expect(upsertRecords(t.org, 'Account', 'Id', [{ Id: id, Name: 'ById 2' }], t.json)[0]).toEqual({
      id,
      success: true,
      errors: [],
      created: false,
    });
    expect(rowOf(t.org, 'Account', id as string)?.Name).toBe('ById 2');
  });

  it('fails a row with UNABLE_TO_LOCK_ROW when the fault plan says so, asking once per row', () => {
    const answers = [false, true, false];
    let asked = 0;
    const faults = { lockRow: () => answers[asked++] };
    const results = insertRecords(t.org, 'Account', [{ Name: 'a' }, { Name: 'b' }, { Name: 'c' }], {
      ...t.json,
      faults,
    });
    expect(asked).toBe(3);
    expect(results.map((r) => r.success)).toEqual([true, false, true]);
    expect(results[1].errors[0]).toEqual({
      statusCode: 'UNABLE_TO_LOCK_ROW',
      message: expect.stringMatching(
        /^unable to obtain exclusive access to this record or 1 records: 001[A-Za-z0-9]{15}$/,
      ),
      fields: [],
    });
  });

  it('soft-deletes with cascade to master-detail children and SetNull on lookups; undelete restores all', () => {
    const [{ id: accountId }] = insertRecords(t.org, 'Account', [{ Name: 'Acc' }], t.json);
    const [{ id: parent }, { id: peer }] = insertRecords(
      t.org,
      'Dml_Test__c',
      [{ Account__c: accountId }, {}],
      t.json,
    );
    const [{ id: child }] = insertRecords(
      t.org,
      'Dml_Child__c',
      [{ Name: 'kid', Parent__c: parent, Peer__c: peer }],
      t.json,
    );
    t.clock.advance(60_000);

    expect(deleteRecords(t.org, [accountId as string], t.json)).toEqual([
      { id: accountId, success: true, errors: [] },
    ]);
    expect(rowOf(t.org, 'Dml_Test__c', parent as string)).toMatchObject({
      Account__c: null,
      SystemModstamp: T0 + 60_000,
    });
    expect(rowOf(t.org, 'Account', accountId as string)).toMatchObject({
      IsDeleted: 1,
      SystemModstamp: T0 + 60_000,
    });

    expect(deleteRecords(t.org, [peer as string, parent as string], t.json).every((r) => r.success)).toBe(
      true,
    );
    expect(rowOf(t.org, 'Dml_Child__c', child as string)).toMatchObject({ IsDeleted: 1, Peer__c: null });
    const log = t.org.db.prepare('SELECT id, object, deleted_at, purged FROM _delete_log ORDER BY id').all();
    expect(log).toEqual(
      expect.arrayContaining([
        { id: accountId, object: 'Account', deleted_at: T0 + 60_000, purged: 0 },
        { id: child, object: 'Dml_Child__c', deleted_at: T0 + 60_000, purged: 0 },
      ]),
    );
    // A deleted record can be neither referenced nor deleted again.
    expect(
      insertRecords(t.org, 'Dml_Child__c', [{ Name: 'x', Parent__c: parent }], t.json)[0].errors[0],
    ).toMatchObject({
      statusCode: 'INVALID_CROSS_REFERENCE_KEY',
    });
    expect(deleteRecords(t.org, [parent as string], t.json)[0].errors[0]).toEqual({
      statusCode: 'ENTITY_IS_DELETED',
      message: 'entity is deleted',
      fields: [],
    });

    expect(
      undeleteRecords(t.org, [parent as string, peer as string, accountId as string], t.json).every(
        (r) => r.success,
      ),
    ).toBe(true);
    expect(rowOf(t.org, 'Dml_Child__c', child as string)).toMatchObject({ IsDeleted: 0, Peer__c: peer });
    expect(rowOf(t.org, 'Dml_Test__c', parent as string)).toMatchObject({
      IsDeleted: 0,
      Account__c: accountId,
    });
    expect(t.org.db.prepare('SELECT COUNT(*) AS n FROM _delete_log').get()).toEqual({ n: 0 });
    expect(undeleteRecords(t.org, [parent as string], t.json)[0].errors[0].statusCode).toBe(
      'UNDELETE_FAILED',
    );
  });

  it('reports malformed and unknown ids in delete calls', () => {
    const [{ id }] = insertRecords(t.org, 'Account', [{ Name: 'Acc' }], t.json);
    const unknown = (id as string).slice(0, 9) + 'zzzzzz';
    const results = deleteRecords(t.org, ["x' OR 1=1 --", unknown], t.json);
    expect(results[0]).toEqual({
      id: "x' OR 1=1 --",
      success: false,
      errors: [{ statusCode: 'MALFORMED_ID', message: "malformed id x' OR 1=1 --", fields: [] }],
    });
    expect(results[1].errors[0].statusCode).toBe('INVALID_CROSS_REFERENCE_KEY');
    expect(rowOf(t.org, 'Account', id as string)?.IsDeleted).toBe(0);
    expect(deleteRecords(t.org, [t.userId], t.json)[0].errors[0].statusCode).toBe(
      'INVALID_TYPE_FOR_OPERATION',
    );
  });

  it('hard-deletes rows and children but keeps the delete log entry, marked purged', () => {
    const [{ id: parent }] = insertRecords(t.org, 'Dml_Test__c', [{}], t.json);
    const [{ id: child }] = insertRecords(
      t.org,
      'Dml_Child__c',
      [{ Name: 'kid', Parent__c: parent }],
      t.json,
    );
    expect(hardDeleteRecords(t.org, [parent as string], t.json)).toEqual([
      { id: parent, success: true, errors: [] },
    ]);
    expect(rowOf(t.org, 'Dml_Test__c', parent as string)).toBeUndefined();
    expect(rowOf(t.org, 'Dml_Child__c', child as string)).toBeUndefined();
    expect(t.org.db.prepare('SELECT purged FROM _delete_log WHERE id = ?').get(parent)).toEqual({
      purged: 1,
    });
  });

  it("resolves lookups given by the parent's external id (CSV column and JSON object)", () => {
    const [{ id: parent }] = insertRecords(t.org, 'Dml_Test__c', [{ External_Key__c: 'P-1' }], t.json);
    const [csvChild] = insertRecords(
      t.org,
      'Dml_Child__c',
      [{ Name: 'c', 'Parent__r.External_Key__c': 'p-1' }],
      t.csv,
    );
    expect(rowOf(t.org, 'Dml_Child__c', csvChild.id as string)?.Parent__c).toBe(parent);
    const [jsonChild] = insertRecords(
      t.org,
      'Dml_Child__c',
      [{ Name: 'j', Parent__r: { attributes: { type: 'Dml_Test__c' }, External_Key__c: 'P-1' } }],
      t.json,
    );
    expect(rowOf(t.org, 'Dml_Child__c', jsonChild.id as string)?.Parent__c).toBe(parent);
    const [missing] = insertRecords(
      t.org,
      'Dml_Child__c',
      [{ Name: 'm', 'Parent__r.External_Key__c': 'nope' }],
      t.csv,
    );
    expect(missing.errors[0]).toEqual({
      statusCode: 'INVALID_FIELD',
      message: 'Foreign key external ID: nope not found for field External_Key__c in entity Dml_Test__c',
      fields: ['Parent__c'],
    });
    const [badRel] = insertRecords(
      t.org,
      'Dml_Child__c',
      [{ Name: 'b', 'Nope__r.External_Key__c': 'P-1' }],
      t.csv,
    );
    expect(badRel.errors[0].statusCode).toBe('INVALID_FIELD');
  });

  it('creates on an Id upsert without an Id (Bulk files mix new and existing rows)', () => {
    const results = upsertRecords(t.org, 'Account', 'Id', [{ Id: '', Name: 'New by Id upsert' }], t.csv);
    expect(results[0]).toEqual({
      id: expect.stringMatching(/^001/),
      success: true,
      errors: [],
      created: true,
    });
  });
});
