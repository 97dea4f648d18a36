/**
 * Boolean filter logic of a rule, as Salesforce writes it: `(1 AND 2) OR NOT 3`. A small
 * recursive-descent parser; AND binds tighter than OR, NOT tightest, keywords are case-insensitive.
 * Salesforce itself refuses to mix AND and OR without parentheses; we accept it with the usual
 * precedence because the meaning is unambiguous.
 */

export type FilterNode =
  | { kind: 'item'; index: number }
  | { kind: 'not'; operand: FilterNode }
  | { kind: 'and' | 'or'; operands: FilterNode[] };

export class FilterSyntaxError extends Error {}

type Token = { type: 'num'; value: number; at: number } | { type: 'op' | 'paren'; value: string; at: number };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const re = /\s*(?:(\d+)|(AND|OR|NOT)\b|([()]))/giy;
  let at = 0;
  while (at < text.length) {
    if (/^\s*$/.test(text.slice(at))) break;
    re.lastIndex = at;
    const m = re.exec(text);
    if (!m) throw new FilterSyntaxError(`unexpected '${text.slice(at).trim()[0]}' at position ${at + 1}`);
    const pos = m.index + m[0].length - (m[1] ?? m[2] ?? m[3] ?? '').length;
    if (m[1] !== undefined) tokens.push({ type: 'num', value: Number(m[1]), at: pos });
    else if (m[2] !== undefined) tokens.push({ type: 'op', value: m[2].toUpperCase(), at: pos });
    else tokens.push({ type: 'paren', value: m[3] ?? '', at: pos });
    at = re.lastIndex;
  }
  return tokens;
}

/** Parses the filter; `itemCount` bounds the item numbers. Throws FilterSyntaxError with a position. */
export function parseFilterLogic(text: string, itemCount: number): FilterNode {
  const tokens = tokenize(text);
  let i = 0;
  const peek = (): Token | undefined => tokens[i];
  const describe = (t: Token | undefined): string => (t ? `'${t.value}' at position ${t.at + 1}` : 'the end');

  const parseOr = (): FilterNode => {
    const operands = [parseAnd()];
    while (peek()?.type === 'op' && peek()?.value === 'OR') {
      i++;
      operands.push(parseAnd());
    }
    return operands.length === 1 ? operands[0]! : { kind: 'or', operands };
  };
  const parseAnd = (): FilterNode => {
    const operands = [parseUnary()];
    while (peek()?.type === 'op' && peek()?.value === 'AND') {
      i++;
      operands.push(parseUnary());
    }
    return operands.length === 1 ? operands[0]! : { kind: 'and', operands };
  };
  const parseUnary = (): FilterNode => {
    const t = peek();
    if (t?.type === 'op' && t.value === 'NOT') {
      i++;
      return { kind: 'not', operand: parseUnary() };
    }
    if (t?.type === 'paren' && t.value === '(') {
      i++;
      const inner = parseOr();
      const close = peek();
      if (close?.type !== 'paren' || close.value !== ')')
        throw new FilterSyntaxError(`expected ')' but found ${describe(close)}`);
      i++;
      return inner;
    }
    if (t?.type === 'num') {
      i++;
      if (t.value < 1 || t.value > itemCount)
        throw new FilterSyntaxError(
          `item ${t.value} at position ${t.at + 1} does not exist (the rule has ${itemCount} items)`,
        );
      return { kind: 'item', index: t.value };
    }
    throw new FilterSyntaxError(`expected an item number, NOT or '(' but found ${describe(t)}`);
  };

  if (tokens.length === 0) throw new FilterSyntaxError('the filter is empty');
  const node = parseOr();
  if (i < tokens.length) throw new FilterSyntaxError(`unexpected ${describe(tokens[i])}`);
  return node;
}

/** Salesforce's default when a rule has no filter: every item must hold. */
export function defaultFilter(itemCount: number): FilterNode {
  const operands: FilterNode[] = Array.from({ length: itemCount }, (_, k) => ({
    kind: 'item',
    index: k + 1,
  }));
  return operands.length === 1 ? operands[0]! : { kind: 'and', operands };
}

export function evaluateFilter(node: FilterNode, item: (index: number) => boolean): boolean {
  switch (node.kind) {
    case 'item':
      return item(node.index);
    case 'not':
      return !evaluateFilter(node.operand, item);
    case 'and':
      return node.operands.every((n) => evaluateFilter(n, item));
    case 'or':
      return node.operands.some((n) => evaluateFilter(n, item));
  }
}

/** Items that must hold for the filter to hold (reachable from the root through ANDs only). */
export function requiredItems(node: FilterNode): number[] {
  if (node.kind === 'item') return [node.index];
  if (node.kind === 'and') return node.operands.flatMap(requiredItems);
  return [];
}

export function formatFilter(node: FilterNode): string {
  switch (node.kind) {
    case 'item':
      return String(node.index);
    case 'not':
      return `NOT ${node.operand.kind === 'item' ? formatFilter(node.operand) : `(${formatFilter(node.operand)})`}`;
    case 'and':
    case 'or':
      return node.operands
        .map((n) => (n.kind === 'and' || n.kind === 'or' ? `(${formatFilter(n)})` : formatFilter(n)))
        .join(node.kind === 'and' ? ' AND ' : ' OR ');
  }
}
