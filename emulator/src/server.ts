import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import path from 'node:path';
import { configureAuth, DEFAULT_DEV_APP, readPem, type ConnectedApp } from './auth/config';
import { bootstrapOrg, ADMIN_USERNAME } from './bootstrap';
import type { Clock } from './clock';
import type { FaultPlan } from './faults/faults';
import { FaultInjector } from './faults/injector';
import { createOrgApp } from './http/app';
import { createLogger, type Logger } from './logger';
import { Org, type OrgSettings } from './org';
import { loadStandardObjects } from './schema/standard';
import { installPermissionSets, loadPermissionSets } from './sharing';
import { attachStreaming, type StreamingService } from './streaming/bayeux';
import { pushTopicObject } from './streaming/push-topic-object';

export interface StartOrgOptions {
  port?: number;
  host?: string;
  /** SQLite file; `:memory:` (the default) keeps nothing. */
  dbFile?: string;
  /** Extra SFDX source folders whose objects the org should have (the project's force-app is always loaded). */
  metadataDirs?: string[];
  settings?: Partial<Omit<OrgSettings, 'instanceUrl'>>;
  /** The origin clients are told to use; defaults to http://{host}:{port}. */
  publicUrl?: string;
  clock?: Clock;
  adminPassword?: string;
  integrationPassword?: string;
  /** A development token that is always valid for the admin user. */
  staticToken?: string;
  /** Token for /_admin (fault injection, counters). */
  adminToken?: string;
  faults?: Partial<FaultPlan>;
  logger?: Logger;
  /** Connected apps besides the default development app; one with the default's client id replaces it. */
  connectedApps?: ConnectedApp[];
  /** Certificate (or public key) for JWT bearer logins to the default development app: PEM text or a file path. */
  jwtCertificate?: string;
  /** Lifetime of issued access tokens (OAuth and SOAP); unset keeps them valid until revoked. */
  accessTokenTtlMs?: number;
  /** Streaming API long-poll hold in seconds (Salesforce: about 110). */
  streamingTimeoutSeconds?: number;
}

export interface RunningOrg {
  org: Org;
  faults: FaultInjector;
  instanceUrl: string;
  username: string;
  password: string;
  accessToken: string;
  adminToken: string;
  adminUserId: string;
  integrationUserId: string;
  /** Where clients log in (token, revoke and SOAP endpoints); the same origin as the instance. */
  loginUrl: string;
  /** The default development connected app. */
  clientId: string;
  clientSecret: string;
  /** The Streaming API (CometD at /cometd/<version>): PushTopics, platform events, replay. */
  streaming: StreamingService;
  close(): Promise<void>;
}

/** The project's own metadata, loaded into every embedded org. */
export const PROJECT_METADATA_DIR = path.resolve(__dirname, '..', '..', 'force-app');

export const DEFAULT_ADMIN_PASSWORD = 'salesops-demo-1';
export const DEFAULT_STATIC_TOKEN = '00D000000000001!SALESOPS.DEV.TOKEN';

/** Builds the org, serves it over HTTP and resolves once it is listening. */
export async function startOrg(opts: StartOrgOptions = {}): Promise<RunningOrg> {
  const log = opts.logger ?? createLogger(process.env.LOG_LEVEL ?? 'info');
  const host = opts.host ?? '127.0.0.1';
  const objects = [
    ...loadStandardObjects([PROJECT_METADATA_DIR, ...(opts.metadataDirs ?? [])]),
    pushTopicObject,
  ];
  const org = new Org({
    dbFile: opts.dbFile ?? ':memory:',
    objects,
    settings: opts.settings,
    clock: opts.clock,
  });
  const password = opts.adminPassword ?? DEFAULT_ADMIN_PASSWORD;
  const { adminUserId, integrationUserId } = bootstrapOrg(org, {
    adminPassword: password,
    integrationPassword: opts.integrationPassword ?? password,
  });
  installPermissionSets(org, loadPermissionSets([PROJECT_METADATA_DIR, ...(opts.metadataDirs ?? [])]));
  const accessToken = opts.staticToken ?? DEFAULT_STATIC_TOKEN;
  org.sessions.issueAccessToken(adminUserId, { token: accessToken, pinned: true });
  const devApp: ConnectedApp = opts.jwtCertificate
    ? { ...DEFAULT_DEV_APP, certificate: readPem(opts.jwtCertificate) }
    : DEFAULT_DEV_APP;
  configureAuth(org, {
    apps: [devApp, ...(opts.connectedApps ?? [])],
    accessTokenTtlMs: opts.accessTokenTtlMs,
  });
  const faults = new FaultInjector(opts.faults);
  const adminToken = opts.adminToken ?? `admin-${accessToken}`;
  const app = createOrgApp({ org, faults, adminToken }, log);

  const server = http.createServer(app);
  // Clients such as jsforce hold an idle keep-alive socket while they parse a large result; a short
  // server-side timeout closes it under them and their next POST fails with "socket hang up".
  server.keepAliveTimeout = 120_000;
  server.headersTimeout = 125_000;
  const streaming = attachStreaming(server, org, { log, timeoutSeconds: opts.streamingTimeoutSeconds });
  const sockets = new Set<Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  org.settings.instanceUrl = opts.publicUrl ?? `http://${host}:${port}`;
  log.debug({ instanceUrl: org.settings.instanceUrl }, 'embedded org listening');

  return {
    org,
    faults,
    instanceUrl: org.settings.instanceUrl,
    username: ADMIN_USERNAME,
    password,
    accessToken,
    adminToken,
    adminUserId,
    integrationUserId,
    loginUrl: org.settings.instanceUrl,
    clientId: DEFAULT_DEV_APP.clientId,
    clientSecret: DEFAULT_DEV_APP.clientSecret,
    streaming,
    close: async () => {
      await streaming.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      });
      org.close();
    },
  };
}
