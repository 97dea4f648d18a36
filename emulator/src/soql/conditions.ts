import type { FunctionExp, Query } from '@jetstreamapp/soql-parser-js';
import { invalidField, malformedQuery, SfError } from '../errors';
import type { Org } from '../org';
import type { FieldDef } from '../schema/types';
import { storageClass } from '../store/codec';
import type { DateContext } from './date-literals';
import { Joins, type ColumnRef } from './joins';
import { toLiteral, unescapeString, type Literal } from './literals';
import { toCondTree, type CondTree, type LeafCondition } from './where-tree';

/** An expression the condition compiler can compare: a column, or an aggregate in HAVING. */
export interface Operand {
  sql: string;
  field: FieldDef;
}

export interface ConditionContext {
  org: Org;
  joins: Joins;
  params: unknown[];
  dates: DateContext;
  scanAll: boolean;
  /** Resolves an aggregate function in HAVING; absent in WHERE. */
  aggregate?: (fn: FunctionExp) => Operand;
  /** True inside a semi-join, which may not nest another one. */
  inSemiJoin?: boolean;
  /** Sharing: a parameter-free predicate on the query's own rows, for users who do not see everything. */
  rowFilter?: string;
  semiJoinCounter?: { n: number };
}

const TEXT_LIKE = new Set([
  'string',
  'textarea',
  'picklist',
  'multipicklist',
  'combobox',
  'email',
  'phone',
  'url',
]);

/**
 * Compiles a WHERE or HAVING clause to one SQL boolean expression with `?` parameters. SOQL is
 * two-valued: `!=`, NOT IN and EXCLUDES match nulls, and NOT of a comparison on null is true, so
 * every NOT coalesces its operand's SQL NULL to false first.
 */
export function compileWhere(where: Parameters<typeof toCondTree>[0], ctx: ConditionContext): string {
  return compileTree(toCondTree(where), ctx);
}

function compileTree(tree: CondTree, ctx: ConditionContext): string {
  switch (tree.kind) {
    case 'and':
    case 'or':
      return (
        '(' + tree.items.map((t) => compileTree(t, ctx)).join(tree.kind === 'and' ? ' AND ' : ' OR ') + ')'
      );
    case 'not':
      return `(NOT COALESCE(${compileTree(tree.item, ctx)}, 0))`;
    case 'leaf':
      return compileLeaf(tree.cond, ctx);
  }
}

function operandOf(cond: LeafCondition, ctx: ConditionContext): Operand {
  if ('fn' in cond && cond.fn) {
    if (!ctx.aggregate)
      throw malformedQuery(
        `unexpected token: '${cond.fn.functionName ?? cond.fn.rawValue}' (date functions are not supported)`,
      );
    return ctx.aggregate(cond.fn);
  }
  const ref: ColumnRef = ctx.joins.column((cond as { field: string }).field);
  if (ref.field.filterable === false) {
    throw invalidField(`field '${ref.field.name}' can not be filtered in a query call`);
  }
  return { sql: ref.sql, field: ref.field };
}

function compileLeaf(cond: LeafCondition, ctx: ConditionContext): string {
  const operand = operandOf(cond, ctx);
  const op = normaliseOperator(String(cond.operator));
  if (cond.literalType === 'SUBQUERY' && 'valueQuery' in cond && cond.valueQuery) {
    return semiJoin(operand, op, cond.valueQuery, ctx);
  }
  const valueCond = cond as {
    value: string | string[];
    literalType?: string | string[];
    dateLiteralVariable?: number | number[];
  };
  const values = Array.isArray(valueCond.value) ? valueCond.value : [valueCond.value];
  const types = values.map(
    (_, i) =>
      (Array.isArray(valueCond.literalType) ? valueCond.literalType[i] : valueCond.literalType) ?? 'STRING',
  );
  const ns = values.map((_, i) =>
    Array.isArray(valueCond.dateLiteralVariable)
      ? valueCond.dateLiteralVariable[i]
      : valueCond.dateLiteralVariable,
  );
  const isList = Array.isArray(valueCond.value);

  switch (op) {
    case 'IN':
    case 'NOT IN': {
      if (!isList) throw malformedQuery(`unexpected token: '${values[0]}' (IN needs a parenthesised list)`);
      const literals = values.map((v, i) => toLiteral(operand.field, types[i], v, ctx.dates, ns[i]));
      const sql = inList(operand.sql, literals, ctx);
      return op === 'IN' ? sql : `(NOT COALESCE(${sql}, 0))`;
    }
    case 'INCLUDES':
    case 'EXCLUDES': {
      if (operand.field.type !== 'multipicklist') {
        throw invalidField(
          `${op.toLowerCase()} operator only valid on multi-select picklist fields: ${operand.field.name}`,
        );
      }
      const sets = values.map((v, i) => {
        if (types[i] !== 'STRING')
          throw invalidField(
            `value of filter criterion for field '${operand.field.name}' must be of type string and should be enclosed in quotes`,
          );
        return unescapeString(v)
          .split(';')
          .map((s) => s.trim())
          .filter((s) => s !== '');
      });
      const member = (value: string): string => {
        ctx.params.push(`;${value.toLowerCase()};`);
        return `instr(';' || replace(lower(${operand.sql}), '; ', ';') || ';', ?) > 0`;
      };
      const any = '(' + sets.map((set) => '(' + set.map(member).join(' AND ') + ')').join(' OR ') + ')';
      return op === 'INCLUDES'
        ? `(${operand.sql} IS NOT NULL AND ${any})`
        : `(${operand.sql} IS NULL OR NOT ${any})`;
    }
    case 'LIKE': {
      if (!TEXT_LIKE.has(operand.field.type)) {
        throw new SfError(
          400,
          'INVALID_QUERY_FILTER_OPERATOR',
          `invalid operator on ${operand.field.type} field: ${operand.field.name}`,
        );
      }
      if (isList || types[0] !== 'STRING') {
        throw invalidField(
          `value of filter criterion for field '${operand.field.name}' must be of type string and should be enclosed in quotes`,
        );
      }
      ctx.params.push(unescapeString(values[0], true));
      return `(${operand.sql} LIKE ? ESCAPE '\\')`;
    }
    default: {
      if (isList) throw malformedQuery(`unexpected token: '(' after operator ${op}`);
      const literal = toLiteral(operand.field, types[0], values[0], ctx.dates, ns[0]);
      return comparison(operand.sql, op, literal, ctx);
    }
  }
}

