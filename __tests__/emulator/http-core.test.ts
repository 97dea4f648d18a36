import type { RunningOrg } from '../../emulator/src/server';
import { API_VERSION, connect, startTestOrg } from '../helpers/org';

describe('embedded org HTTP core', () => {
  let running: RunningOrg;
  beforeAll(async () => {
    running = await startTestOrg();
  });
  afterAll(() => running.close());

  it('rejects an unknown token with 401 INVALID_SESSION_ID in Salesforce shape', async () => {
    const conn = connect(running, 'not-a-token');
    await expect(conn.request(`/services/data/v${API_VERSION}/limits`)).rejects.toMatchObject({
      errorCode: 'INVALID_SESSION_ID',
      message: 'Session expired or invalid',
    });
  });

  it('answers unknown API resources with 404 NOT_FOUND as JSON, not HTML', async () => {
    const res = await fetch(`${running.instanceUrl}/services/data/v${API_VERSION}/no-such-thing`, {
      headers: { Authorization: `Bearer ${running.accessToken}` },
    });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/json;charset=UTF-8');
    expect(await res.json()).toEqual([
      { errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' },
    ]);
  });
});
