import { invalidField } from '../errors';
import type { Org } from '../org';
import type { FieldDef, ObjectDef } from '../schema/types';
import { toJson } from '../store/codec';
import type { StoredRow } from './types';

/**
 * A stored row as the REST retrieve calls return it: `attributes` first, then the fields in
 * describe order, values in REST JSON form. Id is always present.
 */
export function recordJson(
  obj: ObjectDef,
  row: StoredRow,
  fields: FieldDef[],
  apiVersion: string,
): Record<string, unknown> {
  const out: Record<string, unknown> = {
    attributes: {
      type: obj.name,
      url: `/services/data/v${apiVersion}/sobjects/${obj.name}/${String(row.Id)}`,
    },
  };
  for (const f of fields) out[f.name] = toJson(f.type, row[f.name]);
  if (!('Id' in out)) out.Id = row.Id;
  return out;
}

/** The fields a retrieve asks for (all when none), in describe order; unknown names are errors. */
export function selectFields(org: Org, obj: ObjectDef, names: string[] | null): FieldDef[] {
  if (names === null) return obj.fields;
  const wanted = new Set<string>();
  for (const raw of names) {
    const name = raw.trim();
    if (!name) continue;
    const field = org.schema.field(obj.name, name);
    if (!field) {
      throw invalidField(
        `No such column '${name}' on entity '${obj.name}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
      );
    }
    wanted.add(field.name);
  }
  return obj.fields.filter((f) => wanted.has(f.name));
}
