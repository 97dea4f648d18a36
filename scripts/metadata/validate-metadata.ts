import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ComponentSet, MetadataConverter, type SourceComponent } from '@salesforce/source-deploy-retrieve';
import { buildIndex, parseComponent, type Component, type MetadataIndex } from './metadata-index';
import { referenceProblems, type Problem } from './references';
import { requiredElementProblems } from './required-elements';
import { wellFormednessError } from './xml';

export type { Problem } from './references';

export interface ValidateOptions {
  /** The SFDX project root (holds sfdx-project.json). */
  projectDir: string;
  /** Package directory to check, relative to projectDir. */
  packageDir?: string;
  /** Overrides sfdx-project.json's sourceApiVersion. */
  apiVersion?: string;
  /** Convert to Metadata API format in a temp dir (default true). */
  convert?: boolean;
}

export interface ValidationReport {
  problems: Problem[];
  /** Components and child components SDR resolved. */
  components: number;
  xmlFiles: number;
  /** Files MetadataConverter wrote (package.xml included); 0 when conversion was skipped or failed. */
  convertedFiles: number;
  index?: MetadataIndex;
}

// Without an explicit version SDR asks a Salesforce endpoint for the current one: never on this path.
const FALLBACK_API_VERSION = '62.0';

/**
 * Checks a package directory the way a deploy would, offline: every XML file well-formed (SDR does
 * not check, see docs), SDR resolves every file to a component with its children, each component
 * has its meta file with the right root element and the elements its type requires, references
 * between components resolve, and the whole converts to Metadata API format.
 */
export async function validateMetadata(opts: ValidateOptions): Promise<ValidationReport> {
  const pkgDir = path.resolve(opts.projectDir, opts.packageDir ?? 'force-app');
  const apiVersion = opts.apiVersion ?? projectApiVersion(opts.projectDir);
  const problems: Problem[] = [];

  const xmlFiles = listFiles(pkgDir).filter((f) => f.endsWith('.xml'));
  const malformed = new Set<string>();
  for (const file of xmlFiles) {
    const error = wellFormednessError(fs.readFileSync(file, 'utf8'));
    if (error) {
      malformed.add(path.resolve(file));
      problems.push({ file, message: error });
    }
  }

  const resolved = resolve(pkgDir, apiVersion, problems);
  if (!resolved)
    return {
      problems: relative(problems, opts.projectDir),
      components: 0,
      xmlFiles: xmlFiles.length,
      convertedFiles: 0,
    };

  const components: Component[] = [];
  for (const sc of resolved.sources) {
    for (const c of [sc, ...childrenOf(sc, problems)]) {
      const component = parseComponent(c.type.name, c.fullName, malformed, c.xml, c.content);
      components.push(component);
      if (!c.xml) {
        problems.push({
          file: c.content ?? c.fullName,
          message: `${c.type.name} ${c.fullName} has no meta file`,
        });
        continue;
      }
      if (component.doc && component.doc.root !== c.type.name) {
        problems.push({
          file: c.xml,
          message: `root element <${component.doc.root}> should be <${c.type.name}>`,
        });
      }
      for (const message of requiredElementProblems(component)) problems.push({ file: c.xml, message });
    }
  }
  const index = buildIndex(components);
  problems.push(...referenceProblems(index));

  const convertedFiles = opts.convert === false ? 0 : await convert(resolved.set, problems);
  return {
    problems: relative(problems, opts.projectDir),
    components: components.length,
    xmlFiles: xmlFiles.length,
    convertedFiles,
    index,
  };
}

function projectApiVersion(projectDir: string): string {
  const file = path.join(projectDir, 'sfdx-project.json');
  if (!fs.existsSync(file)) return FALLBACK_API_VERSION;
  const project = JSON.parse(fs.readFileSync(file, 'utf8')) as { sourceApiVersion?: string };
  return project.sourceApiVersion ?? FALLBACK_API_VERSION;
}

function listFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(full));
    else out.push(full);
  }
  return out.sort();
}

/**
 * SDR reports some defects (a misspelt suffix inside a known folder) only as process warnings, so
 * they are captured as problems while SDR runs.
 */
function withSdrWarnings<T>(problems: Problem[], file: string, run: () => T): T {
  const original = process.emitWarning;
  process.emitWarning = ((warning: string | Error) => {
    problems.push({ file, message: `SDR: ${typeof warning === 'string' ? warning : warning.message}` });
  }) as typeof process.emitWarning;
  try {
    return run();
  } finally {
    process.emitWarning = original;
  }
}

function resolve(
  pkgDir: string,
  apiVersion: string,
  problems: Problem[],
): { set: ComponentSet; sources: SourceComponent[] } | undefined {
  try {
    return withSdrWarnings(problems, pkgDir, () => {
      const set = ComponentSet.fromSource({ fsPaths: [pkgDir] });
      set.sourceApiVersion = apiVersion;
      set.apiVersion = apiVersion;
      return { set, sources: set.getSourceComponents().toArray() };
    });
  } catch (e) {
    problems.push({ file: pkgDir, message: `SDR cannot resolve the source: ${errorText(e)}` });
    return undefined;
  }
}

function childrenOf(sc: SourceComponent, problems: Problem[]): SourceComponent[] {
  try {
    return withSdrWarnings(problems, sc.content ?? sc.xml ?? sc.fullName, () => sc.getChildren());
  } catch (e) {
    problems.push({ file: sc.content ?? sc.xml ?? sc.fullName, message: `SDR: ${errorText(e)}` });
    return [];
  }
}

async function convert(set: ComponentSet, problems: Problem[]): Promise<number> {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'salesops-mdapi-'));
  try {
    await new MetadataConverter().convert(set, 'metadata', {
      type: 'directory',
      outputDirectory: out,
      genUniqueDir: false,
    });
    const files = listFiles(out);
    if (!files.some((f) => path.basename(f) === 'package.xml')) {
      problems.push({ file: out, message: 'conversion wrote no package.xml' });
    }
    return files.length;
  } catch (e) {
    problems.push({ file: out, message: `conversion to Metadata API format failed: ${errorText(e)}` });
    return 0;
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
}

function relative(problems: Problem[], projectDir: string): Problem[] {
  const root = path.resolve(projectDir);
  return problems.map((p) => ({
    ...p,
    file: path.isAbsolute(p.file) && p.file.startsWith(root) ? path.relative(root, p.file) || '.' : p.file,
  }));
}

const errorText = (e: unknown): string => (e instanceof Error ? `${e.name}: ${e.message}` : String(e));
