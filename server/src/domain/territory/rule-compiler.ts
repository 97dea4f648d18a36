import type { Account } from '../snapshot/types';
import type { RuleItem } from './config';
import {
  defaultFilter,
  formatFilter,
  parseFilterLogic,
  requiredItems,
  type FilterNode,
} from './filter-logic';

/**
 * Rule items compiled to predicates over a prepared account: every field a rule reads is read once
 * per account (lower-cased text, parsed number) into slots, so evaluating a rule is array reads and
 * comparisons. Text comparisons are case-insensitive like Salesforce's. A blank field matches only
 * `notEquals`, `notIn` and `isNull`.
 */

export const ACCOUNT_FIELDS = [
  'id',
  'name',
  'ownerId',
  'segment',
  'type',
  'industry',
  'billingCountry',
  'billingState',
  'billingPostalCode',
  'billingCity',
  'annualRevenue',
  'numberOfEmployees',
  'parentId',
] as const;
type AccountField = (typeof ACCOUNT_FIELDS)[number];
const NUMERIC_FIELDS = new Set<string>(['annualRevenue', 'numberOfEmployees']);

export function isKnownField(field: string): boolean {
  return (ACCOUNT_FIELDS as readonly string[]).includes(field) || /^attributes\.[^.]+$/.test(field);
}

export function rawFieldValue(account: Account, field: string): string | null {
  if (field.startsWith('attributes.')) return account.attributes[field.slice(11)] ?? null;
  const v = account[field as AccountField];
  return v === null || v === undefined ? null : String(v);
}

/** Field slots of one compiled rule set; every account is prepared into these once. */
export class FieldSlots {
  readonly fields: string[] = [];
  private readonly index = new Map<string, number>();
  slot(field: string): number {
    let s = this.index.get(field);
    if (s === undefined) {
      s = this.fields.length;
      this.fields.push(field);
      this.index.set(field, s);
    }
    return s;
  }
}

export interface PreparedAccount {
  text: (string | null)[];
  num: (number | null)[];
  /** Lower-cased text without whitespace, for text ranges (postal codes with or without spaces). */
  squashed: (string | null)[];
}

const normalize = (v: string): string => v.trim().toLowerCase();
const squash = (v: string): string => v.replace(/\s+/g, '').toLowerCase();

export function prepareAccount(account: Account, slots: FieldSlots, into?: PreparedAccount): PreparedAccount {
  const n = slots.fields.length;
  const out = into ?? {
    text: new Array<string | null>(n),
    num: new Array<number | null>(n),
    squashed: new Array<string | null>(n),
  };
  for (let s = 0; s < n; s++) {
    const field = slots.fields[s]!;
    const value = field === 'numberOfEmployees' ? account.numberOfEmployees : null;
    if (value !== null) {
      // The hot numeric field needs no text round trip.
      out.num[s] = value;
      out.text[s] = out.squashed[s] = String(value);
      continue;
    }
    const raw = rawFieldValue(account, field);
    const t = raw === null ? null : normalize(raw);
    const blank = t === null || t === '';
    out.text[s] = blank ? null : t;
    out.squashed[s] = blank ? null : /\s/.test(t) ? t.replace(/\s+/g, '') : t;
    const parsed = blank ? NaN : Number(t);
    out.num[s] = Number.isFinite(parsed) ? parsed : null;
  }
  return out;
}

type Predicate = (a: PreparedAccount) => boolean;

export interface CompiledItem {
  slot: number;
  field: string;
  op: RuleItem['op'];
  /** Lower-cased values this item accepts when it is an equality (`equals`, `in`): the index keys. */
  equalityValues: string[] | null;
  test: Predicate;
  describe: string;
}

export class RuleCompileError extends Error {}

