import type { FieldDef, ObjectDef, PicklistValue } from './types';

/**
 * Small constructors so object definitions read like a field list. Each returns a plain FieldDef;
 * anything they do not cover can be written out as an object literal.
 */
type Extra = Partial<FieldDef>;

const labelOf = (name: string): string =>
  name
    .replace(/__c$/, '')
    .replace(/Id$/, '')
    .replace(/_/g, ' ')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .trim();

const base = (name: string, type: FieldDef['type'], extra: Extra = {}): FieldDef => ({
  name,
  label: labelOf(name),
  type,
  createable: true,
  updateable: true,
  ...extra,
});

export const text = (name: string, length = 255, extra: Extra = {}): FieldDef =>
  base(name, 'string', { length, ...extra });
export const longText = (name: string, length = 32000, extra: Extra = {}): FieldDef =>
  base(name, 'textarea', { length, filterable: false, sortable: false, groupable: false, ...extra });
export const textArea = (name: string, length = 255, extra: Extra = {}): FieldDef =>
  base(name, 'textarea', { length, ...extra });
export const email = (name: string, extra: Extra = {}): FieldDef =>
  base(name, 'email', { length: 80, ...extra });
export const phone = (name: string, extra: Extra = {}): FieldDef =>
  base(name, 'phone', { length: 40, ...extra });
export const url = (name: string, extra: Extra = {}): FieldDef =>
  base(name, 'url', { length: 255, ...extra });
export const bool = (name: string, extra: Extra = {}): FieldDef =>
  base(name, 'boolean', { defaultValue: false, defaultedOnCreate: true, nillable: false, ...extra });
export const int = (name: string, digits = 8, extra: Extra = {}): FieldDef =>
  base(name, 'int', { precision: digits, scale: 0, ...extra });
export const double = (name: string, precision = 18, scale = 2, extra: Extra = {}): FieldDef =>
  base(name, 'double', { precision, scale, ...extra });
export const currency = (name: string, precision = 18, scale = 2, extra: Extra = {}): FieldDef =>
  base(name, 'currency', { precision, scale, ...extra });
export const percent = (name: string, precision = 3, scale = 0, extra: Extra = {}): FieldDef =>
  base(name, 'percent', { precision, scale, ...extra });
export const date = (name: string, extra: Extra = {}): FieldDef => base(name, 'date', extra);
export const dateTime = (name: string, extra: Extra = {}): FieldDef => base(name, 'datetime', extra);

export const picklist = (name: string, values: string[], extra: Extra = {}): FieldDef =>
  base(name, 'picklist', { length: 255, picklistValues: values.map(pv), ...extra });
export const multiPicklist = (name: string, values: string[], extra: Extra = {}): FieldDef =>
  base(name, 'multipicklist', { length: 4099, picklistValues: values.map(pv), ...extra });

/**
 * A lookup. `relationshipName` defaults to the field name without `Id`; `children` is the
 * relationship name the parent sees (e.g. `Opportunities`).
 */
export const lookup = (name: string, to: string | string[], children?: string, extra: Extra = {}): FieldDef =>
  base(name, 'reference', {
    length: 18,
    referenceTo: Array.isArray(to) ? to : [to],
    relationshipName: name.endsWith('Id') ? name.slice(0, -2) : name,
    childRelationshipName: children,
    ...extra,
  });

/** Read-only fields maintained by the org. */
export const system = (field: FieldDef): FieldDef => ({
  ...field,
  createable: false,
  updateable: false,
  defaultedOnCreate: true,
  nillable: field.type === 'boolean' ? false : (field.nillable ?? false),
});

const pv = (value: string): PicklistValue => ({ value, label: value, active: true, defaultValue: false });

/** Id, audit fields, IsDeleted and, where the object has an owner, OwnerId. */
export function standardSystemFields(opts: { owner?: boolean; ownerTo?: string[] } = {}): {
  head: FieldDef[];
  tail: FieldDef[];
} {
  const head: FieldDef[] = [
    system({ name: 'Id', label: 'Record ID', type: 'id', length: 18, idLookup: true }),
  ];
  if (opts.owner) {
    head.push(
      lookup('OwnerId', opts.ownerTo ?? ['User'], undefined, {
        label: 'Owner ID',
        defaultedOnCreate: true,
        nillable: false,
      }),
    );
  }
  head.push(system(bool('IsDeleted', { label: 'Deleted' })));
  const tail: FieldDef[] = [
    system(dateTime('CreatedDate', { label: 'Created Date' })),
    system(lookup('CreatedById', 'User', undefined, { label: 'Created By ID' })),
    system(dateTime('LastModifiedDate', { label: 'Last Modified Date' })),
    system(lookup('LastModifiedById', 'User', undefined, { label: 'Last Modified By ID' })),
    system(dateTime('SystemModstamp', { label: 'System Modstamp' })),
  ];
  return { head, tail };
}

/** Assembles an object: Id (and OwnerId) first, then its own fields, then the audit fields. */
export function defineObject(
  def: Omit<ObjectDef, 'fields' | 'custom'> & { custom?: boolean; owner?: boolean },
  fields: FieldDef[],
): ObjectDef {
  const { owner, ...rest } = def;
  const sys = standardSystemFields({ owner });
  return {
    custom: false,
    createable: true,
    updateable: true,
    deletable: true,
    queryable: true,
    hasOwner: Boolean(owner),
    ...rest,
    fields: [...sys.head, ...fields, ...sys.tail],
  };
}