function normaliseOperator(op: string): string {
  const upper = op.toUpperCase().replace(/\s+/g, ' ');
  return upper === '<>' ? '!=' : upper;
}

function comparison(col: string, op: string, lit: Literal, ctx: ConditionContext): string {
  if (lit.kind === 'null') {
    if (op === '=') return `(${col} IS NULL)`;
    if (op === '!=') return `(${col} IS NOT NULL)`;
    return '0';
  }
  if (lit.kind === 'range') {
    // A date literal is a range: `=` means inside it, `>` after its end, `<` before its start.
    switch (op) {
      case '=':
        ctx.params.push(lit.start, lit.end);
        return `(${col} >= ? AND ${col} < ?)`;
      case '!=':
        ctx.params.push(lit.start, lit.end);
        return `(${col} IS NULL OR ${col} < ? OR ${col} >= ?)`;
      case '<':
        ctx.params.push(lit.start);
        return `(${col} < ?)`;
      case '>=':
        ctx.params.push(lit.start);
        return `(${col} >= ?)`;
      case '>':
        ctx.params.push(lit.end);
        return `(${col} >= ?)`;
      case '<=':
        ctx.params.push(lit.end);
        return `(${col} < ?)`;
    }
    throw malformedQuery(`unexpected operator ${op}`);
  }
  ctx.params.push(lit.value);
  switch (op) {
    case '=':
      return `(${col} = ?)`;
    case '!=':
      return `(${col} IS NULL OR ${col} <> ?)`;
    case '<':
    case '>':
    case '<=':
    case '>=':
      return `(${col} ${op} ?)`;
  }
  throw malformedQuery(`unexpected operator ${op}`);
}

function inList(col: string, literals: Literal[], ctx: ConditionContext): string {
  const values = literals.filter((l): l is { kind: 'value'; value: string | number } => l.kind === 'value');
  const parts: string[] = [];
  if (values.length) {
    parts.push(`${col} IN (${values.map(() => '?').join(', ')})`);
    for (const v of values) ctx.params.push(v.value);
  }
  for (const l of literals) {
    if (l.kind === 'range') parts.push(comparison(col, '=', l, ctx));
    if (l.kind === 'null') parts.push(`${col} IS NULL`);
  }
  return parts.length ? '(' + parts.join(' OR ') + ')' : '0';
}

/** `Id IN (SELECT AccountId FROM Opportunity WHERE …)` and its NOT IN anti-join. */
function semiJoin(operand: Operand, op: string, sub: Query, ctx: ConditionContext): string {
  if (op !== 'IN' && op !== 'NOT IN')
    throw malformedQuery(`unexpected token: '(' (a subquery needs IN or NOT IN)`);
  if (ctx.inSemiJoin) throw malformedQuery('Nesting of semi join sub-selects is not supported');
  if (storageClass(operand.field.type) !== 'id') {
    throw invalidField(
      `Invalid semi join field: ${operand.field.name}. Only id and reference fields can be compared with a sub-select`,
    );
  }
  if (!sub.sObject) throw malformedQuery('unexpected token: missing FROM in sub-select');
  if (sub.groupBy || sub.having || sub.orderBy || sub.limit !== undefined || sub.offset !== undefined) {
    throw malformedQuery('Semi join sub-selects support only SELECT, FROM and WHERE');
  }
  const object = ctx.org.schema.get(sub.sObject);
  const fields = sub.fields ?? [];
  const only = fields[0];
  if (fields.length !== 1 || !only || (only.type !== 'Field' && only.type !== 'FieldRelationship')) {
    throw malformedQuery('Semi join sub-selects must select exactly one id or reference field');
  }
  const counter = ctx.semiJoinCounter ?? (ctx.semiJoinCounter = { n: 0 });
  const alias = `s${++counter.n}`;
  const joins = new Joins(ctx.org.schema, object, alias, ctx.scanAll, sub.sObjectAlias);
  const path =
    only.type === 'Field' ? only.field : (only.rawValue ?? [...only.relationships, only.field].join('.'));
  const selected = joins.column(path);
  if (storageClass(selected.field.type) !== 'id') {
    throw invalidField(
      `Invalid semi join field: ${selected.field.name}. Only id and reference fields can be selected in a sub-select`,
    );
  }
  // The sub-select's parameters go where its SQL goes, which is here, in order.
  const conds: string[] = [];
  if (!ctx.scanAll) conds.push(`${alias}."IsDeleted" = 0`);
  conds.push(`${selected.sql} IS NOT NULL`);
  if (sub.where)
    conds.push(compileWhere(sub.where, { ...ctx, joins, inSemiJoin: true, semiJoinCounter: counter }));
  const select = `SELECT ${selected.sql} FROM ${joins.fromSql()} WHERE ${conds.join(' AND ')}`;
  return op === 'IN'
    ? `(${operand.sql} IN (${select}))`
    : `(${operand.sql} IS NULL OR ${operand.sql} NOT IN (${select}))`;
}
