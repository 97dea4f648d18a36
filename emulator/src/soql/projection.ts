import type { FieldType as SoqlFieldType, OrderByClause } from '@jetstreamapp/soql-parser-js';
import { invalidField, malformedQuery } from '../errors';
import type { FieldType } from '../schema/types';
import type { Joins } from './joins';
import { convFor, type RecordShape, type ShapeEntry } from './shape';

/** One selected leaf as Bulk 2.0 shows it: the name as written in the SELECT. */
export interface FlatColumn {
  name: string;
  col: number;
  type: FieldType;
}

/** The SELECT list being built: SQL expressions in column order. */
export class Projection {
  readonly columns: string[] = [];
  add(sql: string): number {
    this.columns.push(sql);
    return this.columns.length - 1;
  }
}

/** `Owner.Name` as a path string, whether the parser gave a Field or a FieldRelationship. */
export function fieldPath(f: SoqlFieldType): string | null {
  if (f.type === 'Field') return f.field;
  if (f.type === 'FieldRelationship') return [...f.relationships, f.field].join('.');
  return null;
}

export function rawName(f: SoqlFieldType): string {
  if (f.type === 'FieldRelationship') return f.rawValue ?? [...f.relationships, f.field].join('.');
  if (f.type === 'Field') return 'rawValue' in f && typeof f.rawValue === 'string' ? f.rawValue : f.field;
  return '';
}

/**
 * Adds a selected field path to a record shape, creating the nested parent shapes (each with its
 * hidden Id column) on the way. Returns the leaf's column, or -1 when the field was already there.
 */
export function addFieldToShape(
  root: RecordShape,
  path: string,
  joins: Joins,
  proj: Projection,
): { col: number; type: FieldType } {
  const ref = joins.column(path);
  let shape = root;
  for (let i = 0; i < ref.relationships.length; i++) {
    const key = ref.relationships[i];
    let entry = shape.entries.find(
      (e): e is Extract<ShapeEntry, { kind: 'parent' }> => e.kind === 'parent' && e.key === key,
    );
    if (!entry) {
      const table = joins.table(ref.relationships.slice(0, i + 1));
      entry = {
        kind: 'parent',
        key,
        shape: { type: table.object.name, idCol: proj.add(`${table.alias}."Id"`), entries: [] },
      };
      shape.entries.push(entry);
    }
    shape = entry.shape;
  }
  const existing = shape.entries.find((e) => e.kind === 'field' && e.key === ref.field.name);
  if (existing && existing.kind === 'field') return { col: existing.col, type: ref.field.type };
  if (shape.entries.some((e) => e.kind !== 'field' && e.key === ref.field.name)) {
    throw malformedQuery(`duplicate field selected: ${ref.field.name}`);
  }
  const col = proj.add(ref.sql);
  shape.entries.push({ kind: 'field', key: ref.field.name, col, conv: convFor(ref.field.type) });
  return { col, type: ref.field.type };
}

/** ORDER BY as SQL; SQLite's null placement already matches SOQL's defaults. */
export function orderSql(orderBy: OrderByClause | OrderByClause[] | undefined, joins: Joins): string[] {
  const items = orderBy === undefined ? [] : Array.isArray(orderBy) ? orderBy : [orderBy];
  return items.map((o) => {
    if (!('field' in o))
      throw malformedQuery('Ordering by a function is only supported in aggregate queries');
    const ref = joins.column(o.field);
    if (ref.field.sortable === false || ref.field.type === 'multipicklist') {
      throw invalidField(`field '${ref.field.name}' can not be sorted in a query call`);
    }
    return orderTerm(ref.sql, o.order, o.nulls);
  });
}

export function orderTerm(sql: string, order?: string, nulls?: string): string {
  const desc = order?.toUpperCase() === 'DESC';
  let term = `${sql}${desc ? ' DESC' : ''}`;
  const wanted = nulls?.toUpperCase();
  if (wanted === 'LAST' && !desc) term += ' NULLS LAST';
  if (wanted === 'FIRST' && desc) term += ' NULLS FIRST';
  return term;
}
