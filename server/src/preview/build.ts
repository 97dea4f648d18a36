import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Plugin, RollupLog } from 'rollup';
import { AppError } from '../shared/errors';
import { readFlexipages } from './flexipages';
import type { PreviewPaths } from './paths';

/** One SFDX bundle: `c/<name>`; `ui` when it has a template (a component the pages can place). */
export interface Bundle {
  name: string;
  entry: string;
  ui: boolean;
}

export interface BuildResult {
  seconds: number;
  bundles: Bundle[];
  /** Compiler warnings worth reading (the base components' own known ones are dropped). */
  warnings: string[];
}

/**
 * Shims behind the platform modules the widgets import. Alias records win over the base components'
 * own `lightning/*` modules because they come first in the resolver's list.
 */
const SHIMS: Record<string, string> = {
  'lightning/uiRecordApi': 'shims/lightning/uiRecordApi/uiRecordApi.js',
  'lightning/uiRelatedListApi': 'shims/lightning/uiRelatedListApi/uiRelatedListApi.js',
  'lightning/graphql': 'shims/lightning/graphql/graphql.js',
  'lightning/platformShowToastEvent': 'shims/lightning/platformShowToastEvent/platformShowToastEvent.js',
  'lightning/navigation': 'shims/lightning/navigation/navigation.js',
};

/** The base components' own compiler warnings (invalid `key`, and a few style notes): harmless. */
const KNOWN_LBC_WARNINGS = new Set(['LWC1149', 'LWC1057', 'LWC1137', 'LWC1145']);

const LBC_DIR = `${path.sep}lightning-base-components${path.sep}`;

