import type { FieldInfo, MetadataIndex } from './metadata-index';

/**
 * Whether a record the write-back would send fits the metadata: every key a field of the object,
 * every value of a type and size the field accepts. Lookups to other result records travel as
 * external-id references (`Statement__r: { External_Key__c }`), lookups to User/Account/Opportunity
 * as Ids. Returns one message per problem; an empty list means the org would take the record.
 */
export function recordProblems(
  index: MetadataIndex,
  sobject: string,
  record: Record<string, unknown>,
): string[] {
  const object = index.object(sobject);
  if (!object) return [`${sobject} does not exist`];
  const problems: string[] = [];
  for (const [key, value] of Object.entries(record)) {
    if (key === 'attributes') continue;
    if (key.endsWith('__r')) {
      problems.push(...referenceProblems(index, sobject, key, value));
      continue;
    }
    const field = object.fields.get(key.toLowerCase());
    if (!field) {
      problems.push(`${sobject}.${key} does not exist`);
      continue;
    }
    const problem = valueProblem(field, value);
    if (problem) problems.push(`${sobject}.${key}: ${problem}`);
  }
  return problems;
}

/** The custom fields a record writes (`X__r` counts as `X__c`). */
export function writtenFields(record: Record<string, unknown>): string[] {
  return Object.keys(record)
    .map((k) => (k.endsWith('__r') ? `${k.slice(0, -3)}__c` : k))
    .filter((k) => k.endsWith('__c'));
}

function referenceProblems(index: MetadataIndex, sobject: string, key: string, value: unknown): string[] {
  const field = index.field(sobject, `${key.slice(0, -3)}__c`);
  if (!field || field.type !== 'Lookup')
    return [`${sobject}.${key}: no lookup ${key.slice(0, -3)}__c to reference through`];
  if (value === null) return [];
  const target = field.referenceTo[0];
  if (typeof value !== 'object' || Array.isArray(value))
    return [`${sobject}.${key}: must be an object naming an external id`];
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length !== 1) return [`${sobject}.${key}: must name exactly one external id field`];
  const [idField, idValue] = entries[0];
  const info = index.field(target, idField);
  if (!info?.externalId) return [`${sobject}.${key}: ${target}.${idField} is not an external id`];
  return typeof idValue === 'string' && idValue !== ''
    ? []
    : [`${sobject}.${key}: the external id must be a non-empty string`];
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;
const SF_ID = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;

/** Undefined when the field accepts the value. */
export function valueProblem(field: FieldInfo, value: unknown): string | undefined {
  if (value === null || value === undefined) return field.required ? 'is required' : undefined;
  switch (field.type) {
    case 'Text':
    case 'TextArea':
    case 'LongTextArea':
    case 'Html':
    case 'Email':
    case 'Phone':
    case 'Url': {
      if (typeof value !== 'string') return `expects text, got ${typeof value}`;
      const max = field.type === 'TextArea' ? 255 : field.length;
      return max !== undefined && value.length > max ? `${value.length} characters exceed ${max}` : undefined;
    }
    case 'Number':
    case 'Currency':
    case 'Percent':
      return numberProblem(field, value);
    case 'Checkbox':
      return typeof value === 'boolean' ? undefined : `expects true or false, got ${typeof value}`;
    case 'Date':
      return typeof value === 'string' && DATE.test(value)
        ? undefined
        : `expects YYYY-MM-DD, got ${JSON.stringify(value)}`;
    case 'DateTime':
      return typeof value === 'string' && DATETIME.test(value)
        ? undefined
        : `expects an ISO date-time, got ${JSON.stringify(value)}`;
    case 'Picklist':
      if (typeof value !== 'string') return `expects a picklist value, got ${typeof value}`;
      return field.picklistValues.includes(value)
        ? undefined
        : `${value} is not one of ${field.picklistValues.join(', ')}`;
    case 'Lookup':
    case 'MasterDetail':
      return typeof value === 'string' && SF_ID.test(value)
        ? undefined
        : `expects a record Id, got ${JSON.stringify(value)}`;
    default:
      // Standard and system fields (Name, OwnerId, CurrencyIsoCode) are typed by the emulator, not here.
      return undefined;
  }
}

function numberProblem(field: FieldInfo, value: unknown): string | undefined {
  const text = typeof value === 'number' ? String(value) : value;
  if (typeof text !== 'string' || !/^-?\d+(\.\d+)?$/.test(text))
    return `expects a number, got ${JSON.stringify(value)}`;
  const [whole, fraction = ''] = text.replace('-', '').split('.');
  const scale = field.scale ?? 0;
  const precision = field.precision ?? 18;
  if (fraction.length > scale) return `${text} has more than ${scale} decimal places`;
  if (whole.replace(/^0+/, '').length > precision - scale)
    return `${text} has more than ${precision - scale} digits before the point`;
  return undefined;
}
