import {
  GraphQLError as ParseError,
  Kind,
  parse,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
} from 'graphql';
import { SfError } from '../../errors';
import type { Org } from '../../org';
import type { ObjectDef } from '../../schema/types';
import { canReadObject } from '../../sharing';
import { runQuery } from '../../soql';
import { emptyTree, selectList } from '../field-tree';
import { timeZoneOf } from '../field-values';
import { GraphQlError, invalidArgument, undefinedField, type GraphQlErrorJson } from './errors';
import { orderBySoql, whereSoql } from './filters';
import { compileNode, type NodeRenderer } from './node-selection';
import { argsOf, collectFields, responseKey, valueOf, type Variables } from './values';

export interface GraphQlRequest {
  query?: unknown;
  variables?: unknown;
  operationName?: unknown;
}

export interface GraphQlResponse {
  data: Record<string, unknown> | null;
  errors: GraphQlErrorJson[];
}

const DEFAULT_FIRST = 10;
const MAX_FIRST = 2000;

interface Ctx {
  org: Org;
  userId: string;
  apiVersion: string;
  fragments: Map<string, FragmentDefinitionNode>;
  vars: Variables;
  timeZone: string;
}

/**
 * The UI API GraphQL subset over the SOQL engine (shared-contracts.md): `uiapi { query { Obj(where,
 * orderBy, first, after) { edges { cursor node { … } } totalCount pageInfo { … } } } }`. Each
 * connection becomes one SOQL query run as the user (plus a COUNT() when totalCount is asked), so
 * permissions and sharing apply as they do to /query. Failures are `errors` entries, never HTTP
 * errors, and `errors` is `[]` when there are none, as the UI API answers.
 */
export function executeGraphQl(
  org: Org,
  userId: string,
  apiVersion: string,
  req: GraphQlRequest,
): GraphQlResponse {
  try {
    if (typeof req.query !== 'string' || req.query.trim() === '')
      throw new GraphQlError('The request has no query', 'InvalidSyntax');
    let doc: DocumentNode;
    try {
      doc = parse(req.query);
    } catch (err) {
      if (!(err instanceof ParseError)) throw err;
      const loc = err.locations?.[0];
      const e = new GraphQlError(`Invalid Syntax : ${err.message}`, 'InvalidSyntax');
      return { data: null, errors: [{ ...e.toJson(), locations: loc ? [loc] : [] }] };
    }
    const op = pickOperation(doc, req.operationName);
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const d of doc.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
    const ctx: Ctx = {
      org,
      userId,
      apiVersion,
      fragments,
      vars: variablesOf(op, req.variables),
      timeZone: timeZoneOf(org, userId),
    };
    const data: Record<string, unknown> = {};
    for (const f of collectFields(op.selectionSet, fragments, ctx.vars)) {
      const name = f.name.value;
      if (name === '__typename') data[responseKey(f)] = 'Query';
      else if (name === 'uiapi') data[responseKey(f)] = uiapi(ctx, f);
      else throw undefinedField(name, 'Query', f, []);
    }
    return { data, errors: [] };
  } catch (err) {
    if (err instanceof GraphQlError) return { data: null, errors: [err.toJson()] };
    if (err instanceof SfError)
      return {
        data: null,
        errors: [new GraphQlError(`${err.errorCode}: ${err.message}`, 'DataFetchingException').toJson()],
      };
    throw err;
  }
}

function pickOperation(doc: DocumentNode, operationName: unknown): OperationDefinitionNode {
  const ops = doc.definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  const op =
    typeof operationName === 'string' && operationName !== ''
      ? ops.find((o) => o.name?.value === operationName)
      : ops.length === 1
        ? ops[0]
        : undefined;
  if (!op) {
    throw new GraphQlError(
      typeof operationName === 'string' && operationName !== ''
        ? `Unknown operation named '${operationName}'`
        : 'Must provide operation name if query contains multiple operations',
      'ValidationError',
    );
  }
  if (op.operation !== 'query')
    throw new GraphQlError(
      `${op.operation} operations are not supported by the embedded org`,
      'OperationNotSupported',
      op,
    );
  return op;
}

