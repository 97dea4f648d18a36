import type { Connection } from 'jsforce';
import type { RunningOrg } from '../../emulator/src/server';
import { API_VERSION, connect, startTestOrg } from '../helpers/org';

describe('single-record REST through jsforce', () => {
  let running: RunningOrg;
  let conn: Connection;
  beforeAll(async () => {
    running = await startTestOrg();
    conn = connect(running);
  });
  afterAll(() => running.close());

  it('creates, retrieves, updates and deletes an Account', async () => {
    const created = await conn.sobject('Account').create({ Name: 'Acme', Industry: 'Banking', NumberOfEmployees: 12 });
    expect(created).toEqual({ id: expect.stringMatching(/^001[A-Za-z0-9]{15}$/), success: true, errors: [] });
    const id = created.id as string;

    const record = (await conn.sobject('Account').retrieve(id)) as unknown as Record<string, unknown>;
    expect(Object.keys(record)[0]).toBe('attributes');
    expect(record.attributes).toEqual({ type: 'Account', url: `/services/data/v${API_VERSION}/sobjects/Account/${id}` });
    expect(record).toMatchObject({
      Id: id,
      Name: 'Acme',
      Industry: 'Banking',
      NumberOfEmployees: 12,
      OwnerId: running.adminUserId,
      CreatedById: running.adminUserId,
      IsDeleted: false,
      AnnualRevenue: null,
    });
    expect(record.CreatedDate).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000\+0000$/);

    const updated = await conn.sobject('Account').update({ Id: id, Name: 'Acme Corp', Industry: null });
    expect(updated).toEqual({ id, success: true, errors: [] });
    const after = (await conn.sobject('Account').retrieve(id, { fields: ['Name', 'Industry'] })) as unknown as Record<string, unknown>;
    expect(after).toEqual({
      attributes: { type: 'Account', url: `/services/data/v${API_VERSION}/sobjects/Account/${id}` },
      Name: 'Acme Corp',
      Industry: null,
      Id: id,
    });

    expect(await conn.sobject('Account').destroy(id)).toEqual({ id, success: true, errors: [] });
    await expect(conn.sobject('Account').retrieve(id)).rejects.toMatchObject({
      errorCode: 'NOT_FOUND',
      message: 'The requested resource does not exist',
    });
    await expect(conn.sobject('Account').update({ Id: id, Name: 'x' })).rejects.toMatchObject({ errorCode: 'ENTITY_IS_DELETED' });
    await expect(conn.sobject('Account').destroy(id)).rejects.toMatchObject({ errorCode: 'ENTITY_IS_DELETED' });
  });
});
