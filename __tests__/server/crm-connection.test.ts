import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { RunningOrg } from '../../emulator/src/server';
import { openOrgSession } from '../../server/src/crm/connection';
import { singleFlight } from '../../server/src/crm/single-flight';
import { API_VERSION, startTestOrg } from '../helpers/org';

jest.setTimeout(30_000);

describe('singleFlight', () => {
  it('When callers arrive during a call, then they share it; a later caller starts a new one', async () => {
    let calls = 0;
    let release: (v: number) => void = () => undefined;
    const fn = singleFlight(() => {
      calls++;
      return new Promise<number>((resolve) => (release = resolve));
    });
    const a = fn();
    const b = fn();
    release(7);
    expect(await Promise.all([a, b])).toEqual([7, 7]);
    expect(calls).toBe(1);
    const c = fn();
    release(8);
    expect(await c).toBe(8);
    expect(calls).toBe(2);
  });
});

describe('openOrgSession against the embedded org', () => {
  let running: RunningOrg;
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'crm-conn-'));
  const keyFile = path.join(tmp, 'server.key');
  beforeAll(async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    writeFileSync(keyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }));
    running = await startTestOrg({
      jwtCertificate: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    });
  });
  afterAll(async () => {
    await running.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('When JWT bearer is configured, then a signed assertion logs in, and a 401 logs in again the same way', async () => {
    const session = await openOrgSession(
      {
        kind: 'jwt',
        loginUrl: running.loginUrl,
        clientId: running.clientId,
        username: running.username,
        privateKeyFile: keyFile,
      },
      API_VERSION,
    );
    expect((await session.conn.query('SELECT COUNT() FROM User')).totalSize).toBeGreaterThan(0);
    running.org.sessions.expireAllAccessTokens();
    expect((await session.conn.query('SELECT COUNT() FROM User')).totalSize).toBeGreaterThan(0);
    expect(session.logins()).toBe(2);
  });

  it('When the JWT key file is missing, then the error names the file', async () => {
    await expect(
      openOrgSession(
        {
          kind: 'jwt',
          loginUrl: running.loginUrl,
          clientId: running.clientId,
          username: running.username,
          privateKeyFile: path.join(tmp, 'nope.key'),
        },
        API_VERSION,
      ),
    ).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      message: expect.stringContaining('nope.key cannot be read'),
    });
  });

  it('When several requests see a 401 at once, then one login refreshes the session for all of them', async () => {
    const session = await openOrgSession(
      {
        kind: 'password',
        loginUrl: running.loginUrl,
        username: running.username,
        password: running.password,
        clientId: running.clientId,
        clientSecret: running.clientSecret,
      },
      API_VERSION,
    );
    expect(session.logins()).toBe(1);
    expect(session.conn.version).toBe(API_VERSION);
    running.org.sessions.expireAllAccessTokens();
    const counts = await Promise.all(
      Array.from({ length: 5 }, () => session.conn.query('SELECT COUNT() FROM User')),
    );
    expect(counts.map((c) => c.totalSize)).toEqual(Array(5).fill(counts[0].totalSize));
    expect(session.logins()).toBe(2);
  });

  it('When client credentials are configured, then the session comes from that grant', async () => {
    const session = await openOrgSession(
      {
        kind: 'client-credentials',
        loginUrl: running.loginUrl,
        clientId: running.clientId,
        clientSecret: running.clientSecret,
      },
      API_VERSION,
    );
    const res = await session.conn.query('SELECT COUNT() FROM User');
    expect(res.totalSize).toBeGreaterThan(0);
  });

  it('When the password is wrong, then CRM_AUTH_FAILED names the login URL and flow', async () => {
    await expect(
      openOrgSession(
        {
          kind: 'password',
          loginUrl: running.loginUrl,
          username: running.username,
          password: 'wrong',
          clientId: running.clientId,
          clientSecret: running.clientSecret,
        },
        API_VERSION,
      ),
    ).rejects.toMatchObject({
      code: 'CRM_AUTH_FAILED',
      message: expect.stringContaining(`Login to ${running.loginUrl} (password) failed`),
    });
  });
});
