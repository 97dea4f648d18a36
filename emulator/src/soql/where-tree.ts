import type {
  ConditionWithValueQuery,
  HavingClause,
  NegationCondition,
  WhereClause,
} from '@jetstreamapp/soql-parser-js';
import { malformedQuery } from '../errors';

/** A comparison: a field or function, an operator and its value(s) or sub-select. */
export type LeafCondition = Exclude<ConditionWithValueQuery, NegationCondition>;

/** A WHERE/HAVING expression as a real tree (the parser only records paren counts on leaves). */
export type CondTree =
  | { kind: 'and' | 'or'; items: CondTree[] }
  | { kind: 'not'; item: CondTree }
  | { kind: 'leaf'; cond: LeafCondition };

type Token = '(' | ')' | 'AND' | 'OR' | 'NOT' | { cond: LeafCondition };

interface ChainNode {
  left?: ConditionWithValueQuery | { openParen?: number } | null;
  operator?: string;
  right?: ChainNode;
}

/**
 * Re-trees the parser's right-leaning chain with NOT > AND > OR, refusing AND and OR mixed at one
 * level without parentheses: the parser would silently read `a AND b OR c` as `a AND (b OR c)`.
 */
export function toCondTree(where: WhereClause | HavingClause): CondTree {
  const tokens: Token[] = [];
  flatten(where as ChainNode, tokens);
  let pos = 0;
  const peek = (): Token | undefined => tokens[pos];

  const parseExpr = (): CondTree => {
    const items = [parseUnary()];
    let op: 'AND' | 'OR' | undefined;
    for (;;) {
      const t = peek();
      if (t !== 'AND' && t !== 'OR') break;
      if (op && op !== t) {
        throw malformedQuery('unexpected token: ' + t + '. Use parentheses to mix AND and OR at one level');
      }
      op = t;
      pos++;
      items.push(parseUnary());
    }
    if (items.length === 1) return items[0];
    return { kind: op === 'AND' ? 'and' : 'or', items };
  };

  const parseUnary = (): CondTree => {
    const t = peek();
    if (t === 'NOT') {
      pos++;
      return { kind: 'not', item: parseUnary() };
    }
    if (t === '(') {
      pos++;
      const inner = parseExpr();
      if (peek() !== ')') throw malformedQuery("unexpected token: missing ')'");
      pos++;
      return inner;
    }
    if (t && typeof t === 'object') {
      pos++;
      return { kind: 'leaf', cond: t.cond };
    }
    throw malformedQuery(`unexpected token: '${t ?? '<EOF>'}'`);
  };

  const tree = parseExpr();
  if (pos !== tokens.length) throw malformedQuery(`unexpected token: '${String(tokens[pos])}'`);
  return tree;
}

function flatten(node: ChainNode | undefined, out: Token[]): void {
  while (node) {
    const left = node.left;
    if (node.operator === 'NOT' && (left === null || left === undefined || !isCondition(left))) {
      for (let i = 0; i < (left?.openParen ?? 0); i++) out.push('(');
      out.push('NOT');
      node = node.right;
      continue;
    }
    if (!left || !isCondition(left)) throw malformedQuery('unexpected token: missing condition');
    for (let i = 0; i < (left.openParen ?? 0); i++) out.push('(');
    out.push({ cond: left });
    for (let i = 0; i < (left.closeParen ?? 0); i++) out.push(')');
    if (!node.operator) return;
    if (node.operator !== 'AND' && node.operator !== 'OR')
      throw malformedQuery(`unexpected token: '${node.operator}'`);
    out.push(node.operator);
    node = node.right;
  }
}

function isCondition(x: object): x is LeafCondition {
  return 'operator' in x && ('field' in x || 'fn' in x);
}
