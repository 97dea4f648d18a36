import { Connection } from 'jsforce';

/** An org the server already holds a session for (the embedded org hands one out at start). */
export interface SessionTarget {
  instanceUrl: string;
  accessToken: string;
}

/**
 * A jsforce Connection on an explicit API version (jsforce would default to 50.0).
 * The full set of login flows (JWT bearer, client credentials, password) arrives with the sync issue.
 */
export function connectWithSession(target: SessionTarget, apiVersion: string): Connection {
  return new Connection({ instanceUrl: target.instanceUrl, accessToken: target.accessToken, version: apiVersion });
}
