import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BuildResult } from '../../server/src/preview/build';
import { listBundles } from '../../server/src/preview/build';
import { ensurePreviewBuilt } from '../../server/src/preview/ensure-built';
import type { PreviewPaths } from '../../server/src/preview/paths';

// The staleness rule of the preview build, with a stand-in compiler that only writes the entry file
// and counts its runs (the real compile is exercised by the browser tests).
describe('ensurePreviewBuilt', () => {
  let root: string;
  let paths: Partial<PreviewPaths>;
  let builds: number;

  const fakeBuild = async (p: PreviewPaths): Promise<BuildResult> => {
    builds++;
    await new Promise((r) => setTimeout(r, 20));
    mkdirSync(path.join(p.outDir, 'build'), { recursive: true });
    writeFileSync(path.join(p.outDir, 'build', 'boot.js'), '');
    return { seconds: 0, bundles: listBundles(p.componentDirs), warnings: [] };
  };

  const bundle = (name: string, html = true) => {
    const dir = path.join(root, 'lwc', name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, `${name}.js`), 'export default class {}');
    if (html) writeFileSync(path.join(dir, `${name}.html`), '<template></template>');
    return path.join(dir, `${name}.js`);
  };

  beforeEach(() => {
    root = mkdtempSync(path.join(os.tmpdir(), 'preview-build-'));
    mkdirSync(path.join(root, 'preview', 'app'), { recursive: true });
    writeFileSync(path.join(root, 'preview', 'app', 'boot.js'), '');
    paths = {
      componentDirs: [path.join(root, 'lwc')],
      flexipageDir: path.join(root, 'flexipages'),
      previewDir: path.join(root, 'preview'),
      outDir: path.join(root, 'out'),
    };
    builds = 0;
  });

  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('builds when there is no build, then answers fresh without compiling', async () => {
    bundle('repCoverage');
    const first = await ensurePreviewBuilt(paths, fakeBuild);
    expect(first).toMatchObject({ status: 'built', reason: 'no build yet' });
    const second = await ensurePreviewBuilt(paths, fakeBuild);
    expect(second.status).toBe('fresh');
    expect(second.bundles.map((b) => b.name)).toEqual(['repCoverage']);
    expect(builds).toBe(1);
  });

  it('rebuilds after a bundle is edited, added or deleted, and after a shim changes', async () => {
    const js = bundle('repCoverage');
    await ensurePreviewBuilt(paths, fakeBuild);

    const later = new Date(Date.now() + 5000);
    utimesSync(js, later, later);
    expect((await ensurePreviewBuilt(paths, fakeBuild)).reason).toBe('sources changed since the last build');

    bundle('kpiTiles');
    expect((await ensurePreviewBuilt(paths, fakeBuild)).bundles.map((b) => b.name)).toEqual([
      'kpiTiles',
      'repCoverage',
    ]);

    rmSync(path.join(root, 'lwc', 'kpiTiles'), { recursive: true });
    expect((await ensurePreviewBuilt(paths, fakeBuild)).status).toBe('built');

    writeFileSync(path.join(root, 'preview', 'app', 'boot.js'), '// changed');
    expect((await ensurePreviewBuilt(paths, fakeBuild)).status).toBe('built');
    expect(builds).toBe(5);
  });

  it('does not rebuild for a bundle test file', async () => {
    bundle('repCoverage');
    await ensurePreviewBuilt(paths, fakeBuild);
    mkdirSync(path.join(root, 'lwc', 'repCoverage', '__tests__'));
    writeFileSync(path.join(root, 'lwc', 'repCoverage', '__tests__', 'repCoverage.test.js'), '');
    expect((await ensurePreviewBuilt(paths, fakeBuild)).status).toBe('fresh');
  });

  it('concurrent callers share one build', async () => {
    bundle('repCoverage');
    const results = await Promise.all([1, 2, 3].map(() => ensurePreviewBuilt(paths, fakeBuild)));
    expect(results.map((r) => r.status)).toEqual(['built', 'built', 'built']);
    expect(builds).toBe(1);
  });

  it('takes over a build lock left by a process that died', async () => {
    bundle('repCoverage');
    mkdirSync(path.join(root, 'out'), { recursive: true });
    // Pid 2^22 + 1 is above Linux's pid_max, so no process holds it.
    writeFileSync(path.join(root, 'out', 'build.lock'), String(2 ** 22 + 1));
    expect((await ensurePreviewBuilt(paths, fakeBuild)).status).toBe('built');
    expect(existsSync(path.join(root, 'out', 'build.lock'))).toBe(false);
  });

  it('lists only bundles with a template as placeable widgets', () => {
    bundle('repCoverage');
    bundle('formatters', false);
    expect(listBundles([path.join(root, 'lwc')]).map((b) => [b.name, b.ui])).toEqual([
      ['formatters', false],
      ['repCoverage', true],
    ]);
  });
});
