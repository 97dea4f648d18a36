import type { FieldType } from '../schema/types';
import { formatDateTime } from '../store/codec';

/**
 * How a flat SQL row becomes a REST record: `attributes` first, then the selected fields in SELECT
 * order, parents as nested records (null when the lookup is empty), children filled in later.
 */
export type ShapeEntry =
  | { kind: 'field'; key: string; col: number; conv: Conv }
  | { kind: 'parent'; key: string; shape: RecordShape }
  | { kind: 'child'; key: string; child: number };

export interface RecordShape {
  type: string;
  /** Column holding the record's Id: its presence says whether a parent exists. */
  idCol: number;
  entries: ShapeEntry[];
}

/** Value conversions from storage to JSON; most types need none. */
export const Conv = { None: 0, Bool: 1, DateTime: 2 } as const;
export type Conv = (typeof Conv)[keyof typeof Conv];

export function convFor(type: FieldType): Conv {
  if (type === 'boolean') return Conv.Bool;
  if (type === 'datetime') return Conv.DateTime;
  return Conv.None;
}

export function convert(conv: Conv, value: unknown): unknown {
  if (conv === Conv.None) return value ?? null;
  if (conv === Conv.Bool) return value === 1 || value === true;
  return value === null || value === undefined ? null : formatDateTime(value as number);
}

export type JsonRecord = Record<string, unknown>;

/** Builds one record; `urlBase` is `/services/data/vNN.N/sobjects/`. */
export function shapeRecord(shape: RecordShape, row: unknown[], urlBase: string): JsonRecord | null {
  const id = row[shape.idCol];
  if (id === null || id === undefined) return null;
  const rec: JsonRecord = { attributes: { type: shape.type, url: urlBase + shape.type + '/' + (id as string) } };
  const entries = shape.entries;
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i];
    if (e.kind === 'field') rec[e.key] = convert(e.conv, row[e.col]);
    else if (e.kind === 'parent') rec[e.key] = shapeRecord(e.shape, row, urlBase);
    else rec[e.key] = null;
  }
  return rec;
}
