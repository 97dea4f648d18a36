import { checkPassword } from '../bootstrap';
import type { Org } from '../org';
import { findApp, type ConnectedApp } from './config';
import { JWT_BEARER_GRANT, verifyJwtBearer } from './jwt-bearer';
import {
  authenticationFailure,
  expiredRefreshToken,
  invalidClientCredentials,
  invalidClientId,
  oauthError,
  unsupportedGrantType,
} from './oauth-errors';
import { secretsEqual } from './secrets';
import { issueTokens, type TokenResponse } from './tokens';
import { findUserById, findUserByUsername } from './users';

export type TokenParams = Partial<Record<string, string>>;

/**
 * POST /services/oauth2/token: one function per grant. Throws SfErrors in the OAuth dialect
 * (errorCode = `error`, message = `error_description`).
 *
 * The password grant returns a refresh token although Salesforce only does so when the app's
 * scopes include refresh_token: that lets jsforce's refresh_token flow be exercised end to end.
 */
export function exchangeToken(org: Org, params: TokenParams): TokenResponse {
  switch (params.grant_type) {
    case 'password':
      return passwordGrant(org, params);
    case 'refresh_token':
      return refreshTokenGrant(org, params);
    case 'client_credentials':
      return clientCredentialsGrant(org, params);
    case JWT_BEARER_GRANT: {
      const { app, user } = verifyJwtBearer(org, params.assertion);
      return issueTokens(org, app, user, null);
    }
    default:
      // authorization_code needs the browser authorize step, which the embedded org does not serve.
      throw unsupportedGrantType();
  }
}

function knownApp(org: Org, clientId: string | undefined): ConnectedApp {
  const app = clientId ? findApp(org, clientId) : undefined;
  if (!app) throw invalidClientId();
  return app;
}

function authenticatedApp(org: Org, params: TokenParams): ConnectedApp {
  const app = knownApp(org, params.client_id);
  if (!secretsEqual(params.client_secret, app.clientSecret)) throw invalidClientCredentials();
  return app;
}

function passwordGrant(org: Org, params: TokenParams): TokenResponse {
  const app = authenticatedApp(org, params);
  const { username, password } = params;
  if (!username || password === undefined) throw authenticationFailure();
  const user = findUserByUsername(org, username);
  if (!user || !user.isActive || !checkPassword(org, user.username, password)) throw authenticationFailure();
  return issueTokens(org, app, user, { mint: true });
}

function refreshTokenGrant(org: Org, params: TokenParams): TokenResponse {
  const app = knownApp(org, params.client_id);
  // A public client may refresh without its secret; a wrong secret is still refused.
  if (params.client_secret !== undefined && !secretsEqual(params.client_secret, app.clientSecret))
    throw invalidClientCredentials();
  const grant = params.refresh_token ? org.sessions.resolveRefreshToken(params.refresh_token) : null;
  if (!grant || grant.clientId !== app.clientId) throw expiredRefreshToken();
  const user = findUserById(org, grant.userId);
  if (!user || !user.isActive) throw expiredRefreshToken();
  return issueTokens(org, app, user, { presented: grant.token });
}

function clientCredentialsGrant(org: Org, params: TokenParams): TokenResponse {
  const app = authenticatedApp(org, params);
  const user = app.runAsUsername ? findUserByUsername(org, app.runAsUsername) : null;
  if (!user || !user.isActive) throw oauthError('invalid_grant', 'no client credentials user enabled');
  return issueTokens(org, app, user, null);
}
