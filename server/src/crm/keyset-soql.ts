import type { CursorKey } from '../store';
import { soqlDateTime, soqlId, soqlName } from './soql-values';

/** The cursor field; every synced object has it, and it moves on every change, deletes included. */
export const CURSOR_FIELD = 'SystemModstamp';

/**
 * `SELECT … FROM X [WHERE window] ORDER BY SystemModstamp, Id`. The window is either "from a time
 * on" (the lookback start) or the keyset "strictly after (t, id)", which survives thousands of
 * records sharing one SystemModstamp across page boundaries without skipping or repeating any.
 * Values go through the validating formatters of soql-values.ts only.
 */
export function keysetSoql(
  object: string,
  fields: string[],
  from: number | null,
  after: CursorKey | null,
): string {
  const select = `SELECT ${fields.map(soqlName).join(', ')} FROM ${soqlName(object)}`;
  let where = '';
  if (after) {
    const t = soqlDateTime(after.modstamp);
    where = ` WHERE (${CURSOR_FIELD} = ${t} AND Id > ${soqlId(after.id)}) OR ${CURSOR_FIELD} > ${t}`;
  } else if (from !== null) {
    where = ` WHERE ${CURSOR_FIELD} >= ${soqlDateTime(from)}`;
  }
  return `${select}${where} ORDER BY ${CURSOR_FIELD}, Id`;
}

export function idsSoql(object: string): string {
  return `SELECT Id FROM ${soqlName(object)}`;
}

export function byIdsSoql(object: string, fields: string[], ids: string[]): string {
  return `SELECT ${fields.map(soqlName).join(', ')} FROM ${soqlName(object)} WHERE Id IN (${ids.map(soqlId).join(', ')})`;
}
