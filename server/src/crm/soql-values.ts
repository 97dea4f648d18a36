import { AppError } from '../shared/errors';

/**
 * The only way values enter the SOQL this server builds. SOQL has no bind parameters over the API,
 * so instead of pasting values we format them here, and every formatter validates what it emits
 * against a strict pattern first:
 * - datetimes: `YYYY-MM-DDTHH:MM:SS.sssZ` (always UTC `Z`; a `+0000` offset would turn into a space
 *   in a query string, and a local offset shifts windows);
 * - ids: exactly 18 base-62 characters, quoted;
 * - field and object names: API-name identifiers (they come from config, so they are checked too).
 * Anything else throws rather than reaching the org.
 */
const ISO_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const SF_ID_18 = /^[a-zA-Z0-9]{18}$/;
const API_NAME = /^[A-Za-z][A-Za-z0-9_]{0,79}$/;

export function soqlDateTime(epochMs: number): string {
  const text = Number.isFinite(epochMs) ? new Date(epochMs).toISOString() : '';
  if (!ISO_DATETIME.test(text)) throw invalid('datetime', String(epochMs));
  return text;
}

export function soqlId(id: string): string {
  if (!SF_ID_18.test(id)) throw invalid('18-character id', id);
  return `'${id}'`;
}

export function soqlName(name: string): string {
  // Plain names, or custom ones ending in __c (optionally namespaced: ns__Field__c).
  const ok = API_NAME.test(name) && !name.endsWith('_') && (!name.includes('__') || /__c$/.test(name));
  if (!ok) throw invalid('API name', name);
  return name;
}

/**
 * A text literal (external keys of result records). Only printable characters are allowed, and the
 * two that end or escape a SOQL string are escaped; control characters are refused, not escaped.
 */
export function soqlString(value: string): string {
  if (value.length > 255 || /[\u0000-\u001f\u007f]/.test(value)) throw invalid('text value', value);
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** Parses a datetime as Salesforce writes it (REST `+0000`, Bulk `Z`) into epoch milliseconds. */
export function parseSfDateTime(text: string): number {
  const normalized = text.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  const ms = Date.parse(normalized);
  if (Number.isNaN(ms)) throw invalid('datetime from the org', text);
  return ms;
}

function invalid(kind: string, value: string): AppError {
  return new AppError(
    'INPUT_INVALID',
    `Refusing to put an invalid ${kind} into SOQL: ${JSON.stringify(value).slice(0, 80)}`,
    { kind },
  );
}
