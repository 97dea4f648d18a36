import type { Connection } from 'jsforce';
import type { RunningOrg } from '../../emulator/src/server';
import { API_VERSION, connect, startTestOrg } from '../helpers/org';
import { dmlMetadataDir } from './dml-fixtures';

// The node project's testTimeout is not applied per project; starting an org can take seconds on a busy machine.
jest.setTimeout(30_000);

type Result = {
  id?: string;
  success: boolean;
  errors: Array<{ statusCode: string; message: string; fields: string[] }>;
  created?: boolean;
};

describe('sObject Collections through jsforce', () => {
  let running: RunningOrg;
  let conn: Connection;
  beforeAll(async () => {
    running = await startTestOrg({ metadataDirs: [dmlMetadataDir()] });
    conn = connect(running);
  });
  afterAll(() => running.close());

  it('creates, updates, retrieves and deletes arrays of records', async () => {
    const created = (await conn
      .sobject('Account')
      .create([{ Name: 'C1' }, { Name: 'C2' }, { Name: '' }])) as Result[];
    expect(created[0]).toEqual({ id: expect.stringMatching(/^001/), success: true, errors: [] });
    expect(created[2]).toEqual({
      success: false,
      errors: [
        {
          statusCode: 'REQUIRED_FIELD_MISSING',
          message: 'Required fields are missing: [Name]',
          fields: ['Name'],
        },
      ],
    });
    const [a, b] = created.map((r) => r.id as string);

    const updated = (await conn.sobject('Account').update([
      { Id: a, Name: 'C1 updated' },
      { Id: b, Name: 'x'.repeat(300) },
    ])) as Result[];
    expect(updated[0]).toEqual({ id: a, success: true, errors: [] });
    expect(updated[1]).toMatchObject({
      id: b,
      success: false,
      errors: [{ statusCode: 'STRING_TOO_LONG', fields: ['Name'] }],
    });

    const fetched = (await conn
      .sobject('Account')
      .retrieve([a, b], { fields: ['Name', 'Id'] })) as unknown as Array<Record<string, unknown>>;
    expect(fetched).toEqual([
      {
        attributes: { type: 'Account', url: `/services/data/v${API_VERSION}/sobjects/Account/${a}` },
        Id: a,
        Name: 'C1 updated',
      },
      {
        attributes: { type: 'Account', url: `/services/data/v${API_VERSION}/sobjects/Account/${b}` },
        Id: b,
        Name: 'C2',
      },
    ]);

    const unknown = a.slice(0, 9) + 'zzzzzz';
    const destroyed = (await conn.sobject('Account').destroy([a, unknown])) as Result[];
    expect(destroyed[0]).toEqual({ id: a, success: true, errors: [] });
    expect(destroyed[1]).toMatchObject({
      success: false,
      errors: [{ statusCode: 'INVALID_CROSS_REFERENCE_KEY' }],
    });
    const again = (await conn.sobject('Account').destroy([a])) as Result[];
    expect(again[0]).toEqual({
      id: a,
      success: false,
      errors: [{ statusCode: 'ENTITY_IS_DELETED', message: 'entity is deleted', fields: [] }],
    });

    const afterDelete = await conn.sobject('Account').retrieve([a, b], { fields: ['Name'] });
    expect(afterDelete[0]).toBeNull();
    expect(afterDelete[1]).toMatchObject({ Id: b, Name: 'C2' });
  });

  it('creates records of several types in one call', async () => {
    const res = (await conn.request({
      method: 'POST',
      url: `/services/data/v${API_VERSION}/composite/sobjects`,
      body: JSON.stringify({
        allOrNone: false,
        records: [
          { attributes: { type: 'Account' }, Name: 'Mixed' },
          { attributes: { type: 'Dml_Test__c' }, Count__c: 3 },
        ],
      }),
      headers: { 'content-type': 'application/json' },
    })) as Result[];
    expect(res.map((r) => r.id?.slice(0, 1))).toEqual(['0', 'a']);
  });

  it('upserts 1,000 records in chunks of 200, then updates the same ids', async () => {
    const records = Array.from({ length: 1000 }, (_, i) => ({
      External_Key__c: `BULK-${i}`,
      Count__c: i % 100,
    }));
    const first = (await conn
      .sobject('Dml_Test__c')
      .upsert(records, 'External_Key__c', { allowRecursive: true })) as Result[];
    expect(first).toHaveLength(1000);
    expect(first.every((r) => r.success && r.created === true)).toBe(true);
    const second = (await conn.sobject('Dml_Test__c').upsert(
      records.map((r) => ({ ...r, Count__c: 1 })),
      'External_Key__c',
      { allowRecursive: true },
    )) as Result[];
    expect(second.every((r) => r.success && r.created === false)).toBe(true);
    expect(second.map((r) => r.id)).toEqual(first.map((r) => r.id));
    expect(
      running.org.db
        .prepare('SELECT COUNT(*) AS n, SUM(Count__c) AS s FROM "Dml_Test__c" WHERE External_Key__c LIKE ?')
        .get('BULK-%'),
    ).toEqual({
      n: 1000,
      s: 1000,
    });
  });

  it('rolls back an allOrNone upsert, keeping created: true on every item', async () => {
    const rets = (await conn.sobject('Dml_Test__c').upsert(
      [
        { External_Key__c: 'AON-1', Count__c: 1 },
        { External_Key__c: 'AON-2', Count__c: 2, OwnerId: 'INVALID_OWNER' },
      ],
      'External_Key__c',
      { allOrNone: true },
    )) as Result[];
    expect(rets).toEqual([
      {
        success: false,
        created: true,
        errors: [
          {
            statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
            message:
              'Record rolled back because not all records were valid and the request was using AllOrNone header',
            fields: [],
          },
        ],
      },
      {
        success: false,
        created: true,
        errors: [
          {
            statusCode: 'MALFORMED_ID',
            message: 'Owner ID: id value of incorrect type: INVALID_OWNER',
            fields: ['OwnerId'],
          },
        ],
      },
    ]);
    expect(
      running.org.db
        .prepare('SELECT COUNT(*) AS n FROM "Dml_Test__c" WHERE External_Key__c LIKE ?')
        .get('AON-%'),
    ).toEqual({ n: 0 });
  });

  it('refuses more than 200 records with EXCEEDED_ID_LIMIT', async () => {
    const records = Array.from({ length: 201 }, (_, i) => ({ Name: `Over ${i}` }));
    await expect(conn.sobject('Account').create(records)).rejects.toMatchObject({
      errorCode: 'EXCEEDED_ID_LIMIT',
      message: 'record limit reached. cannot submit more than 200 records into this call',
    });
    const ids = Array.from({ length: 201 }, () => '001000000000001AAA');
    await expect(conn.sobject('Account').destroy(ids)).rejects.toMatchObject({
      errorCode: 'EXCEEDED_ID_LIMIT',
    });
    expect(
      running.org.db.prepare('SELECT COUNT(*) AS n FROM "Account" WHERE "Name" LIKE ?').get('Over %'),
    ).toEqual({ n: 0 });
  });

  it('fails rows with UNABLE_TO_LOCK_ROW under the lock fault', async () => {
    running.faults.configure({ lockRowRate: 1 });
    try {
      const res = (await conn.sobject('Account').create([{ Name: 'L1' }, { Name: 'L2' }])) as Result[];
      expect(res.map((r) => r.errors[0]?.statusCode)).toEqual(['UNABLE_TO_LOCK_ROW', 'UNABLE_TO_LOCK_ROW']);
      expect(res[0].errors[0].message).toMatch(
        /^unable to obtain exclusive access to this record or 1 records: 001/,
      );
    } finally {
      running.faults.configure({});
    }
  });

  it('rejects a collection body that is not a list of records', async () => {
    await expect(
      conn.request({
        method: 'POST',
        url: `/services/data/v${API_VERSION}/composite/sobjects`,
        body: JSON.stringify({ records: 'nope' }),
        headers: { 'content-type': 'application/json' },
      }),
    ).rejects.toMatchObject({ errorCode: 'JSON_PARSER_ERROR' });
  });
});