function variablesOf(op: OperationDefinitionNode, given: unknown): Variables {
  const supplied =
    typeof given === 'object' && given !== null && !Array.isArray(given) ? (given as Variables) : {};
  const out: Variables = {};
  for (const def of op.variableDefinitions ?? []) {
    const name = def.variable.name.value;
    if (supplied[name] !== undefined) out[name] = supplied[name];
    else if (def.defaultValue) out[name] = valueOf(def.defaultValue, {});
    else if (def.type.kind === Kind.NON_NULL_TYPE)
      throw new GraphQlError(
        `Variable '${name}' has an invalid value: it is required`,
        'ValidationError',
        def,
      );
  }
  return out;
}

function uiapi(ctx: Ctx, field: FieldNode): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of collectFields(field.selectionSet, ctx.fragments, ctx.vars)) {
    const name = f.name.value;
    if (name === '__typename') out[responseKey(f)] = 'UIAPI';
    else if (name === 'query') out[responseKey(f)] = recordQuery(ctx, f);
    else
      throw new GraphQlError(
        `'uiapi.${name}' is not supported by the embedded org (only uiapi.query)`,
        'ValidationError',
        f,
      );
  }
  return out;
}

function recordQuery(ctx: Ctx, field: FieldNode): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of collectFields(field.selectionSet, ctx.fragments, ctx.vars)) {
    const name = f.name.value;
    if (name === '__typename') {
      out[responseKey(f)] = 'RecordQuery';
      continue;
    }
    const object = ctx.org.schema.find(name);
    // The schema a user sees has only the objects they may read, with their exact API names.
    if (!object || object.name !== name || !canReadObject(ctx.org, ctx.userId, object))
      throw undefinedField(name, 'RecordQuery', f, ['uiapi', 'query']);
    out[responseKey(f)] = connection(ctx, object, f);
  }
  return out;
}

function connection(ctx: Ctx, object: ObjectDef, field: FieldNode): Record<string, unknown> {
  const path = ['uiapi', 'query', object.name];
  const args = argsOf(field, ctx.vars);
  for (const name of Object.keys(args)) {
    if (!['where', 'orderBy', 'first', 'after', 'upperBound', 'scope'].includes(name))
      throw invalidArgument(`unknown argument '${name}' on ${object.name}`, field);
  }
  if (args.scope !== undefined && args.scope !== null)
    throw new GraphQlError('scope is not supported by the embedded org', 'ValidationError', field);
  const first = args.first === undefined || args.first === null ? DEFAULT_FIRST : args.first;
  if (typeof first !== 'number' || !Number.isInteger(first) || first < 0 || first > MAX_FIRST)
    throw invalidArgument(`first must be a whole number from 0 to ${MAX_FIRST}`, field);
  const offset = args.after === undefined || args.after === null ? 0 : decodeCursor(args.after) + 1;

  const tree = emptyTree(object);
  const parts = collectFields(field.selectionSet, ctx.fragments, ctx.vars);
  const render = parts.map((p) => connectionPart(ctx, tree, p, path));
  const where = whereSoql(ctx.org, object, args.where);
  const order = orderBySoql(ctx.org, object, args.orderBy);
  const whereText = where ? ` WHERE ${where}` : '';
  const needsRows = parts.some((p) => ['edges', 'pageInfo', 'pageResultCount'].includes(p.name.value));
  const rows = needsRows
    ? runQuery(
        ctx.org,
        `SELECT ${selectList(tree).join(', ')} FROM ${object.name}${whereText}` +
          `${order.length ? ` ORDER BY ${order.join(', ')}` : ''} LIMIT ${first + 1}${offset ? ` OFFSET ${offset}` : ''}`,
        { userId: ctx.userId, apiVersion: ctx.apiVersion, batchSize: MAX_FIRST },
      )
    : null;
  const records = rows ? rows.records.slice(0, first) : [];
  const hasNextPage = rows ? rows.records.length > first || !rows.done : false;
  const needsCount = parts.some((p) => p.name.value === 'totalCount');
  const totalCount = needsCount
    ? runQuery(ctx.org, `SELECT COUNT() FROM ${object.name}${whereText}`, {
        userId: ctx.userId,
        apiVersion: ctx.apiVersion,
      }).totalSize
    : 0;
  const page: Page = { records, offset, hasNextPage, totalCount, object };
  const out: Record<string, unknown> = {};
  parts.forEach((p, i) => (out[responseKey(p)] = render[i](page)));
  return out;
}

