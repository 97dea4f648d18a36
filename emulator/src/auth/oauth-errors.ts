import { SfError } from '../errors';

/**
 * OAuth failures are SfErrors whose errorCode is the OAuth `error` and whose message is the
 * `error_description`, so the token route renders them as `{error, error_description}`.
 */
export const oauthError = (error: string, description: string, status = 400): SfError =>
  new SfError(status, error, description);

export const invalidClientId = (): SfError => oauthError('invalid_client_id', 'client identifier invalid');
export const invalidClientCredentials = (): SfError =>
  oauthError('invalid_client', 'invalid client credentials');
export const authenticationFailure = (): SfError => oauthError('invalid_grant', 'authentication failure');
export const expiredRefreshToken = (): SfError => oauthError('invalid_grant', 'expired access/refresh token');
export const unsupportedGrantType = (): SfError =>
  oauthError('unsupported_grant_type', 'grant type not supported');