export function compileItem(item: RuleItem, slots: FieldSlots): CompiledItem {
  const slot = slots.slot(item.field);
  const numericField = NUMERIC_FIELDS.has(item.field);
  const need = <T>(v: T | undefined, what: string): T => {
    if (v === undefined) throw new RuleCompileError(`${item.op} needs ${what}`);
    return v;
  };
  const values = (): string[] => {
    const vs = item.values ?? (item.value !== undefined ? [item.value] : undefined);
    return need(vs, 'value or values').map(normalize);
  };
  const number = (v: string | number | undefined, what: string): number => {
    const n = Number(need(v, what));
    if (!Number.isFinite(n)) throw new RuleCompileError(`${what} must be a number, got '${String(v)}'`);
    return n;
  };
  const eq = (): Set<string> => new Set(values());
  let test: Predicate;
  let equalityValues: string[] | null = null;
  let describe: string;
  switch (item.op) {
    case 'equals':
    case 'in': {
      const set = eq();
      equalityValues = [...set];
      test = (a) => {
        const v = a.text[slot];
        return v !== null && v !== undefined && set.has(v);
      };
      describe = `${item.field} ${item.op === 'equals' ? '=' : 'in'} ${[...set].join(', ')}`;
      break;
    }
    case 'notEquals':
    case 'notIn': {
      const set = eq();
      test = (a) => {
        const v = a.text[slot];
        return v === null || v === undefined || !set.has(v);
      };
      describe = `${item.field} ${item.op === 'notEquals' ? '≠' : 'not in'} ${[...set].join(', ')}`;
      break;
    }
    case 'startsWith': {
      const prefixes = values();
      test = (a) => {
        const v = a.text[slot];
        return v !== null && v !== undefined && prefixes.some((p) => v.startsWith(p));
      };
      describe = `${item.field} starts with ${prefixes.join(' | ')}`;
      break;
    }
    case 'contains': {
      const parts = values();
      test = (a) => {
        const v = a.text[slot];
        return v !== null && v !== undefined && parts.some((p) => v.includes(p));
      };
      describe = `${item.field} contains ${parts.join(' | ')}`;
      break;
    }
    case 'between': {
      const from = need(item.from, 'from');
      const to = need(item.to, 'to');
      if (numericField || (typeof from === 'number' && typeof to === 'number')) {
        const lo = number(from, 'from');
        const hi = number(to, 'to');
        test = (a) => {
          const v = a.num[slot];
          return v !== null && v !== undefined && v >= lo && v <= hi;
        };
      } else {
        // Text ranges compare the value's leading characters: postal 941–945 holds 94107.
        const lo = squash(String(from));
        const hi = squash(String(to));
        const width = Math.max(lo.length, hi.length);
        test = (a) => {
          const v = a.squashed[slot];
          if (v === null || v === undefined) return false;
          const head = v.length > width ? v.slice(0, width) : v;
          return head >= lo && head <= hi;
        };
      }
      describe = `${item.field} between ${String(from)} and ${String(to)}`;
      break;
    }
    case 'greaterThan':
    case 'greaterOrEqual':
    case 'lessThan':
    case 'lessOrEqual': {
      const bound = number(item.value, 'value');
      const cmp: Record<string, (v: number) => boolean> = {
        greaterThan: (v) => v > bound,
        greaterOrEqual: (v) => v >= bound,
        lessThan: (v) => v < bound,
        lessOrEqual: (v) => v <= bound,
      };
      const f = cmp[item.op]!;
      test = (a) => {
        const v = a.num[slot];
        return v !== null && v !== undefined && f(v);
      };
      const sym = { greaterThan: '>', greaterOrEqual: '≥', lessThan: '<', lessOrEqual: '≤' }[item.op];
      describe = `${item.field} ${sym} ${bound}`;
      break;
    }
    case 'isNull':
      test = (a) => a.text[slot] === null;
      describe = `${item.field} is blank`;
      break;
    case 'isNotNull':
      test = (a) => a.text[slot] !== null;
      describe = `${item.field} is not blank`;
      break;
  }
  return { slot, field: item.field, op: item.op, equalityValues, test, describe };
}

export interface CompiledRule {
  id: string;
  items: CompiledItem[];
  filter: FilterNode;
  /** `(1 AND 2) OR 3` plus the items spelled out, for traces. */
  text: string;
  /** Items that must hold for the rule to hold: candidates for the equality index. */
  required: number[];
  test: Predicate;
}

export function compileRule(
  id: string,
  items: RuleItem[],
  filterText: string | undefined,
  slots: FieldSlots,
): CompiledRule {
  const compiled = items.map((it) => compileItem(it, slots));
  const filter =
    filterText === undefined ? defaultFilter(items.length) : parseFilterLogic(filterText, items.length);
  const tests = compiled.map((c) => c.test);
  let test: Predicate;
  if (filter.kind === 'item') {
    const only = tests[filter.index - 1]!;
    test = only;
  } else if (filter.kind === 'and' && filter.operands.every((o) => o.kind === 'item')) {
    const ts = filter.operands.map((o) => tests[(o as { index: number }).index - 1]!);
    test = (a) => {
      for (let k = 0; k < ts.length; k++) if (!ts[k]!(a)) return false;
      return true;
    };
  } else {
    // No closure per evaluation: the hot loop calls this for every candidate rule of every account.
    test = (a) => evaluateTests(filter, tests, a);
  }
  const text = `${formatFilter(filter)}: ${compiled.map((c, i) => `${i + 1}) ${c.describe}`).join('; ')}`;
  return { id, items: compiled, filter, text, required: requiredItems(filter), test };
}

function evaluateTests(node: FilterNode, tests: readonly Predicate[], a: PreparedAccount): boolean {
  switch (node.kind) {
    case 'item':
      return tests[node.index - 1]!(a);
    case 'not':
      return !evaluateTests(node.operand, tests, a);
    case 'and':
      for (const n of node.operands) if (!evaluateTests(n, tests, a)) return false;
      return true;
    case 'or':
      for (const n of node.operands) if (evaluateTests(n, tests, a)) return true;
      return false;
  }
}
