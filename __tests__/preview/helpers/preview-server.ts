import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import express from 'express';
import helmet from 'helmet';
import { ensureDemoViewers, generateDemoOrg } from '../../../emulator/src/seed';
import type { RunningOrg } from '../../../emulator/src/server';
import {
  createPreviewRouter,
  ensurePreviewBuilt,
  PREVIEW_PATH,
  previewViewers,
  type PreviewViewer,
} from '../../../server/src/preview';
import type { PreviewPaths } from '../../../server/src/preview/paths';
import { API_VERSION, startTestOrg } from '../../helpers/org';

export const REPO = path.resolve(__dirname, '..', '..', '..');

/** The tests' build: the project's bundles plus the probe fixtures, in its own output folder. */
export const TEST_BUILD: Partial<PreviewPaths> = {
  componentDirs: [
    path.join(REPO, 'force-app', 'main', 'default', 'lwc'),
    path.join(REPO, '__tests__', 'preview', 'fixtures', 'lwc'),
  ],
  outDir: path.join(REPO, '.data', 'preview-test-build'),
};

export interface PreviewHarness {
  org: RunningOrg;
  /** `http://127.0.0.1:N/preview/` */
  url: string;
  close(): Promise<void>;
}

/**
 * An embedded org with a small deterministic demo data set, and the preview router mounted on a
 * bare express app at the documented path (as `salesops serve` mounts it).
 */
export async function startPreviewHarness(opts: {
  viewers: (org: RunningOrg) => PreviewViewer[];
  seedReps?: number;
}): Promise<PreviewHarness> {
  // Built once per test file: widgets edited while the tests run do not restart the build.
  const built = await ensurePreviewBuilt(TEST_BUILD);
  const org = await startTestOrg();
  await generateDemoOrg(org.org, { size: opts.seedReps ?? 5, seed: 'preview' });
  const app = express();
  // The companion server's app sets helmet's headers (CSP included) before any route: so here.
  app.use(helmet());
  app.use(
    PREVIEW_PATH,
    createPreviewRouter({
      instanceUrl: org.instanceUrl,
      apiVersion: API_VERSION,
      viewers: opts.viewers(org),
      paths: TEST_BUILD,
      build: () => Promise.resolve(built),
    }),
  );
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    org,
    url: `http://127.0.0.1:${port}${PREVIEW_PATH}/`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await org.close();
    },
  };
}

/** The org's built-in admin as a viewer (sees everything): works before any demo users exist. */
export function adminViewer(org: RunningOrg): PreviewViewer {
  return { key: 'admin', label: 'Admin', username: org.username, password: org.password };
}

/** The org's demo rep, manager and ops admin (keys `rep`, `manager`, `ops-admin`), admin last. */
export function demoViewers(org: RunningOrg): PreviewViewer[] {
  return [...previewViewers(ensureDemoViewers(org.org)), adminViewer(org)];
}
