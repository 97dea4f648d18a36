import fs from 'node:fs';
import path from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';

/** One object's permissions in a permission set, implied permissions already added. */
export interface ObjectPermissionDef {
  object: string;
  read: boolean;
  create: boolean;
  edit: boolean;
  delete: boolean;
  viewAll: boolean;
  modifyAll: boolean;
}

/** A permission set as its `<Name>.permissionset-meta.xml` declares it (the parts the org enforces). */
export interface PermissionSetDef {
  name: string;
  label: string;
  description: string | null;
  viewAllData: boolean;
  modifyAllData: boolean;
  apiEnabled: boolean;
  objects: ObjectPermissionDef[];
}

const SUFFIX = '.permissionset-meta.xml';
const SKIP_DIRS = new Set(['node_modules', 'lwc', 'aura', 'staticresources', 'objects', 'reports']);

const XML = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: true,
  isArray: (tag) => tag === 'objectPermissions' || tag === 'userPermissions',
});

type Xml = Record<string, unknown>;

/**
 * Reads every permission set under the SFDX source folders (`permissionsets/*.permissionset-meta.xml`),
 * the same files that deploy to a real org. Field permissions, tabs and classes are not enforced by
 * the embedded org and are not read. Invalid XML throws an Error naming the file; a folder that does
 * not exist contributes nothing. The same set named in two folders: the later folder wins.
 */
export function loadPermissionSets(dirs: string[]): PermissionSetDef[] {
  const byName = new Map<string, PermissionSetDef>();
  for (const dir of dirs) {
    for (const file of findFiles(dir)) {
      const def = readPermissionSet(file);
      byName.set(def.name.toLowerCase(), def);
    }
  }
  return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
}

export function readPermissionSet(file: string): PermissionSetDef {
  const text = fs.readFileSync(file, 'utf8');
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new Error(`${file}: invalid XML: ${valid.err.msg} (line ${valid.err.line})`);
  const root = (XML.parse(text) as Xml).PermissionSet as Xml | undefined;
  if (!root || typeof root !== 'object') throw new Error(`${file}: the root element is not <PermissionSet>`);
  const name = path.basename(file).slice(0, -SUFFIX.length);
  const userPerms = new Set(
    arrayOf(root.userPermissions)
      .filter((p) => flag(p.enabled))
      .map((p) => String(p.name ?? '')),
  );
  const modifyAllData = userPerms.has('ModifyAllData');
  const objects = arrayOf(root.objectPermissions).map((p): ObjectPermissionDef => {
    const object = String(p.object ?? '').trim();
    if (!object) throw new Error(`${file}: <objectPermissions> without <object>`);
    // Salesforce stores the implied permissions too: Modify All → everything, Edit → Read, …
    const modifyAll = flag(p.modifyAllRecords);
    const del = modifyAll || flag(p.allowDelete);
    const viewAll = modifyAll || flag(p.viewAllRecords);
    const edit = del || modifyAll || flag(p.allowEdit);
    const create = flag(p.allowCreate);
    const read = edit || create || viewAll || flag(p.allowRead);
    return { object, read, create, edit, delete: del, viewAll, modifyAll };
  });
  return {
    name,
    label: str(root.label) ?? name,
    description: str(root.description),
    viewAllData: modifyAllData || userPerms.has('ViewAllData'),
    modifyAllData,
    apiEnabled: userPerms.has('ApiEnabled'),
    objects,
  };
}

function findFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) {
        if (!SKIP_DIRS.has(entry.name) && !entry.name.startsWith('.')) walk(full);
      } else if (entry.name.endsWith(SUFFIX)) {
        out.push(full);
      }
    }
  };
  walk(dir);
  return out.sort();
}

function arrayOf(value: unknown): Xml[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).filter(
    (v): v is Xml => typeof v === 'object' && v !== null,
  );
}

function flag(value: unknown): boolean {
  return String(value ?? '').trim() === 'true';
}

function str(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  const s = String(value).trim();
  return s === '' ? null : s;
}
