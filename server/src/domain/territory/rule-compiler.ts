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

/**
 * An account field by its position in ACCOUNT_FIELDS, with plain property reads: a computed
 * `account[field]` per slot per account is a megamorphic keyed load, several times slower.
 */
function readField(account: Account, code: number): string | number | null | undefined {
  switch (code) {
    case 0:
      return account.id;
    case 1:
      return account.name;
    case 2:
      return account.ownerId;
    case 3:
      return account.segment;
    case 4:
      return account.type;
    case 5:
      return account.industry;
    case 6:
      return account.billingCountry;
    case 7:
      return account.billingState;
    case 8:
      return account.billingPostalCode;
    case 9:
      return account.billingCity;
    case 10:
      return account.annualRevenue;
    case 11:
      return account.numberOfEmployees;
    default:
      return account.parentId;
  }
}
const EMPLOYEES = ACCOUNT_FIELDS.indexOf('numberOfEmployees');

export function rawFieldValue(account: Account, field: string): string | null {
  if (field.startsWith('attributes.')) return account.attributes[field.slice(11)] ?? null;
  const v = account[field as AccountField];
  return v === null || v === undefined ? null : String(v);
}

/** How a slot is read besides its value id: which prepared forms some rule of the model needs. */
const NEEDS_TEXT = 1;
const NEEDS_SQUASHED = 2;
const NEEDS_NUM = 4;

/** Prepared forms of one raw value, cached per slot for the values that recur (countries, states). */
interface PreparedValue {
  id: number;
  text: string | null;
  squashed: string | null;
  num: number;
}

/** Values cached per slot: enough for picklists, not for postal codes or names. */
const CACHE_LIMIT = 4096;

/**
 * Field slots of one compiled rule set; every account is prepared into these once. Each slot has a
 * dictionary of the lower-cased values its equality items name: an account's value becomes an
 * integer id (0 blank, 1 a value no rule names, 2… a named value), so equality tests and the index
 * compare integers instead of hashing a fresh lower-cased string per rule.
 */
export class FieldSlots {
  readonly fields: string[] = [];
  readonly dictionaries: Map<string, number>[] = [];
  /** Per slot: NEEDS_* bits. */
  readonly needs: number[] = [];
  readonly caches: Map<string, PreparedValue>[] = [];
  /** Per slot: the field's position in ACCOUNT_FIELDS, or -1 for `attributes.<name>`. */
  readonly codes: number[] = [];
  /** Per slot: the attribute name, for `attributes.<name>`. */
  readonly attributes: string[] = [];
  private readonly index = new Map<string, number>();
  slot(field: string): number {
    let s = this.index.get(field);
    if (s === undefined) {
      s = this.fields.length;
      this.fields.push(field);
      this.dictionaries.push(new Map());
      this.needs.push(0);
      this.caches.push(new Map());
      const attribute = field.startsWith('attributes.');
      this.codes.push(attribute ? -1 : (ACCOUNT_FIELDS as readonly string[]).indexOf(field));
      this.attributes.push(attribute ? field.slice(11) : '');
      this.index.set(field, s);
    }
    return s;
  }
  /** The id of a lower-cased value on a slot (2 and up), added when new. */
  intern(slot: number, value: string): number {
    const dict = this.dictionaries[slot]!;
    let id = dict.get(value);
    if (id === undefined) {
      id = dict.size + 2;
      dict.set(value, id);
      // Ids already cached as "other" would now be wrong.
      this.caches[slot]!.clear();
    }
    return id;
  }
  need(slot: number, what: number): void {
    if ((this.needs[slot]! & what) === what) return;
    this.needs[slot]! |= what;
    this.caches[slot]!.clear();
  }
}

/**
 * One account's values in the slots of a model. `id`: 0 blank, 1 a value no equality item names,
 * 2… the value's dictionary id. `num`: NaN when blank or not a number.
 */
export interface PreparedAccount {
  id: Int32Array;
  text: (string | null)[];
  num: Float64Array;
  /** Lower-cased text without whitespace, for text ranges (postal codes with or without spaces). */
  squashed: (string | null)[];
}

const normalize = (v: string): string => v.trim().toLowerCase();
const squash = (v: string): string => v.replace(/\s+/g, '').toLowerCase();

