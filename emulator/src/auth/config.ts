import { readFileSync } from 'node:fs';
import { INTEGRATION_USERNAME } from '../bootstrap';
import type { Org } from '../org';

/** A connected app as the org's token endpoint knows it. */
export interface ConnectedApp {
  name: string;
  /** Consumer key. */
  clientId: string;
  /** Consumer secret; also the key of the token response `signature`. */
  clientSecret: string;
  /** PEM certificate or public key that verifies JWT bearer assertions; without it the app has no JWT flow. */
  certificate?: string;
  /** The user the client-credentials flow runs as; without it that flow is refused. */
  runAsUsername?: string;
}

export interface AuthConfig {
  apps: ConnectedApp[];
  /** Lifetime of issued access tokens; null keeps them valid until revoked. */
  accessTokenTtlMs: number | null;
}

export const DEFAULT_CLIENT_ID = '3MVG9SalesOpsCompanion.EmbeddedOrg.DevApp';
export const DEFAULT_CLIENT_SECRET = 'salesops-dev-app-secret';

/** The connected app every embedded org has, so demos and tests can log in without setup. */
export const DEFAULT_DEV_APP: ConnectedApp = {
  name: 'SalesOps Companion (development)',
  clientId: DEFAULT_CLIENT_ID,
  clientSecret: DEFAULT_CLIENT_SECRET,
  runAsUsername: INTEGRATION_USERNAME,
};

// Kept beside the org rather than in its database: secrets and token lifetimes are start-up
// options, not org data, and must not outlive the process that was given them.
const configs = new WeakMap<Org, AuthConfig>();

/**
 * Sets the org's connected apps. The default development app is always present; an app with the
 * same client id replaces it (that is how a certificate is attached to it).
 */
export function configureAuth(
  org: Org,
  opts: { apps?: ConnectedApp[]; accessTokenTtlMs?: number | null } = {},
): AuthConfig {
  const byId = new Map<string, ConnectedApp>([[DEFAULT_DEV_APP.clientId, DEFAULT_DEV_APP]]);
  for (const app of opts.apps ?? []) byId.set(app.clientId, app);
  const config: AuthConfig = { apps: [...byId.values()], accessTokenTtlMs: opts.accessTokenTtlMs ?? null };
  configs.set(org, config);
  return config;
}

export function authConfigOf(org: Org): AuthConfig {
  return configs.get(org) ?? configureAuth(org);
}

export function findApp(org: Org, clientId: string): ConnectedApp | undefined {
  return authConfigOf(org).apps.find((app) => app.clientId === clientId);
}

/** A PEM given inline or as a path to a file holding it. */
export function readPem(pemOrPath: string): string {
  return pemOrPath.trimStart().startsWith('-----BEGIN') ? pemOrPath : readFileSync(pemOrPath, 'utf8');
}
