import { createPublicKey, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { Org } from '../org';
import { findApp, type ConnectedApp } from './config';
import { invalidClientId, oauthError } from './oauth-errors';
import { findUserByUsername, type OrgUser } from './users';

export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/** Audiences Salesforce accepts besides the org's own login URL. */
const PUBLIC_AUDIENCES = ['https://login.salesforce.com', 'https://test.salesforce.com'];

const invalidAssertion = () => oauthError('invalid_grant', 'invalid assertion');

interface Claims {
  iss?: unknown;
  sub?: unknown;
  aud?: unknown;
  exp?: unknown;
}

/**
 * Checks a JWT bearer assertion the way Salesforce does, in the same order, so each mistake gets
 * the error a real org gives it: unreadable or wrongly signed → "invalid assertion", unknown issuer →
 * invalid_client_id, wrong audience → "audience is invalid", past `exp` → "expired authorization
 * code", unknown or inactive subject → "user hasn't approved this consumer".
 */
export function verifyJwtBearer(
  org: Org,
  assertion: string | undefined,
): { app: ConnectedApp; user: OrgUser } {
  if (!assertion) throw invalidAssertion();
  const decoded = jwt.decode(assertion, { complete: true });
  if (!decoded || typeof decoded.payload !== 'object' || decoded.header.alg !== 'RS256')
    throw invalidAssertion();
  const claims = decoded.payload as Claims;
  const app = typeof claims.iss === 'string' ? findApp(org, claims.iss) : undefined;
  if (!app) throw invalidClientId();
  if (!audienceMatches(org, claims.aud)) throw oauthError('invalid_grant', 'audience is invalid');
  if (typeof claims.exp !== 'number') throw invalidAssertion();
  if (claims.exp * 1000 <= org.now()) throw oauthError('invalid_grant', 'expired authorization code');
  const key = app.certificate ? publicKey(app.certificate) : null;
  if (!key) throw invalidAssertion();
  try {
    // Expiry was judged above on the org's clock, which tests may have moved.
    jwt.verify(assertion, key, {
      algorithms: ['RS256'],
      ignoreExpiration: true,
      clockTimestamp: Math.floor(org.now() / 1000),
    });
  } catch {
    throw invalidAssertion();
  }
  const user = typeof claims.sub === 'string' ? findUserByUsername(org, claims.sub) : null;
  if (!user || !user.isActive) throw oauthError('invalid_grant', "user hasn't approved this consumer");
  return { app, user };
}

function audienceMatches(org: Org, aud: unknown): boolean {
  const wanted = [org.settings.instanceUrl, ...PUBLIC_AUDIENCES].map(stripSlash);
  const given = Array.isArray(aud) ? aud : [aud];
  return given.some((a) => typeof a === 'string' && wanted.includes(stripSlash(a)));
}

const stripSlash = (url: string): string => url.replace(/\/+$/, '');

/** A certificate or a bare public key, both in PEM; null when it cannot be read. */
function publicKey(pem: string): KeyObject | null {
  try {
    return createPublicKey(pem);
  } catch {
    return null;
  }
}