interface Page {
  object: ObjectDef;
  records: Array<Record<string, unknown>>;
  offset: number;
  hasNextPage: boolean;
  totalCount: number;
}

function connectionPart(
  ctx: Ctx,
  tree: ReturnType<typeof emptyTree>,
  part: FieldNode,
  path: string[],
): (page: Page) => unknown {
  const name = part.name.value;
  const object = tree.object;
  switch (name) {
    case '__typename':
      return () => `${object.name}Connection`;
    case 'totalCount':
      return (page) => page.totalCount;
    case 'pageResultCount':
      return (page) => page.records.length;
    case 'pageInfo': {
      const fields = collectFields(part.selectionSet, ctx.fragments, ctx.vars);
      return (page) => {
        const o: Record<string, unknown> = {};
        const last = page.offset + page.records.length - 1;
        for (const f of fields) {
          const n = f.name.value;
          const v =
            n === 'hasNextPage'
              ? page.hasNextPage
              : n === 'hasPreviousPage'
                ? page.offset > 0
                : n === 'startCursor'
                  ? page.records.length
                    ? encodeCursor(page.offset)
                    : null
                  : n === 'endCursor'
                    ? page.records.length
                      ? encodeCursor(last)
                      : null
                    : n === '__typename'
                      ? 'PageInfo'
                      : undefined;
          if (v === undefined) throw undefinedField(n, 'PageInfo', f, [...path, 'pageInfo']);
          o[responseKey(f)] = v;
        }
        return o;
      };
    }
    case 'edges': {
      const edgeParts = collectFields(part.selectionSet, ctx.fragments, ctx.vars);
      const steps = edgeParts.map((e) => {
        const n = e.name.value;
        if (n === 'cursor') return (_rec: Record<string, unknown>, at: number) => encodeCursor(at);
        if (n === '__typename') return () => `${object.name}Edge`;
        if (n === 'node') {
          const renderer: NodeRenderer = compileNode(
            ctx,
            tree,
            collectFields(e.selectionSet, ctx.fragments, ctx.vars),
            [...path, 'edges', 'node'],
          );
          return (rec: Record<string, unknown>) => renderer(rec);
        }
        throw undefinedField(n, `${object.name}Edge`, e, [...path, 'edges']);
      });
      return (page) =>
        page.records.map((rec, i) => {
          const o: Record<string, unknown> = {};
          edgeParts.forEach((e, j) => (o[responseKey(e)] = steps[j](rec, page.offset + i)));
          return o;
        });
    }
    default:
      throw undefinedField(name, `${object.name}Connection`, part, path);
  }
}

/** Cursors are opaque to clients: the position of the record in the result, base64. */
function encodeCursor(position: number): string {
  return Buffer.from(`v1:${position}`).toString('base64');
}

function decodeCursor(cursor: unknown): number {
  const text = typeof cursor === 'string' ? Buffer.from(cursor, 'base64').toString('utf8') : '';
  const m = /^v1:(\d{1,9})$/.exec(text);
  if (!m) throw invalidArgument(`after: '${String(cursor)}' is not a cursor of this query`);
  return Number(m[1]);
}
