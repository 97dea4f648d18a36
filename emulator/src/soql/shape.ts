import type { FieldType } from '../schema/types';
import { formatDateTime } from '../store/codec';

/**
 * How a flat SQL row becomes a REST record: `attributes` first, then the selected fields in SELECT
 * order, parents as nested records (null when the lookup is empty), children null or
 * `{totalSize, done, records}`.
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

/** The JSON text of a record's child relationship, given the subquery's index and the parent id. */
export type ChildJson = (child: number, parentId: string) => string;

/** Renders one row as record JSON text. */
export type RowRenderer = (row: unknown[], children: ChildJson) => string;

type Step = (row: unknown[], children: ChildJson, id: string) => string;

const DAY_MS = 86_400_000;
const dayPrefixes = new Map<number, string>();
const pad2 = (n: number): string => (n < 10 ? '0' + n : String(n));
const pad3 = (n: number): string => (n < 10 ? '00' + n : n < 100 ? '0' + n : String(n));

/**
 * formatDateTime for the hot path: the date part is cached per day (rows of one load share few
 * days) and the time part is integer arithmetic, instead of a Date and a regex per value.
 */
export function fastDateTime(ms: number): string {
  const day = Math.floor(ms / DAY_MS);
  let prefix = dayPrefixes.get(day);
  if (prefix === undefined) {
    const iso = new Date(day * DAY_MS).toISOString();
    if (iso.length !== 24) return formatDateTime(ms);
    prefix = iso.slice(0, 11);
    if (dayPrefixes.size > 50_000) dayPrefixes.clear();
    dayPrefixes.set(day, prefix);
  }
  let rest = ms - day * DAY_MS;
  const h = Math.floor(rest / 3_600_000);
  rest -= h * 3_600_000;
  const mi = Math.floor(rest / 60_000);
  rest -= mi * 60_000;
  const sec = Math.floor(rest / 1000);
  return prefix + pad2(h) + ':' + pad2(mi) + ':' + pad2(sec) + '.' + pad3(rest - sec * 1000) + '+0000';
}

function encodePlain(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  return typeof v === 'string' ? JSON.stringify(v) : String(v);
}

/**
 * Compiles a shape into a function that writes record JSON straight from a row. Pages are large
 * (2000 records of nested objects), and building the text directly costs a fraction of building
 * objects and then stringifying them.
 */
export function compileRenderer(shape: RecordShape, urlBase: string): RowRenderer {
  const head = `{"attributes":{"type":${JSON.stringify(shape.type)},"url":${JSON.stringify(urlBase + shape.type + '/').slice(0, -1)}`;
  const steps: Step[] = shape.entries.map((e): Step => {
    const key = ',' + JSON.stringify(e.key) + ':';
    if (e.kind === 'parent') {
      const render = compileRenderer(e.shape, urlBase);
      return (row, children) => key + render(row, children);
    }
    if (e.kind === 'child') {
      const index = e.child;
      return (_row, children, id) => key + children(index, id);
    }
    const col = e.col;
    if (e.conv === Conv.Bool) return (row) => key + (row[col] === 1 ? 'true' : 'false');
    if (e.conv === Conv.DateTime) {
      return (row) => {
        const v = row[col];
        return key + (v === null || v === undefined ? 'null' : '"' + fastDateTime(v as number) + '"');
      };
    }
    return (row) => key + encodePlain(row[col]);
  });
  const idCol = shape.idCol;
  return (row, children) => {
    const id = row[idCol];
    if (id === null || id === undefined) return 'null';
    let out = head + (id as string) + '"}';
    for (let i = 0; i < steps.length; i++) out += steps[i](row, children, id as string);
    return out + '}';
  };
}
