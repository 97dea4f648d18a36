import { createHash } from 'node:crypto';
import type { JsonRecord } from '../soql/shape';
import { displayValueOf, uiValue, type FieldValue } from './field-values';
import type { FieldTree } from './field-tree';

/** A record as the UI API returns it (`GET /ui-api/records/{id}`), parents nested in `fields`. */
export interface RecordRepresentation {
  apiName: string;
  childRelationships: Record<string, never>;
  eTag: string;
  fields: Record<string, FieldValue | { value: RecordRepresentation | null; displayValue: string | null }>;
  id: string;
  lastModifiedById: string | null;
  lastModifiedDate: string | null;
  recordTypeId: string | null;
  recordTypeInfo: null;
  systemModstamp: string | null;
  weakEtag: number;
}

/**
 * Builds the representation of a REST record (as the SOQL engine returns it) for the fields of
 * `tree`: each scalar as `{displayValue, value}`, each parent as `{displayValue: its name, value:
 * its record}` (both null when the lookup is empty).
 */
export function recordRepresentation(
  tree: FieldTree,
  rec: JsonRecord,
  timeZone: string,
): RecordRepresentation {
  const currency = typeof rec.CurrencyIsoCode === 'string' ? rec.CurrencyIsoCode : null;
  const fields: RecordRepresentation['fields'] = {};
  for (const [name, field] of tree.fields) {
    const value = uiValue(field, rec[name]);
    fields[name] = { displayValue: displayValueOf(field, value, currency, timeZone), value };
  }
  for (const [rel, { tree: sub }] of tree.parents) {
    const parent = rec[rel] as JsonRecord | null | undefined;
    if (!parent) {
      fields[rel] = { displayValue: null, value: null };
      continue;
    }
    const nameField = sub.object.fields.find((f) => f.nameField);
    const name = nameField ? parent[nameField.name] : null;
    fields[rel] = {
      displayValue: typeof name === 'string' ? name : null,
      value: recordRepresentation(sub, parent, timeZone),
    };
  }
  const modstamp = stamp(rec.SystemModstamp);
  const weakEtag = modstamp === null ? 0 : Date.parse(modstamp);
  const id = String(rec.Id);
  return {
    apiName: tree.object.name,
    childRelationships: {},
    eTag: createHash('md5')
      .update(`${id}|${weakEtag}|${JSON.stringify(fields)}`)
      .digest('hex'),
    fields,
    id,
    lastModifiedById: typeof rec.LastModifiedById === 'string' ? rec.LastModifiedById : null,
    lastModifiedDate: stamp(rec.LastModifiedDate),
    recordTypeId: null,
    recordTypeInfo: null,
    systemModstamp: modstamp,
    weakEtag,
  };
}

function stamp(value: unknown): string | null {
  return typeof value === 'string' ? value.replace(/\+0000$/, 'Z') : null;
}
