import path from 'node:path';

/** The repository root: the preview is built from the project's own sources, never from copies. */
export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

export interface PreviewPaths {
  /** SFDX `lwc` folders whose bundles become `c/<bundle>` modules (the project's own first). */
  componentDirs: string[];
  /** Flexipages whose widget placement the preview pages follow. */
  flexipageDir: string;
  /** The preview's own sources: shims, shell, index.html. */
  previewDir: string;
  /** Where the bundle and the build stamp go (under .data/, which git ignores). */
  outDir: string;
  /** SLDS assets, served as they are so the CSS's relative image and font URLs resolve. */
  sldsAssetsDir: string;
}

export function defaultPreviewPaths(overrides: Partial<PreviewPaths> = {}): PreviewPaths {
  return {
    componentDirs: [path.join(REPO_ROOT, 'force-app', 'main', 'default', 'lwc')],
    flexipageDir: path.join(REPO_ROOT, 'force-app', 'main', 'default', 'flexipages'),
    previewDir: path.join(REPO_ROOT, 'preview'),
    outDir: path.join(REPO_ROOT, '.data', 'preview'),
    sldsAssetsDir: path.join(REPO_ROOT, 'node_modules', '@salesforce-ux', 'design-system', 'assets'),
    ...overrides,
  };
}
