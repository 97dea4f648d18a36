import { Connection } from 'jsforce';
import { makeId } from '../../emulator/src/ids';
import type { RunningOrg } from '../../emulator/src/server';
import { API_VERSION, connect, startTestOrg } from '../helpers/org';

describe('identity, userinfo and the version resources', () => {
  let running: RunningOrg;
  beforeAll(async () => {
    running = await startTestOrg();
  });
  afterAll(() => running.close());

  const idUrl = (orgId: string, userId: string): string => `${running.instanceUrl}/id/${orgId}/${userId}`;

  it('answers identity() on the static token, finding the identity URL through the versioned root', async () => {
    const conn = connect(running);
    const identity = (await conn.identity()) as unknown as Record<string, unknown> & { id: string };
    expect(identity).toMatchObject({
      id: idUrl(running.org.orgId, running.adminUserId),
      user_id: running.adminUserId,
      organization_id: running.org.orgId,
      username: 'admin@salesops.demo',
      display_name: 'Ada Admin',
      email: 'admin@salesops.demo',
      first_name: 'Ada',
      last_name: 'Admin',
      active: true,
      user_type: 'STANDARD',
      language: 'en_US',
      locale: 'en_US',
      photos: { picture: expect.stringMatching(/^http/), thumbnail: expect.stringMatching(/^http/) },
    });
    expect(identity.urls).toMatchObject({
      rest: `${running.instanceUrl}/services/data/v{version}/`,
      sobjects: `${running.instanceUrl}/services/data/v{version}/sobjects/`,
      query: `${running.instanceUrl}/services/data/v{version}/query/`,
      partner: `${running.instanceUrl}/services/Soap/u/{version}/${running.org.orgId.slice(0, 15)}`,
    });
    // America/Los_Angeles is 7 or 8 hours behind UTC depending on the date.
    expect([-7 * 3600_000, -8 * 3600_000]).toContain(identity.utcOffset);
    expect(identity.last_modified_date).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);
    expect(conn.userInfo).toEqual({
      id: running.adminUserId,
      organizationId: running.org.orgId,
      url: identity.id,
    });
  });

  it('answers identity() after an OAuth login for the logged-in user (the integration user here)', async () => {
    const conn = new Connection({
      oauth2: { clientId: running.clientId, clientSecret: running.clientSecret, loginUrl: running.loginUrl },
      version: API_VERSION,
    });
    await conn.login('integration@salesops.demo', running.password);
    const identity = await conn.identity();
    expect(identity.user_id).toBe(running.integrationUserId);
    expect(identity.username).toBe('integration@salesops.demo');
  });

  it('accepts 15-character ids and the token as a header or ?oauth_token=', async () => {
    const url = idUrl(running.org.orgId.slice(0, 15), running.adminUserId.slice(0, 15));
    const byHeader = await fetch(url, { headers: { Authorization: `Bearer ${running.accessToken}` } });
    expect(byHeader.status).toBe(200);
    const byQuery = await fetch(`${url}?format=json&oauth_token=${encodeURIComponent(running.accessToken)}`);
    expect(byQuery.status).toBe(200);
    expect(((await byQuery.json()) as { user_id: string }).user_id).toBe(running.adminUserId);
  });

  it.each([
    [
      'no token',
      () => ({ url: idUrl(running.org.orgId, running.adminUserId), token: null }),
      403,
      'Missing_OAuth_Token',
    ],
    [
      'a bad token',
      () => ({ url: idUrl(running.org.orgId, running.adminUserId), token: 'nope' }),
      403,
      'Bad_OAuth_Token',
    ],
    [
      'another org',
      () => ({ url: idUrl(makeId('00D', 999), running.adminUserId), token: running.accessToken }),
      403,
      'Wrong_Org',
    ],
    [
      'an unknown user',
      () => ({ url: idUrl(running.org.orgId, makeId('005', 999)), token: running.accessToken }),
      404,
      'Bad_Id',
    ],
    [
      'a malformed user id',
      () => ({ url: idUrl(running.org.orgId, 'garbage'), token: running.accessToken }),
      404,
      'Bad_Id',
    ],
  ])('refuses identity with %s', async (_label, make, status, code) => {
    const { url, token } = make();
    const res = await fetch(url, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
    expect(res.status).toBe(status);
    expect(await res.text()).toBe(code);
  });

  it('answers /services/oauth2/userinfo in the OpenID shape', async () => {
    const res = await fetch(`${running.instanceUrl}/services/oauth2/userinfo`, {
      headers: { Authorization: `Bearer ${running.accessToken}` },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      sub: idUrl(running.org.orgId, running.adminUserId),
      user_id: running.adminUserId,
      organization_id: running.org.orgId,
      preferred_username: 'admin@salesops.demo',
      name: 'Ada Admin',
      given_name: 'Ada',
      family_name: 'Admin',
      email: 'admin@salesops.demo',
      zoneinfo: 'America/Los_Angeles',
    });
    const bad = await fetch(`${running.instanceUrl}/services/oauth2/userinfo`, {
      headers: { Authorization: 'Bearer nope' },
    });
    expect(bad.status).toBe(403);
  });

  it('lists API versions 20.0–62.0 without auth and without a limit header', async () => {
    const res = await fetch(`${running.instanceUrl}/services/data`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json;charset=UTF-8');
    expect(res.headers.get('sforce-limit-info')).toBeNull();
    const versions = (await res.json()) as Array<{ label: string; url: string; version: string }>;
    expect(versions).toHaveLength(43);
    expect(versions[0]).toEqual({ label: "Winter '11", url: '/services/data/v20.0', version: '20.0' });
    expect(versions.find((v) => v.version === '59.0')).toEqual({
      label: "Winter '24",
      url: '/services/data/v59.0',
      version: '59.0',
    });
    expect(versions[42]).toEqual({ label: "Winter '25", url: '/services/data/v62.0', version: '62.0' });
  });

  it('answers the versioned root with paths and an absolute identity URL, counted like any API call', async () => {
    const conn = connect(running);
    const root = await conn.request<Record<string, string>>(`/services/data/v${API_VERSION}/`);
    expect(root.identity).toBe(idUrl(running.org.orgId, running.adminUserId));
    for (const key of [
      'sobjects',
      'query',
      'queryAll',
      'search',
      'limits',
      'recent',
      'composite',
      'tabs',
      'theme',
    ]) {
      expect(root[key]).toBe(`/services/data/v${API_VERSION}/${key}`);
    }
    expect(conn.limitInfo.apiUsage?.used).toBeGreaterThan(0);
  });

  it('rejects an unknown token on the API with 401 INVALID_SESSION_ID', async () => {
    await expect(
      connect(running, 'unknown').request(`/services/data/v${API_VERSION}/`),
    ).rejects.toMatchObject({
      errorCode: 'INVALID_SESSION_ID',
      message: 'Session expired or invalid',
    });
  });
});