/** Every bundle in the given SFDX `lwc` folders, first folder wins on a name clash. */
export function listBundles(componentDirs: string[]): Bundle[] {
  const seen = new Map<string, Bundle>();
  for (const dir of componentDirs) {
    if (!existsSync(dir)) continue;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (!entry.isDirectory() || seen.has(entry.name)) continue;
      const js = path.join(dir, entry.name, `${entry.name}.js`);
      if (!existsSync(js)) continue;
      const ui = existsSync(path.join(dir, entry.name, `${entry.name}.html`));
      seen.set(entry.name, { name: entry.name, entry: js, ui });
    }
  }
  return [...seen.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * The LWC runtime matching the compiler: `lwc` 9.x carries its own engine, synthetic shadow and
 * wire service, while sfdx-lwc-jest keeps an 8.x copy at the top of node_modules. Resolving by
 * package name would mix the two, so the records point at the `lwc` package's own copies.
 */
function lwcRuntimeModules(): { name: string; path: string }[] {
  const lwcDir = path.dirname(require.resolve('lwc'));
  const dist = (pkg: string) =>
    path.join(path.dirname(require.resolve(`${pkg}/package.json`, { paths: [lwcDir] })), 'dist', 'index.js');
  return [
    { name: 'lwc', path: dist('@lwc/engine-dom') },
    { name: '@lwc/synthetic-shadow', path: dist('@lwc/synthetic-shadow') },
    { name: '@lwc/wire-service', path: dist('@lwc/wire-service') },
  ];
}

/**
 * `@salesforce/*` scoped imports are compiled by the platform; here they are small virtual modules.
 * Imports from inside the base components keep the stubs the package ships.
 */
function salesforceModules(previewDir: string, flexipageDir: string, bundles: Bundle[]): Plugin {
  const prefix = '\0salesforce:';
  const widgetsId = '\0preview:widgets';
  const flexipagesId = '\0preview:flexipages';
  return {
    name: 'salesops-preview-salesforce-modules',
    resolveId(source, importer) {
      if (source === 'preview:widgets') return widgetsId;
      if (source === 'preview:flexipages') return flexipagesId;
      if (!source.startsWith('@salesforce/')) return null;
      if (importer?.includes(LBC_DIR)) return null;
      if (source === '@salesforce/user/Id') return path.join(previewDir, 'shims', 'salesforce', 'userId.js');
      return prefix + source.slice('@salesforce/'.length);
    },
    load(id) {
      if (id === widgetsId) return widgetRegistrySource(bundles);
      if (id === flexipagesId) return `export default ${JSON.stringify(readFlexipages(flexipageDir))};`;
      if (!id.startsWith(prefix)) return null;
      const rest = id.slice(prefix.length);
      const [kind, ...parts] = rest.split('/');
      const name = parts.join('/');
      switch (kind) {
        case 'schema': {
          // `Obj.Field` or `Obj.Rel__r.Field`; a bare `Obj` is an object token.
          const [objectApiName, ...fieldPath] = name.split('.');
          const token = fieldPath.length
            ? { objectApiName, fieldApiName: fieldPath.join('.') }
            : { objectApiName };
          return `export default ${JSON.stringify(token)};`;
        }
        case 'label':
          return `export default ${JSON.stringify(name)};`;
        case 'i18n':
          return i18nSource(name);
        case 'client':
          return `export default 'Large';`;
        case 'user':
          return `export default false;`;
        default:
          this.error(`@salesforce/${rest} is not available in the preview`);
      }
    },
  };
}

function i18nSource(name: string): string {
  switch (name) {
    case 'locale':
      return `export default (navigator.language || 'en-US');`;
    case 'lang':
      return `export default (navigator.language || 'en-US').split('-')[0];`;
    case 'currency':
      return `export default 'USD';`;
    case 'timeZone':
      return `export default Intl.DateTimeFormat().resolvedOptions().timeZone;`;
    case 'dir':
      return `export default 'ltr';`;
    default:
      return `export default undefined;`;
  }
}

/** `preview:widgets`: every component bundle, keyed by bundle name, for the shell to place. */
function widgetRegistrySource(bundles: Bundle[]): string {
  const ui = bundles.filter((b) => b.ui);
  const imports = ui.map((b, i) => `import w${i} from 'c/${b.name}';`);
  const entries = ui.map((b, i) => `  ${JSON.stringify(b.name)}: w${i},`);
  return `${imports.join('\n')}\nexport default {\n${entries.join('\n')}\n};\n`;
}

/** Alias-mapped `.js` files carry `?specifier=` ids, which rollup's watcher misses; list them. */
function aliasWatch(files: string[]): Plugin {
  return {
    name: 'salesops-preview-alias-watch',
    buildStart() {
      for (const f of files) this.addWatchFile(f);
    },
  };
}

/**
 * Compiles the project's LWC bundles, the shims and the preview shell with LWC OSS into
 * `<outDir>/build`, replacing the previous build only once the new one is complete.
 */
export async function buildPreview(paths: PreviewPaths): Promise<BuildResult> {
  const started = Date.now();
  const tools = loadBuildTools();
  const bundles = listBundles(paths.componentDirs);
  const aliasRecords = bundles.map((b) => ({ name: `c/${b.name}`, path: b.entry }));
  const shimRecords = Object.entries(SHIMS).map(([name, rel]) => ({
    name,
    path: path.join(paths.previewDir, rel),
  }));
  const warnings: string[] = [];
  const onLog = (_level: string, log: RollupLog) => {
    if (log.pluginCode && KNOWN_LBC_WARNINGS.has(String(log.pluginCode))) return;
    if (log.code === 'CIRCULAR_DEPENDENCY' || log.code === 'THIS_IS_UNDEFINED') return;
    if (log.id?.includes(LBC_DIR) || log.loc?.file?.includes(LBC_DIR)) return;
    warnings.push(log.message);
  };

  // Its own temporary folder, so two processes building at once do not write into each other's.
  mkdirSync(paths.outDir, { recursive: true });
  const tmpDir = mkdtempSync(path.join(paths.outDir, 'build.tmp-'));
  try {
    const bundle = await tools.rollup({
      input: { boot: path.join(paths.previewDir, 'app', 'boot.js') },
      onLog: (level, log) => (level === 'warn' ? onLog(level, log) : undefined),
      plugins: [
        salesforceModules(paths.previewDir, paths.flexipageDir, bundles),
        tools.replace({
          preventAssignment: true,
          values: {
            'import.meta.env.SSR': 'false',
            'process.env.NODE_ENV': JSON.stringify('production'),
          },
        }),
        tools.lwc({
          rootDir: paths.previewDir,
          enableDynamicComponents: true,
          // Form-associated base components (combobox, textarea) call attachInternals, which
          // synthetic shadow only supports with this flag.
          enableSyntheticElementInternals: true,
          modules: [...aliasRecords, ...shimRecords, { npm: 'lightning-base-components' }],
          defaultModules: lwcRuntimeModules(),
        }),
        aliasWatch(aliasRecords.map((r) => r.path)),
      ],
    });
    await bundle.write({
      dir: tmpDir,
      format: 'es',
      entryFileNames: '[name].js',
      chunkFileNames: '[name]-[hash].js',
    });
    await bundle.close();
  } catch (err) {
    rmSync(tmpDir, { recursive: true, force: true });
    throw new AppError(
      'PREVIEW_BUILD_FAILED',
      `The preview build failed: ${describe(err)}`,
      {},
      { cause: err },
    );
  }
  const finalDir = path.join(paths.outDir, 'build');
  rmSync(finalDir, { recursive: true, force: true });
  try {
    renameSync(tmpDir, finalDir);
  } catch {
    // Another build finished first and took the place; it compiled the same sources.
    rmSync(tmpDir, { recursive: true, force: true });
  }
  return { seconds: (Date.now() - started) / 1000, bundles, warnings };
}

interface BuildTools {
  rollup: typeof import('rollup').rollup;
  lwc: (options: Record<string, unknown>) => Plugin;
  replace: typeof import('@rollup/plugin-replace').default;
}

/**
 * The build tools are development dependencies: a production install serves no preview.
 * `@lwc/rollup-plugin` is an ES module package whose CommonJS build is not in its `main`, so it is
 * required by file.
 */
function loadBuildTools(): BuildTools {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { rollup } = require('rollup') as typeof import('rollup');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const lwcPlugin = require('@lwc/rollup-plugin/dist/index.cjs') as { default: BuildTools['lwc'] };
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const replacePlugin = require('@rollup/plugin-replace') as
      BuildTools['replace'] | { default: BuildTools['replace'] };
    return { rollup, lwc: interop(lwcPlugin), replace: interop(replacePlugin) };
  } catch (err) {
    throw new AppError(
      'PREVIEW_UNAVAILABLE',
      `The preview needs the development dependencies (npm ci without --omit=dev): ${describe(err)}`,
      {},
      { cause: err },
    );
  }
}

/** CommonJS interop differs between packages; take whichever is callable. */
function interop<T>(mod: T | { default: T }): T {
  const m = mod as { default?: T };
  return (typeof m.default === 'function' ? m.default : mod) as T;
}

function describe(err: unknown): string {
  if (err instanceof Error) {
    const loc = (err as { loc?: { file?: string; line?: number } }).loc;
    const id = (err as { id?: string }).id;
    const where = loc?.file ? ` (${loc.file}:${loc.line ?? '?'})` : id ? ` (${id})` : '';
    return `${err.message}${where}`;
  }
  return String(err);
}
