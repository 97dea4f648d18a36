import type { FieldType as SoqlFieldType, Query, Subquery } from '@jetstreamapp/soql-parser-js';
import { malformedQuery, SfError } from '../errors';
import type { Org } from '../org';
import type { ObjectDef } from '../schema/types';
import { queryVisibility, type QueryVisibility } from '../sharing/guards';
import { quoteIdent } from '../store/codec';
import { compileAggregate, isAggregateField, type AggregatePlan } from './aggregate';
import { compileWhere, type ConditionContext } from './conditions';
import type { DateContext } from './date-literals';
import { Joins } from './joins';
import { parseSoql } from './parse';
import { addFieldToShape, fieldPath, orderSql, Projection, rawName, type FlatColumn } from './projection';
import type { RecordShape } from './shape';

export const MAX_OFFSET = 2000;

/** A child subquery, run once per page for all of the page's parent ids. */
export interface ChildPlan {
  key: string;
  /** Parameters: the JSON array of parent ids, then `params`. */
  sql: string;
  params: unknown[];
  shape: RecordShape;
  /** Column of the child row holding its parent's id. */
  parentCol: number;
}

export interface RecordPlan {
  kind: 'records';
  object: ObjectDef;
  columns: string[];
  shape: RecordShape;
  children: ChildPlan[];
  flat: FlatColumn[];
  /** `"Account" t LEFT JOIN …` */
  fromSql: string;
  /** The joins alone, for reading a cursor's page by id. */
  joinSql: string;
  whereSql: string;
  params: unknown[];
  orderSql: string;
  limit: number | null;
  offset: number;
  scanAll: boolean;
}

export interface CountPlan {
  kind: 'count';
  object: ObjectDef;
  sql: string;
  params: unknown[];
}

export type QueryPlan = RecordPlan | CountPlan | AggregatePlan;

export function dateContext(org: Org): DateContext {
  return {
    now: org.now(),
    timeZone: org.settings.timeZone,
    fiscalYearStartMonth: org.settings.fiscalYearStartMonth,
  };
}

/**
 * Parses, checks against the schema and compiles a SOQL query to SQL over the org's tables. With a
 * `userId`, the query sees what that user may see (object permissions, sharing); without one, all.
 */
export function compileQuery(org: Org, soql: string, scanAll: boolean, userId?: string): QueryPlan {
  const query = parseSoql(soql);
  rejectUnsupported(query);
  if (!query.sObject) throw malformedQuery('unexpected token: missing FROM');
  const object = org.schema.get(query.sObject);
  const visibility = queryVisibility(org, userId);
  visibility?.checkReadable(object);
  const offset = query.offset ?? 0;
  if (offset > MAX_OFFSET)
    throw new SfError(400, 'NUMBER_OUTSIDE_VALID_RANGE', `Maximum SOQL offset allowed is ${MAX_OFFSET}`);
  const fields = query.fields ?? [];
  if (fields.length === 0) throw malformedQuery('unexpected token: FROM');

  const joins = new Joins(org.schema, object, 't', scanAll, query.sObjectAlias);
  const ctx: ConditionContext = {
    org,
    joins,
    params: [],
    dates: dateContext(org),
    scanAll,
    rowFilter: visibility?.filter(object, 't') ?? undefined,
  };

  const countOnly = fields.length === 1 && isCountStar(fields[0]);
  if (!countOnly && fields.some(isCountStar))
    throw malformedQuery('COUNT() must be the only element in the SELECT list');
  if (countOnly && !query.groupBy) return compileCount(object, query, joins, ctx);
  if (countOnly || query.groupBy || fields.some(isAggregateField))
    return compileAggregate(object, query, joins, ctx);
  if (query.having) throw malformedQuery('HAVING needs GROUP BY or an aggregate function');

  const proj = new Projection();
  const shape: RecordShape = { type: object.name, idCol: proj.add('t."Id"'), entries: [] };
  const children: ChildPlan[] = [];
  const flat: FlatColumn[] = [];
  for (const f of fields) {
    if (f.type === 'FieldSubquery') {
      const child = compileChild(org, object, f.subquery, scanAll, visibility);
      if (shape.entries.some((e) => e.key === child.key))
        throw malformedQuery(`duplicate field selected: ${child.key}`);
      shape.entries.push({ kind: 'child', key: child.key, child: children.length });
      children.push(child);
      continue;
    }
    if ('alias' in f && f.alias) throw malformedQuery('Only aggregate expressions use field aliasing');
    const path = selectablePath(f);
    const leaf = addFieldToShape(shape, path, joins, proj);
    flat.push({ name: rawName(f), col: leaf.col, type: leaf.type });
  }
  const where = whereSql(query, ctx, 't', scanAll);
  const order = [...orderSql(query.orderBy, joins), 't.rowid'].join(', ');
  return {
    kind: 'records',
    object,
    columns: proj.columns,
    shape,
    children,
    flat,
    fromSql: joins.fromSql(),
    joinSql: joins.joinSql(),
    whereSql: where,
    params: ctx.params,
    orderSql: order,
    limit: query.limit ?? null,
    offset,
    scanAll,
  };
}