function prepareValue(raw: string, dict: Map<string, number>, needs: number): PreparedValue {
  const t = normalize(raw);
  if (t === '') return { id: 0, text: null, squashed: null, num: NaN };
  let num = NaN;
  if ((needs & NEEDS_NUM) !== 0) {
    const parsed = Number(t);
    if (Number.isFinite(parsed)) num = parsed;
  }
  return {
    id: dict.get(t) ?? 1,
    text: t,
    squashed: (needs & NEEDS_SQUASHED) !== 0 && /\s/.test(t) ? t.replace(/\s+/g, '') : t,
    num,
  };
}

export function prepareAccount(account: Account, slots: FieldSlots, into?: PreparedAccount): PreparedAccount {
  const n = slots.fields.length;
  const out = into ?? {
    id: new Int32Array(n),
    text: new Array<string | null>(n).fill(null),
    num: new Float64Array(n),
    squashed: new Array<string | null>(n).fill(null),
  };
  for (let s = 0; s < n; s++) {
    const code = slots.codes[s]!;
    const needs = slots.needs[s]!;
    const dict = slots.dictionaries[s]!;
    const value = code < 0 ? account.attributes[slots.attributes[s]!] : readField(account, code);
    if (value === null || value === undefined) {
      out.id[s] = 0;
      out.text[s] = out.squashed[s] = null;
      out.num[s] = NaN;
      continue;
    }
    if (code === EMPLOYEES && typeof value === 'number') {
      // The hot numeric field needs no text round trip unless a text rule reads it.
      out.num[s] = value;
      if (dict.size > 0 || (needs & (NEEDS_TEXT | NEEDS_SQUASHED)) !== 0) {
        const text = String(value);
        out.text[s] = out.squashed[s] = text;
        out.id[s] = dict.get(text) ?? 1;
      } else {
        out.text[s] = out.squashed[s] = null;
        out.id[s] = 1;
      }
      continue;
    }
    const raw = typeof value === 'string' ? value : String(value);
    const cache = slots.caches[s]!;
    let v = cache.get(raw);
    if (v === undefined) {
      if (cache.size >= CACHE_LIMIT) {
        // Many distinct values (postal codes, names): prepared in place, nothing kept.
        const t = normalize(raw);
        if (t === '') {
          out.id[s] = 0;
          out.text[s] = out.squashed[s] = null;
          out.num[s] = NaN;
          continue;
        }
        out.id[s] = dict.size > 0 ? (dict.get(t) ?? 1) : 1;
        out.text[s] = t;
        out.squashed[s] = (needs & NEEDS_SQUASHED) !== 0 && /\s/.test(t) ? t.replace(/\s+/g, '') : t;
        let num = NaN;
        if ((needs & NEEDS_NUM) !== 0) {
          const parsed = Number(t);
          if (Number.isFinite(parsed)) num = parsed;
        }
        out.num[s] = num;
        continue;
      }
      v = prepareValue(raw, dict, needs);
      cache.set(raw, v);
    }
    out.id[s] = v.id;
    out.text[s] = v.text;
    out.squashed[s] = v.squashed;
    out.num[s] = v.num;
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
  /** The same values as slot dictionary ids. */
  equalityIds: number[] | null;
  /** The interval a range item accepts (between, greater/less than): the range index's keys. */
  range: ItemRange | null;
  code: Code;
  test: Predicate;
  describe: string;
}

export class RuleCompileError extends Error {}

/**
 * An interval on a slot: numeric (`num`) or on the first `width` characters of the squashed text
 * (`text`, compared as JavaScript compares strings). A null bound is unbounded.
 */
export type ItemRange =
  | { kind: 'num'; lo: number | null; loOpen: boolean; hi: number | null; hiOpen: boolean }
  | { kind: 'text'; width: number; lo: string; loOpen: false; hi: string; hiOpen: false };

/*
 * Rules run as small trees of `Code` nodes read by one interpreter (`run`), rather than as nested
 * closures: in the hot loop every call site would see hundreds of different closures and V8 could
 * inline none of them; one monomorphic function over one node shape is several times faster.
 */
const ID_IS = 0;
const ID_IN = 1;
const STARTS_WITH = 2;
const CONTAINS = 3;
const NUM_BETWEEN = 4;
const TEXT_BETWEEN = 5;
const GREATER = 6;
const GREATER_OR_EQUAL = 7;
const LESS = 8;
const LESS_OR_EQUAL = 9;
const BLANK = 10;
const NOT_BLANK = 11;
const AND = 12;
const OR = 13;
const NOT = 14;

export class Code {
  constructor(
    readonly op: number,
    readonly slot: number,
    /** ID_IS: the id; NOT, ID_IN…: whether the result is negated (1) or not (0). */
    readonly id: number,
    /** ID_IN: 1 at the ids of the set. */
    readonly table: Uint8Array | null,
    readonly lo: number,
    readonly hi: number,
    /** STARTS_WITH, CONTAINS: the texts; TEXT_BETWEEN: [lo, hi]. */
    readonly texts: readonly string[],
    /** TEXT_BETWEEN: how many leading characters are compared. */
    readonly width: number,
    readonly args: readonly Code[],
  ) {}
}

const leaf = (
  op: number,
  slot: number,
  fields: Partial<Pick<Code, 'id' | 'table' | 'lo' | 'hi' | 'texts' | 'width'>> = {},
): Code =>
  new Code(
    op,
    slot,
    fields.id ?? 0,
    fields.table ?? null,
    fields.lo ?? 0,
    fields.hi ?? 0,
    fields.texts ?? [],
    fields.width ?? 0,
    [],
  );

/** Whether a compiled rule (or item) holds for a prepared account. */
export function run(c: Code, a: PreparedAccount): boolean {
  switch (c.op) {
    case ID_IS:
      return (a.id[c.slot] === c.id) !== (c.hi === 1);
    case ID_IN: {
      const v = a.id[c.slot]!;
      const table = c.table!;
      return (v < table.length && table[v] === 1) !== (c.hi === 1);
    }
    case STARTS_WITH: {
      const v = a.text[c.slot];
      if (v === null || v === undefined) return false;
      for (let k = 0; k < c.texts.length; k++) if (v.startsWith(c.texts[k]!)) return true;
      return false;
    }
    case CONTAINS: {
      const v = a.text[c.slot];
      if (v === null || v === undefined) return false;
      for (let k = 0; k < c.texts.length; k++) if (v.includes(c.texts[k]!)) return true;
      return false;
    }
    // NaN (blank, not a number) fails every numeric comparison.
    case NUM_BETWEEN: {
      const v = a.num[c.slot]!;
      return v >= c.lo && v <= c.hi;
    }
    case TEXT_BETWEEN: {
      const v = a.squashed[c.slot];
      if (v === null || v === undefined) return false;
      return compareHead(v, c.width, c.texts[0]!) >= 0 && compareHead(v, c.width, c.texts[1]!) <= 0;
    }
    case GREATER:
      return a.num[c.slot]! > c.lo;
    case GREATER_OR_EQUAL:
      return a.num[c.slot]! >= c.lo;
    case LESS:
      return a.num[c.slot]! < c.lo;
    case LESS_OR_EQUAL:
      return a.num[c.slot]! <= c.lo;
    case BLANK:
      return a.id[c.slot] === 0;
    case NOT_BLANK:
      return a.id[c.slot] !== 0;
    case AND:
      for (let k = 0; k < c.args.length; k++) if (!run(c.args[k]!, a)) return false;
      return true;
    case OR:
      for (let k = 0; k < c.args.length; k++) if (run(c.args[k]!, a)) return true;
      return false;
    case NOT:
      return !run(c.args[0]!, a);
    default:
      throw new Error(`unknown rule code ${c.op}`);
  }
}

/** Membership in a set of value ids (negated: not in it): one comparison for one value, a byte table for several. */
function idCode(slot: number, ids: readonly number[], negated: boolean): Code {
  if (ids.length === 1) return leaf(ID_IS, slot, { id: ids[0]!, hi: negated ? 1 : 0 });
  const table = new Uint8Array(Math.max(...ids) + 1);
  for (const id of ids) table[id] = 1;
  return leaf(ID_IN, slot, { table, hi: negated ? 1 : 0 });
}

/** `v.slice(0, width)` compared with `bound` (code units, as `<` compares strings), without the slice. */
export function compareHead(v: string, width: number, bound: string): number {
  const n = v.length < width ? v.length : width;
  const m = bound.length;
  const k = n < m ? n : m;
  for (let i = 0; i < k; i++) {
    const d = v.charCodeAt(i) - bound.charCodeAt(i);
    if (d !== 0) return d;
  }
  return n - m;
}

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
  let code: Code;
  let equalityValues: string[] | null = null;
  let equalityIds: number[] | null = null;
  let range: ItemRange | null = null;
  let describe: string;
  switch (item.op) {
    case 'equals':
    case 'in': {
      const set = eq();
      equalityValues = [...set];
      equalityIds = equalityValues.map((v) => slots.intern(slot, v));
      code = idCode(slot, equalityIds, false);
      describe = `${item.field} ${item.op === 'equals' ? '=' : 'in'} ${[...set].join(', ')}`;
      break;
    }
    case 'notEquals':
    case 'notIn': {
      const set = eq();
      // Blank (id 0) is in no set: it matches, as Salesforce's "not equal to" does.
      code = idCode(
        slot,
        [...set].map((v) => slots.intern(slot, v)),
        true,
      );
      describe = `${item.field} ${item.op === 'notEquals' ? '≠' : 'not in'} ${[...set].join(', ')}`;
      break;
    }
    case 'startsWith': {
      const prefixes = values();
      slots.need(slot, NEEDS_TEXT);
      code = leaf(STARTS_WITH, slot, { texts: prefixes });
      describe = `${item.field} starts with ${prefixes.join(' | ')}`;
      break;
    }
    case 'contains': {
      const parts = values();
      slots.need(slot, NEEDS_TEXT);
      code = leaf(CONTAINS, slot, { texts: parts });
      describe = `${item.field} contains ${parts.join(' | ')}`;
      break;
    }
    case 'between': {
      const from = need(item.from, 'from');
      const to = need(item.to, 'to');
      if (numericField || (typeof from === 'number' && typeof to === 'number')) {
        const lo = number(from, 'from');
        const hi = number(to, 'to');
        slots.need(slot, NEEDS_NUM);
        code = leaf(NUM_BETWEEN, slot, { lo, hi });
        range = { kind: 'num', lo, loOpen: false, hi, hiOpen: false };
      } else {
        // Text ranges compare the value's leading characters: postal 941–945 holds 94107.
        const lo = squash(String(from));
        const hi = squash(String(to));
        slots.need(slot, NEEDS_SQUASHED);
        const width = Math.max(lo.length, hi.length);
        code = leaf(TEXT_BETWEEN, slot, { texts: [lo, hi], width });
        range = { kind: 'text', width, lo, loOpen: false, hi, hiOpen: false };
      }
      describe = `${item.field} between ${String(from)} and ${String(to)}`;
      break;
    }
    case 'greaterThan':
    case 'greaterOrEqual':
    case 'lessThan':
    case 'lessOrEqual': {
      const bound = number(item.value, 'value');
      slots.need(slot, NEEDS_NUM);
      const op = {
        greaterThan: GREATER,
        greaterOrEqual: GREATER_OR_EQUAL,
        lessThan: LESS,
        lessOrEqual: LESS_OR_EQUAL,
      }[item.op];
      code = leaf(op, slot, { lo: bound });
      range =
        op === GREATER || op === GREATER_OR_EQUAL
          ? { kind: 'num', lo: bound, loOpen: op === GREATER, hi: null, hiOpen: false }
          : { kind: 'num', lo: null, loOpen: false, hi: bound, hiOpen: op === LESS };
      const sym = { greaterThan: '>', greaterOrEqual: '≥', lessThan: '<', lessOrEqual: '≤' }[item.op];
      describe = `${item.field} ${sym} ${bound}`;
      break;
    }
    case 'isNull':
      code = leaf(BLANK, slot);
      describe = `${item.field} is blank`;
      break;
    case 'isNotNull':
      code = leaf(NOT_BLANK, slot);
      describe = `${item.field} is not blank`;
      break;
  }
  const compiled = code;
  return {
    slot,
    field: item.field,
    op: item.op,
    equalityValues,
    equalityIds,
    range,
    code: compiled,
    test: (a) => run(compiled, a),
    describe,
  };
}

export interface CompiledRule {
  id: string;
  items: CompiledItem[];
  filter: FilterNode;
  /** `(1 AND 2) OR 3` plus the items spelled out, for traces. */
  text: string;
  /** Items that must hold for the rule to hold: candidates for the equality index. */
  required: number[];
  /** The rule for `run`. */
  code: Code;
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
  const code = compileFilter(filter, compiled);
  const text = `${formatFilter(filter)}: ${compiled.map((c, i) => `${i + 1}) ${c.describe}`).join('; ')}`;
  return {
    id,
    items: compiled,
    filter,
    text,
    required: requiredItems(filter),
    code,
    test: (a) => run(code, a),
  };
}

function compileFilter(node: FilterNode, items: readonly CompiledItem[]): Code {
  switch (node.kind) {
    case 'item':
      return items[node.index - 1]!.code;
    case 'not':
      return new Code(NOT, 0, 0, null, 0, 0, [], 0, [compileFilter(node.operand, items)]);
    case 'and':
    case 'or':
      return new Code(
        node.kind === 'and' ? AND : OR,
        0,
        0,
        null,
        0,
        0,
        [],
        0,
        node.operands.map((n) => compileFilter(n, items)),
      );
  }
}
