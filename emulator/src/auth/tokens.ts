import { createHmac } from 'node:crypto';
import type { Org } from '../org';
import { authConfigOf, type ConnectedApp } from './config';
import type { OrgUser } from './users';

/** The token endpoint's success body, field for field as Salesforce sends it. */
export interface TokenResponse {
  access_token: string;
  refresh_token?: string;
  signature: string;
  scope: string;
  instance_url: string;
  id: string;
  token_type: 'Bearer';
  issued_at: string;
}

/** `{instanceUrl}/id/{orgId18}/{userId18}`: jsforce reads the org and user ids from its last two segments. */
export function identityUrl(org: Org, userId: string): string {
  return `${org.settings.instanceUrl}/id/${org.orgId}/${userId}`;
}

/**
 * Issues an access token for a user of a connected app. `refresh` says where the grant stands on
 * refresh tokens: mint a new one (password grant), reuse the one presented (refresh grant), or none
 * (client credentials, JWT bearer). Access tokens minted under a refresh token die with it on revoke.
 */
export function issueTokens(
  org: Org,
  app: ConnectedApp,
  user: OrgUser,
  refresh: { mint: true } | { presented: string } | null,
): TokenResponse {
  const refreshToken =
    refresh === null
      ? undefined
      : 'mint' in refresh
        ? org.sessions.issueRefreshToken(user.id, app.clientId)
        : refresh.presented;
  const session = org.sessions.issueAccessToken(user.id, {
    clientId: app.clientId,
    refreshToken,
    ttlMs: authConfigOf(org).accessTokenTtlMs ?? undefined,
  });
  const id = identityUrl(org, user.id);
  const issuedAt = String(session.issuedAt);
  return {
    access_token: session.token,
    ...(refresh !== null && 'mint' in refresh ? { refresh_token: refreshToken } : {}),
    signature: createHmac('sha256', app.clientSecret)
      .update(id + issuedAt)
      .digest('base64'),
    scope: refresh === null ? 'api id' : 'api id refresh_token',
    instance_url: org.settings.instanceUrl,
    id,
    token_type: 'Bearer',
    issued_at: issuedAt,
  };
}
