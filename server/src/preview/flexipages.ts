import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';

/** One widget a flexipage places: the bundle name and the properties the page gives it. */
export interface PlacedComponent {
  name: string;
  props: Record<string, string | number | boolean>;
}

export interface FlexipageLayout {
  type: string;
  sobjectType: string | null;
  /** Regions and facets in file order, each with the project's own (`c:`) components only. */
  regions: { name: string; type: string; components: PlacedComponent[] }[];
}

const ARRAYS = new Set(['flexiPageRegions', 'itemInstances', 'componentInstanceProperties']);

/**
 * The project's flexipages as plain data, so the preview places the widgets exactly where (and with
 * the properties) the deployed pages do. Values are typed the way design attributes arrive:
 * integers as numbers, `true`/`false` as booleans, everything else as text.
 */
export function readFlexipages(dir: string): Record<string, FlexipageLayout> {
  if (!existsSync(dir)) return {};
  const parser = new XMLParser({ isArray: (name) => ARRAYS.has(name), parseTagValue: false });
  const out: Record<string, FlexipageLayout> = {};
  for (const file of readdirSync(dir).sort()) {
    if (!file.endsWith('.flexipage-meta.xml')) continue;
    const doc = parser.parse(readFileSync(path.join(dir, file), 'utf8')) as { FlexiPage?: RawPage };
    const page = doc.FlexiPage;
    if (!page) continue;
    out[file.replace('.flexipage-meta.xml', '')] = {
      type: String(page.type ?? ''),
      sobjectType: page.sobjectType ? String(page.sobjectType) : null,
      regions: (page.flexiPageRegions ?? []).map((r) => ({
        name: String(r.name ?? ''),
        type: String(r.type ?? ''),
        components: (r.itemInstances ?? [])
          .map((i) => i.componentInstance)
          .filter((c): c is RawComponent => !!c && String(c.componentName ?? '').startsWith('c:'))
          .map((c) => ({
            name: String(c.componentName).slice(2),
            props: Object.fromEntries(
              (c.componentInstanceProperties ?? []).map((p) => [
                String(p.name),
                typed(String(p.value ?? '')),
              ]),
            ),
          })),
      })),
    };
  }
  return out;
}

function typed(value: string): string | number | boolean {
  if (value === 'true') return true;
  if (value === 'false') return false;
  if (/^-?\d+$/.test(value)) return Number(value);
  return value;
}

interface RawComponent {
  componentName?: string;
  componentInstanceProperties?: { name?: string; value?: string }[];
}

interface RawPage {
  type?: string;
  sobjectType?: string;
  flexiPageRegions?: {
    name?: string;
    type?: string;
    itemInstances?: { componentInstance?: RawComponent }[];
  }[];
}