function rejectUnsupported(query: Query | Subquery): void {
  if (query.usingScope && query.usingScope.toLowerCase() !== 'everything') {
    throw malformedQuery(`USING SCOPE ${query.usingScope} is not supported by the embedded org`);
  }
  if (query.withDataCategory) throw malformedQuery('WITH DATA CATEGORY is not supported by the embedded org');
}

function isCountStar(f: SoqlFieldType): boolean {
  return (
    f.type === 'FieldFunctionExpression' &&
    f.functionName.toUpperCase() === 'COUNT' &&
    f.parameters.length === 0
  );
}

/** The path of a plain selected field; functions, TYPEOF and FIELDS() are refused. */
function selectablePath(f: SoqlFieldType): string {
  const path = fieldPath(f);
  if (path !== null) return path;
  if (f.type === 'FieldTypeof') throw malformedQuery('TYPEOF is not supported by the embedded org');
  if (f.type === 'FieldFunctionExpression') {
    throw malformedQuery(
      `unexpected token: '${f.functionName}' (${f.rawValue ?? f.functionName} is not supported here)`,
    );
  }
  throw malformedQuery('unexpected token in SELECT list');
}

function whereSql(query: Query | Subquery, ctx: ConditionContext, alias: string, scanAll: boolean): string {
  const parts: string[] = [];
  if (!scanAll) parts.push(`${alias}."IsDeleted" = 0`);
  if (ctx.rowFilter) parts.push(ctx.rowFilter);
  if (query.where) parts.push(compileWhere(query.where, ctx));
  return parts.length ? parts.join(' AND ') : '1';
}

function compileCount(object: ObjectDef, query: Query, joins: Joins, ctx: ConditionContext): CountPlan {
  if (query.having) throw malformedQuery('HAVING needs GROUP BY');
  const where = whereSql(query, ctx, 't', ctx.scanAll);
  const bounded = query.limit !== undefined || (query.offset ?? 0) > 0;
  const inner = `SELECT 1 FROM ${joins.fromSql()} WHERE ${where}`;
  const params = [...ctx.params];
  let sql = `SELECT count(*) AS n FROM ${joins.fromSql()} WHERE ${where}`;
  if (bounded) {
    sql = `SELECT count(*) AS n FROM (${inner} LIMIT ? OFFSET ?)`;
    params.push(query.limit ?? -1, query.offset ?? 0);
  }
  return { kind: 'count', object, sql, params };
}

const unknownChildRelationship = (name: string) =>
  new SfError(
    400,
    'INVALID_TYPE',
    `Didn't understand relationship '${name}' in FROM part of query call. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`,
  );

function compileChild(
  org: Org,
  parent: ObjectDef,
  sub: Subquery,
  scanAll: boolean,
  visibility: QueryVisibility | null,
): ChildPlan {
  rejectUnsupported(sub);
  const rel = org.schema.childRelationship(parent.name, sub.relationshipName);
  if (!rel || !rel.relationshipName) throw unknownChildRelationship(sub.relationshipName);
  if (sub.groupBy || sub.having)
    throw malformedQuery('Aggregate functions are not supported in child subqueries');
  if (sub.offset !== undefined) throw malformedQuery('OFFSET is not supported in child subqueries');
  const object = org.schema.get(rel.childSObject);
  // A child object the user cannot read is not there for them, relationship included.
  if (visibility) {
    try {
      visibility.checkReadable(object);
    } catch {
      throw unknownChildRelationship(sub.relationshipName);
    }
  }
  const joins = new Joins(org.schema, object, 'c', scanAll, sub.sObjectAlias);
  const ctx: ConditionContext = {
    org,
    joins,
    params: [],
    dates: dateContext(org),
    scanAll,
    rowFilter: visibility?.filter(object, 'c') ?? undefined,
  };
  const proj = new Projection();
  const shape: RecordShape = { type: object.name, idCol: proj.add('c."Id"'), entries: [] };
  for (const f of sub.fields ?? []) {
    if (f.type === 'FieldSubquery') throw malformedQuery('Only one level of child subqueries is supported');
    addFieldToShape(shape, selectablePath(f), joins, proj);
  }
  const fk = `c.${quoteIdent(rel.field)}`;
  const parentCol = proj.add(fk);
  const where = whereSql(sub, ctx, 'c', scanAll);
  const order = [...orderSql(sub.orderBy, joins), 'c.rowid'].join(', ');
  const cols = proj.columns.map((sql, i) => `${sql} AS k${i}`).join(', ');
  const filter = `${fk} IN (SELECT value FROM json_each(?)) AND ${where}`;
  let sql: string;
  const params = [...ctx.params];
  if (sub.limit !== undefined) {
    // LIMIT applies per parent, so number the rows within each parent and keep the first n.
    const outCols = proj.columns.map((_, i) => `k${i}`).join(', ');
    sql = `SELECT ${outCols} FROM (SELECT ${cols}, row_number() OVER (PARTITION BY ${fk} ORDER BY ${order}) AS rn FROM ${joins.fromSql()} WHERE ${filter}) WHERE rn <= ? ORDER BY k${parentCol}, rn`;
    params.push(sub.limit);
  } else {
    sql = `SELECT ${cols} FROM ${joins.fromSql()} WHERE ${filter} ORDER BY ${order}`;
  }
  return { key: rel.relationshipName, sql, params, shape, parentCol };
}
