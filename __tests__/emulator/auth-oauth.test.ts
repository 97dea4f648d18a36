import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Connection } from 'jsforce';
import { FixedClock } from '../../emulator/src/clock';
import type { RunningOrg } from '../../emulator/src/server';
import { API_VERSION, startTestOrg } from '../helpers/org';
import { admin, postForm, rsaKeys, signAssertion, type RsaKeys } from './auth-helpers';

const JWT_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const TTL_MS = 60 * 60 * 1000;

describe('OAuth 2.0 token endpoint with jsforce', () => {
  let running: RunningOrg;
  let clock: FixedClock;
  let keys: RsaKeys;
  let tokenUrl: string;

  beforeAll(async () => {
    keys = rsaKeys();
    clock = new FixedClock(Date.now());
    running = await startTestOrg({ clock, accessTokenTtlMs: TTL_MS, jwtCertificate: keys.publicKeyPem });
    tokenUrl = `${running.loginUrl}/services/oauth2/token`;
  });
  afterAll(() => running.close());

  const oauthConnection = (): Connection =>
    new Connection({
      oauth2: { clientId: running.clientId, clientSecret: running.clientSecret, loginUrl: running.loginUrl },
      version: API_VERSION,
    });

  const apiStatus = async (token: string): Promise<number> =>
    (
      await fetch(`${running.instanceUrl}/services/data/v${API_VERSION}/limits`, {
        headers: { Authorization: `Bearer ${token}` },
      })
    ).status;

  it('logs in with the password grant: ids from the id URL, instance URL, a working token', async () => {
    const conn = oauthConnection();
    const userInfo = await conn.login(running.username, running.password);
    expect(userInfo).toEqual({
      id: running.adminUserId,
      organizationId: running.org.orgId,
      url: `${running.instanceUrl}/id/${running.org.orgId}/${running.adminUserId}`,
    });
    expect(conn.instanceUrl).toBe(running.instanceUrl);
    const limits = await conn.limits();
    expect(limits.DailyApiRequests.Max).toBe(running.org.settings.dailyApiLimit);
  });

  it('answers the password grant in Salesforce shape, signed with the client secret', async () => {
    const { status, body } = await postForm(tokenUrl, {
      grant_type: 'password',
      client_id: running.clientId,
      client_secret: running.clientSecret,
      username: running.username,
      password: running.password,
    });
    expect(status).toBe(200);
    expect(Object.keys(body).sort()).toEqual(
      [
        'access_token',
        'id',
        'instance_url',
        'issued_at',
        'refresh_token',
        'scope',
        'signature',
        'token_type',
      ].sort(),
    );
    expect(body).toMatchObject({
      instance_url: running.instanceUrl,
      id: `${running.instanceUrl}/id/${running.org.orgId}/${running.adminUserId}`,
      token_type: 'Bearer',
      issued_at: String(clock.now()),
      scope: 'api id refresh_token',
    });
    const expected = createHmac('sha256', running.clientSecret)
      .update(String(body.id) + String(body.issued_at))
      .digest('base64');
    expect(body.signature).toBe(expected);
  });

  it.each([
    ['a wrong password', { password: 'nope' }, 'invalid_grant', 'authentication failure'],
    ['an unknown user', { username: 'ghost@salesops.demo' }, 'invalid_grant', 'authentication failure'],
    ['an unknown client id', { client_id: 'not-an-app' }, 'invalid_client_id', 'client identifier invalid'],
    ['a wrong client secret', { client_secret: 'wrong' }, 'invalid_client', 'invalid client credentials'],
  ])('refuses the password grant with %s', async (_label, override, error, description) => {
    const { status, body } = await postForm(tokenUrl, {
      grant_type: 'password',
      client_id: running.clientId,
      client_secret: running.clientSecret,
      username: running.username,
      password: running.password,
      ...override,
    });
    expect(status).toBe(400);
    expect(body).toEqual({ error, error_description: description });
  });

  it('surfaces a failed password login in jsforce as name = error, message = description', async () => {
    await expect(oauthConnection().login(running.username, 'wrong')).rejects.toMatchObject({
      name: 'invalid_grant',
      message: 'authentication failure',
    });
  });

  it('answers other grant types with unsupported_grant_type', async () => {
    for (const grant of ['authorization_code', 'made_up', '']) {
      const { status, body } = await postForm(tokenUrl, {
        grant_type: grant,
        code: 'x',
        client_id: running.clientId,
      });
      expect(status).toBe(400);
      expect(body).toEqual({
        error: 'unsupported_grant_type',
        error_description: 'grant type not supported',
      });
    }
  });

  it('reads chunked form bodies (jsforce sends OAuth requests without Content-Length)', async () => {
    const form = new URLSearchParams({
      grant_type: 'password',
      client_id: running.clientId,
      client_secret: running.clientSecret,
      username: running.username,
      password: running.password,
    }).toString();
    const { status, headers, text } = await new Promise<{
      status: number;
      headers: http.IncomingHttpHeaders;
      text: string;
    }>((resolve, reject) => {
      const req = http.request(
        tokenUrl,
        { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } },
        (res) => {
          let text = '';
          res.on('data', (c: Buffer) => (text += c.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
        },
      );
      req.on('error', reject);
      req.write(form.slice(0, 20));
      req.write(form.slice(20));
      req.end();
    });
    expect(status).toBe(200);
    expect(headers['content-type']).toBe('application/json;charset=UTF-8');
    expect(JSON.parse(text).access_token).toEqual(expect.any(String));
  });

  it('authorizes with client_credentials as the app run-as (integration) user, without a refresh token', async () => {
    const conn = oauthConnection();
    const userInfo = await conn.authorize({ grant_type: 'client_credentials' });
    expect(userInfo.id).toBe(running.integrationUserId);
    expect(conn.refreshToken).toBeUndefined();
    expect(await apiStatus(conn.accessToken ?? '')).toBe(200);

    const wrongSecret = new Connection({
      oauth2: { clientId: running.clientId, clientSecret: 'wrong', loginUrl: running.loginUrl },
      version: API_VERSION,
    });
    await expect(wrongSecret.authorize({ grant_type: 'client_credentials' })).rejects.toMatchObject({
      name: 'invalid_client',
      message: 'invalid client credentials',
    });
  });

  describe('JWT bearer', () => {
    const jwtConnection = () => new Connection({ loginUrl: running.loginUrl, version: API_VERSION });
    // Expiry is judged on the org's clock, which the refresh tests move.
    const validClaims = () => ({
      iss: running.clientId,
      sub: running.username,
      aud: running.loginUrl,
      exp: Math.floor(clock.now() / 1000) + 180,
    });

    it('logs in with an RS256 assertion signed by the key of the configured certificate', async () => {
      const conn = jwtConnection();
      const userInfo = await conn.authorize({
        grant_type: JWT_GRANT,
        assertion: signAssertion(keys.privateKeyPem, validClaims()),
      });
      expect(userInfo).toMatchObject({ id: running.adminUserId, organizationId: running.org.orgId });
      expect(conn.refreshToken).toBeUndefined();
      expect(await apiStatus(conn.accessToken ?? '')).toBe(200);
    });

    it('accepts login.salesforce.com and test.salesforce.com as audiences', async () => {
      for (const aud of ['https://login.salesforce.com', 'https://test.salesforce.com/']) {
        const { status } = await postForm(tokenUrl, {
          grant_type: JWT_GRANT,
          assertion: signAssertion(keys.privateKeyPem, { ...validClaims(), aud }),
        });
        expect(status).toBe(200);
      }
    });

    it.each([
      ['a wrong audience', { aud: 'https://example.com' }, 'invalid_grant', 'audience is invalid'],
      ['an unknown issuer', { iss: 'unknown-client' }, 'invalid_client_id', 'client identifier invalid'],
      [
        'an unknown subject',
        { sub: 'ghost@salesops.demo' },
        'invalid_grant',
        "user hasn't approved this consumer",
      ],
      ['an expiry in the past', { exp: -10 }, 'invalid_grant', 'expired authorization code'],
    ])('refuses an assertion with %s', async (_label, claims, error, description) => {
      const { status, body } = await postForm(tokenUrl, {
        grant_type: JWT_GRANT,
        // A negative exp means "that many seconds ago" on the org clock.
        assertion: signAssertion(keys.privateKeyPem, {
          ...validClaims(),
          ...claims,
          ...('exp' in claims ? { exp: Math.floor(clock.now() / 1000) + claims.exp } : {}),
        }),
      });
      expect(status).toBe(400);
      expect(body).toEqual({ error, error_description: description });
    });

    it('reads the certificate from a file path given at start-up', async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'auth-jwt-'));
      const certFile = path.join(dir, 'server.crt');
      writeFileSync(certFile, keys.publicKeyPem);
      const other = await startTestOrg({ jwtCertificate: certFile });
      try {
        const conn = new Connection({ loginUrl: other.loginUrl, version: API_VERSION });
        const claims = { iss: other.clientId, sub: other.username, aud: other.loginUrl };
        await expect(
          conn.authorize({ grant_type: JWT_GRANT, assertion: signAssertion(keys.privateKeyPem, claims) }),
        ).resolves.toMatchObject({
          id: other.adminUserId,
        });
      } finally {
        await other.close();
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('refuses an assertion signed by another key, and garbage, as invalid assertion', async () => {
      const other = rsaKeys();
      for (const assertion of [signAssertion(other.privateKeyPem, validClaims()), 'not.a.jwt']) {
        const { status, body } = await postForm(tokenUrl, { grant_type: JWT_GRANT, assertion });
        expect(status).toBe(400);
        expect(body).toEqual({ error: 'invalid_grant', error_description: 'invalid assertion' });
      }
      await expect(
        jwtConnection().authorize({
          grant_type: JWT_GRANT,
          assertion: signAssertion(other.privateKeyPem, validClaims()),
        }),
      ).rejects.toMatchObject({ name: 'invalid_grant', message: 'invalid assertion' });
    });
  });

  describe('refresh and revoke', () => {
    it('refreshes an access token past its TTL with the refresh_token grant, once, and retries the call', async () => {
      const conn = oauthConnection();
      await conn.authorize({
        grant_type: 'password',
        username: running.username,
        password: running.password,
      });
      const first = conn.accessToken;
      expect(conn.refreshToken).toEqual(expect.any(String));
      const refreshes: string[] = [];
      conn.on('refresh', (token: string) => refreshes.push(token));

      clock.advance(TTL_MS + 1000);
      expect(await apiStatus(first ?? '')).toBe(401);
      const limits = await conn.limits();
      expect(limits.DailyApiRequests).toBeDefined();
      expect(refreshes).toEqual([conn.accessToken]);
      expect(conn.accessToken).not.toBe(first);
      expect(await apiStatus(conn.accessToken ?? '')).toBe(200);
    });

    it('re-logs in a conn.login() connection after the admin endpoint expires every session', async () => {
      const conn = oauthConnection();
      await conn.login(running.username, running.password);
      const first = conn.accessToken;
      let refreshed = 0;
      conn.on('refresh', () => refreshed++);
      const expired = await admin(running, 'POST', '/sessions/expire');
      expect(expired.status).toBe(200);
      expect((expired.body as { expired: number }).expired).toBeGreaterThanOrEqual(1);
      await conn.limits();
      expect(refreshed).toBe(1);
      expect(conn.accessToken).not.toBe(first);
      // The development token is pinned: no mass expiry ends it.
      expect(await apiStatus(running.accessToken)).toBe(200);
    });

    it('answers an unknown refresh token with the message jsforce tests assert', async () => {
      await expect(oauthConnection().oauth2.refreshToken('5Aepnot-a-token')).rejects.toMatchObject({
        name: 'invalid_grant',
        message: 'expired access/refresh token',
      });
    });

    it('revokes an access token (logout): 200 and then 401 for it', async () => {
      const conn = oauthConnection();
      await conn.authorize({
        grant_type: 'password',
        username: running.username,
        password: running.password,
      });
      const token = conn.accessToken ?? '';
      const refreshToken = conn.refreshToken ?? '';
      await conn.logout();
      expect(await apiStatus(token)).toBe(401);
      // Revoking an access token leaves its refresh token alone.
      const { status } = await postForm(tokenUrl, {
        grant_type: 'refresh_token',
        refresh_token: refreshToken,
        client_id: running.clientId,
      });
      expect(status).toBe(200);
    });

    it('revokes a refresh token together with the access tokens it minted', async () => {
      const conn = oauthConnection();
      await conn.authorize({
        grant_type: 'password',
        username: running.username,
        password: running.password,
      });
      const refreshToken = conn.refreshToken ?? '';
      const refreshed = await postForm(tokenUrl, {
        grant_type: 'refresh_token',
        refresh_token: refreshToken,
        client_id: running.clientId,
      });
      const minted = String(refreshed.body.access_token);
      expect(refreshed.body.refresh_token).toBeUndefined();
      expect(await apiStatus(minted)).toBe(200);

      const res = await fetch(`${running.loginUrl}/services/oauth2/revoke`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token: refreshToken }).toString(),
      });
      expect(res.status).toBe(200);
      expect(await res.text()).toBe('');
      expect(await apiStatus(minted)).toBe(401);
      expect(await apiStatus(conn.accessToken ?? '')).toBe(401);
      const again = await postForm(tokenUrl, {
        grant_type: 'refresh_token',
        refresh_token: refreshToken,
        client_id: running.clientId,
      });
      expect(again).toEqual({
        status: 400,
        body: { error: 'invalid_grant', error_description: 'expired access/refresh token' },
      });
    });

    it('refuses to revoke an unknown token in the form jsforce parses', async () => {
      await expect(oauthConnection().oauth2.revokeToken('nope')).rejects.toMatchObject({
        name: 'invalid_token',
        message: 'invalid token',
      });
    });
  });
});
