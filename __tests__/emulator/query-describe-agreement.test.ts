import type { RunningOrg } from '../../emulator/src/server';
import { RowWriter } from '../../emulator/src/store/row-writer';
import { connect, startTestOrg } from '../helpers/org';

/**
 * jsforce builds SOQL from describe (find() without fields, include(), `Rel.*`), so every field
 * and relationship describe lists must be one the query engine accepts.
 */
let running: RunningOrg;

beforeAll(async () => {
  running = await startTestOrg();
  const account = new RowWriter(running.org, 'Account').insert({ Name: 'Acme' }, running.adminUserId);
  new RowWriter(running.org, 'Opportunity').insert(
    { Name: 'First', AccountId: account, StageName: 'Prospecting', CloseDate: '2024-01-01', Amount: 10 },
    running.adminUserId,
  );
});

afterAll(() => running.close());

it('find() without a field list works on every object', async () => {
  const conn = connect(running);
  const failures: string[] = [];
  for (const { name } of running.org.schema.list()) {
    try {
      await conn.sobject(name).find({}).limit(1);
    } catch (err) {
      failures.push(`${name}: ${(err as Error).message}`);
    }
  }
  expect(failures).toEqual([]);
});

it('include() and Rel.* expand through describe into queries the engine answers', async () => {
  const conn = connect(running);
  const accounts = await conn
    .sobject('Account')
    .find({}, ['Name'])
    .include('Opportunities')
    .select('Name, Amount')
    .end();
  expect(accounts).toEqual([
    {
      attributes: expect.objectContaining({ type: 'Account' }),
      Name: 'Acme',
      Opportunities: {
        totalSize: 1,
        done: true,
        records: [
          { attributes: expect.objectContaining({ type: 'Opportunity' }), Name: 'First', Amount: 10 },
        ],
      },
    },
  ]);
  const opps = await conn.sobject('Opportunity').find({}, ['Name', 'Account.*']);
  expect((opps[0].Account as { Name: string }).Name).toBe('Acme');
});
