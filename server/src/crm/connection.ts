import { readFileSync } from 'node:fs';
import { Connection } from 'jsforce';
import jwt from 'jsonwebtoken';
import type { OrgConnectionConfig } from '../config/env';
import { AppError } from '../shared/errors';
import { singleFlight } from './single-flight';

/** An org the server already holds a session for (the embedded org hands one out at start). */
export interface SessionTarget {
  instanceUrl: string;
  accessToken: string;
}

/** How to get a session: one of the env-configured flows (the embedded org logs in by password). */
export type LoginConfig = Exclude<OrgConnectionConfig, { kind: 'embedded' }>;

interface Token {
  accessToken: string;
  instanceUrl: string;
}

export interface OrgSession {
  conn: Connection;
  /** Logins done so far: the first one plus every refresh. */
  logins(): number;
}

/** JWT bearer assertions live a few minutes; Salesforce refuses ones valid for longer than that. */
const JWT_LIFETIME_SECONDS = 180;

/**
 * A jsforce Connection on an explicit API version (jsforce would default to 50.0).
 */
export function connectWithSession(target: SessionTarget, apiVersion: string): Connection {
  return new Connection({
    instanceUrl: target.instanceUrl,
    accessToken: target.accessToken,
    version: apiVersion,
  });
}

/**
 * Logs in with the configured flow and returns a Connection that refreshes its own session: on a
 * 401, jsforce calls our refresh function, which logs in again through a single-flight guard, so
 * concurrent 401s cost one login. JWT bearer and client credentials have no refresh token; a new
 * login is the refresh. `initial` reuses a session already at hand (the embedded org's).
 */
export async function openOrgSession(
  config: LoginConfig,
  apiVersion: string,
  initial?: SessionTarget,
): Promise<OrgSession> {
  let logins = 0;
  const source = tokenSource(config, apiVersion);
  const login = singleFlight(async () => {
    logins++;
    return source();
  });
  const first = initial ?? (await login().catch((err: unknown) => authFailed(config, err)));
  const conn = new Connection({
    instanceUrl: first.instanceUrl,
    accessToken: first.accessToken,
    version: apiVersion,
    refreshFn: (_conn, callback) => {
      login().then(
        (t) =>
          callback(null, t.accessToken, {
            access_token: t.accessToken,
            instance_url: t.instanceUrl,
          } as never),
        (err: unknown) => callback(err instanceof Error ? err : new Error(String(err))),
      );
    },
  });
  return { conn, logins: () => logins };
}

function tokenSource(config: LoginConfig, apiVersion: string): () => Promise<Token> {
  switch (config.kind) {
    case 'jwt': {
      const privateKey = readPrivateKey(config.privateKeyFile);
      return async () => {
        const assertion = jwt.sign({}, privateKey, {
          algorithm: 'RS256',
          issuer: config.clientId,
          subject: config.username,
          audience: config.loginUrl.replace(/\/$/, ''),
          expiresIn: JWT_LIFETIME_SECONDS,
        });
        const conn = oauthConnection(config.loginUrl, apiVersion, config.clientId);
        const res = await conn.oauth2.requestToken({
          grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
          assertion,
        });
        return { accessToken: res.access_token, instanceUrl: res.instance_url };
      };
    }
    case 'client-credentials':
      return async () => {
        const conn = oauthConnection(config.loginUrl, apiVersion, config.clientId, config.clientSecret);
        const res = await conn.oauth2.requestToken({ grant_type: 'client_credentials' });
        return { accessToken: res.access_token, instanceUrl: res.instance_url };
      };
    case 'password':
      return async () => {
        if (config.clientId && config.clientSecret) {
          const conn = oauthConnection(config.loginUrl, apiVersion, config.clientId, config.clientSecret);
          const res = await conn.oauth2.authenticate(config.username, config.password);
          return { accessToken: res.access_token, instanceUrl: res.instance_url };
        }
        // Without a connected app jsforce falls back to SOAP login (retired in API 65.0; fine for
        // the embedded org and older sandboxes).
        const conn = new Connection({ loginUrl: config.loginUrl, version: apiVersion });
        await conn.login(config.username, config.password);
        return { accessToken: conn.accessToken ?? '', instanceUrl: conn.instanceUrl };
      };
  }
}

function oauthConnection(
  loginUrl: string,
  apiVersion: string,
  clientId: string,
  clientSecret?: string,
): Connection {
  return new Connection({ loginUrl, version: apiVersion, oauth2: { loginUrl, clientId, clientSecret } });
}

function readPrivateKey(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new AppError(
      'CONFIG_INVALID',
      `SF_PRIVATE_KEY_FILE ${file} cannot be read: ${(err as Error).message}`,
      { file },
      { cause: err },
    );
  }
}

function authFailed(config: LoginConfig, err: unknown): never {
  throw new AppError(
    'CRM_AUTH_FAILED',
    `Login to ${config.loginUrl} (${config.kind}) failed: ${err instanceof Error ? err.message : String(err)}`,
    { loginUrl: config.loginUrl, flow: config.kind },
    { cause: err },
  );
}
