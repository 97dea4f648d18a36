import fc from 'fast-check';
import {
  computeModel,
  evaluateFilter,
  parseFilterLogic,
  defaultFilter,
  type RuleItemInput as RuleItem,
  type TerritoryInputInput as TerritoryInput,
} from '../../../server/src/domain/territory';
import { compileModel } from '../../../server/src/domain/territory/model';
import { createMatcher } from '../../../server/src/domain/territory/matcher';
import { FieldSlots, compileItem, prepareAccount } from '../../../server/src/domain/territory/rule-compiler';
import type { Account } from '../../../server/src/domain/snapshot/types';
import { account, activeModelConfig, snapshot } from './helpers';

/*
 * The matcher indexes clauses by equality value ids and by range regions, and evaluates compiled
 * rule code. These tests check it against a naive reading of the rules (README "Rules"), written
 * here from the operators' definitions, on random rules and accounts that use every operator.
 */

type TerritoryIn = Partial<TerritoryInput> & { key: string; type: string };

const NUMERIC = new Set(['annualRevenue', 'numberOfEmployees']);

function rawOf(a: Account, field: string): string | null {
  if (field.startsWith('attributes.')) return a.attributes[field.slice(11)] ?? null;
  const v = (a as unknown as Record<string, unknown>)[field];
  return v === null || v === undefined ? null : String(v);
}

/** One item as the README defines it, straight from the raw account value. */
function naiveItem(a: Account, item: RuleItem): boolean {
  const raw = rawOf(a, item.field);
  const text = raw === null ? null : raw.trim().toLowerCase();
  const blank = text === null || text === '';
  const values = (item.values ?? (item.value !== undefined ? [item.value] : [])).map((v) =>
    String(v).trim().toLowerCase(),
  );
  const num = blank ? NaN : Number(text);
  const isNum = Number.isFinite(num);
  switch (item.op) {
    case 'equals':
    case 'in':
      return !blank && values.includes(text);
    case 'notEquals':
    case 'notIn':
      return blank || !values.includes(text);
    case 'startsWith':
      return !blank && values.some((v) => text.startsWith(v));
    case 'contains':
      return !blank && values.some((v) => text.includes(v));
    case 'between': {
      if (NUMERIC.has(item.field) || (typeof item.from === 'number' && typeof item.to === 'number'))
        return isNum && num >= Number(item.from) && num <= Number(item.to);
      if (blank) return false;
      const squash = (v: string) => v.replace(/\s+/g, '').toLowerCase();
      const lo = squash(String(item.from));
      const hi = squash(String(item.to));
      const head = squash(text).slice(0, Math.max(lo.length, hi.length));
      return head >= lo && head <= hi;
    }
    case 'greaterThan':
      return isNum && num > Number(item.value);
    case 'greaterOrEqual':
      return isNum && num >= Number(item.value);
    case 'lessThan':
      return isNum && num < Number(item.value);
    case 'lessOrEqual':
      return isNum && num <= Number(item.value);
    case 'isNull':
      return blank;
    case 'isNotNull':
      return !blank;
  }
}

interface RuleIn {
  items: RuleItem[];
  filter?: string;
  inherit?: boolean;
}

function naiveRule(a: Account, rule: RuleIn): boolean {
  const tree =
    rule.filter === undefined
      ? defaultFilter(rule.items.length)
      : parseFilterLogic(rule.filter, rule.items.length);
  return evaluateFilter(tree, (i) => naiveItem(a, rule.items[i - 1]!));
}

/** Territory key → the first local rule (by position) that holds, or 'scope'; absent: not a candidate. */
function naiveMatches(a: Account, territories: (TerritoryIn & { rules: RuleIn[] })[]): Map<string, string> {
  const byKey = new Map(territories.map((t) => [t.key, t]));
  const out = new Map<string, string>();
  for (const t of territories) {
    const scope: RuleIn[] = [];
    for (let cur: typeof t | undefined = t; cur; cur = cur.parent ? byKey.get(cur.parent) : undefined)
      scope.push(...cur.rules.filter((r) => r.inherit === true));
    const local = t.rules.map((r, i) => ({ r, i })).filter(({ r }) => r.inherit !== true);
    if (!scope.every((r) => naiveRule(a, r))) continue;
    if (local.length === 0) {
      if (scope.length > 0) out.set(t.key, 'scope');
      continue;
    }
    const first = local.find(({ r }) => naiveRule(a, r));
    if (first) out.set(t.key, `${t.key}#${first.i + 1}`);
  }
  return out;
}

const COUNTRIES = ['US', 'us ', 'Canada', 'DE', 'France'];
const STATES = ['CA', 'NY', 'ca', 'TX'];
const INDUSTRIES = ['Energy', 'Retail', 'Banking', 'Health Care'];
const POSTALS = ['94107', '941 07', '10115', '9', '94', '00501', 'SW1A 1AA', 'sw1a2aa', '94500', '95000'];

const textValues = fc.constantFrom(...COUNTRIES, ...STATES, ...INDUSTRIES, ...POSTALS);
const itemArb: fc.Arbitrary<RuleItem> = fc.oneof(
  fc.record({
    field: fc.constantFrom('billingCountry', 'billingState', 'industry', 'billingPostalCode'),
    op: fc.constantFrom('equals' as const, 'notEquals' as const),
    value: textValues,
  }),
  fc.record({
    field: fc.constantFrom('billingCountry', 'industry', 'attributes.tier'),
    op: fc.constantFrom('in' as const, 'notIn' as const),
    values: fc.array(fc.constantFrom(...COUNTRIES, ...INDUSTRIES, 'gold', 'Silver'), {
      minLength: 1,
      maxLength: 3,
    }),
  }),
  fc.record({
    field: fc.constantFrom('billingPostalCode', 'billingCity', 'name'),
    op: fc.constantFrom('startsWith' as const, 'contains' as const),
    values: fc.array(fc.constantFrom('9', '94', 'sw1a', 'par', 'a 1', 'ACC'), { minLength: 1, maxLength: 2 }),
  }),
  fc
    .tuple(
      fc.constantFrom(...POSTALS, '0', '95', 'SW1', 'sw2'),
      fc.constantFrom(...POSTALS, '9', '96', 'SW1Z'),
    )
    .map(([from, to]) => ({ field: 'billingPostalCode', op: 'between' as const, from, to })),
  fc.tuple(fc.integer({ min: 0, max: 120 }), fc.integer({ min: 0, max: 60 })).map(([from, width]) => ({
    field: 'numberOfEmployees',
    op: 'between' as const,
    from,
    to: from + width,
  })),
  fc.tuple(fc.integer({ min: 0, max: 120 }), fc.integer({ min: 0, max: 60 })).map(([from, width]) => ({
    field: 'annualRevenue',
    op: 'between' as const,
    from: String(from),
    to: String(from + width),
  })),
  fc.record({
    field: fc.constantFrom('numberOfEmployees', 'annualRevenue', 'attributes.tier'),
    op: fc.constantFrom(
      'greaterThan' as const,
      'greaterOrEqual' as const,
      'lessThan' as const,
      'lessOrEqual' as const,
    ),
    value: fc.integer({ min: 0, max: 120 }),
  }),
  fc.record({
    field: fc.constantFrom('industry', 'billingPostalCode', 'attributes.tier', 'numberOfEmployees'),
    op: fc.constantFrom('isNull' as const, 'isNotNull' as const),
  }),
);

const FILTERS: Record<number, (string | undefined)[]> = {
  1: [undefined, 'NOT 1'],
  2: [undefined, '1 OR 2', 'NOT 1 AND 2', '1 AND NOT 2', 'NOT (1 AND 2)'],
  3: [undefined, '1 AND (2 OR 3)', '(1 OR 2) AND 3', '1 OR (2 AND 3)', 'NOT (1 OR 2) AND 3'],
};
const ruleArb: fc.Arbitrary<RuleIn> = fc
  .tuple(fc.array(itemArb, { minLength: 1, maxLength: 3 }), fc.nat(4), fc.boolean(), fc.nat(9))
  .map(([items, f, inherit, odds]) => {
    const filters = FILTERS[items.length]!;
    const filter = filters[f % filters.length];
    return { items, ...(filter ? { filter } : {}), ...(inherit && odds < 3 ? { inherit: true } : {}) };
  });

const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null, freq: 4 });
const accountArb = fc.record({
  name: fc.constantFrom('Acme', 'ACC one', 'Paris Corp'),
  billingCountry: maybe(fc.constantFrom(...COUNTRIES, '  ', '')),
  billingState: maybe(fc.constantFrom(...STATES)),
  industry: maybe(fc.constantFrom(...INDUSTRIES, 'Other')),
  billingPostalCode: maybe(fc.constantFrom(...POSTALS, ' 94 1', '')),
  billingCity: maybe(fc.constantFrom('Paris', 'PARIS ', 'Lyon')),
  numberOfEmployees: maybe(fc.integer({ min: 0, max: 200 })),
  annualRevenue: maybe(fc.integer({ min: 0, max: 200 }).map(String)),
  attributes: fc.constantFrom<Record<string, string>>(
    {},
    { tier: 'Gold' },
    { tier: ' silver' },
    { tier: '40' },
    { tier: '' },
  ),
});

function configOf(rulesPerTerritory: RuleIn[][]) {
  const territories = rulesPerTerritory.map((rules, i) => ({
    key: `T${i}`,
    name: `T${i}`,
    type: 'Segment',
    parent: i > 0 && i % 3 !== 0 ? `T${Math.floor((i - 1) / 2)}` : null,
    rules,
  }));
  const config = activeModelConfig(territories);
  return { territories, config };
}

describe('the indexed matcher', () => {
  it('finds the same territories and first rules as a naive reading of every rule', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(ruleArb, { maxLength: 3 }), { minLength: 1, maxLength: 10 }),
        fc.array(accountArb, { minLength: 1, maxLength: 12 }),
        (rulesPerTerritory, accountFields) => {
          const { territories, config } = configOf(rulesPerTerritory);
          const compiled = compileModel(config.territories, config.territories.models[0]!);
          const match = createMatcher(compiled);
          const snap = snapshot({ accounts: accountFields.map((f, i) => account(`A${i}`, f)) });
          for (const a of snap.accounts) {
            const expected = naiveMatches(a, territories as (TerritoryIn & { rules: RuleIn[] })[]);
            const actual = new Map(
              match(a).map((m) => [compiled.territories[m.territory]!.key, m.rule ? m.rule.id : 'scope']),
            );
            expect(actual).toEqual(expected);
          }
        },
      ),
      { numRuns: 300, seed: 11 },
    );
  });

  it('indexes range-only rules by region, with open and closed bounds exact at the boundary', () => {
    const { config } = configOf([
      [{ items: [{ field: 'numberOfEmployees', op: 'greaterThan', value: 100 }] }],
      [{ items: [{ field: 'numberOfEmployees', op: 'greaterOrEqual', value: 100 }] }],
      [{ items: [{ field: 'numberOfEmployees', op: 'lessThan', value: 100 }] }],
      [{ items: [{ field: 'numberOfEmployees', op: 'between', from: 50, to: 100 }] }],
      [{ items: [{ field: 'billingPostalCode', op: 'between', from: '941', to: '945' }] }],
    ]);
    const compiled = compileModel(config.territories, config.territories.models[0]!);
    // Every clause has a range item and no equality item: all of them go to the range index.
    expect(compiled.unanchored).toEqual([]);
    expect(compiled.ranges.map((r) => r.kind).sort()).toEqual(['num', 'text']);
    const match = createMatcher(compiled);
    const keysOf = (fields: Parameters<typeof account>[1]) =>
      match(snapshot({ accounts: [account('A1', fields)] }).accounts[0]!)
        .map((m) => compiled.territories[m.territory]!.key)
        .sort();
    expect(keysOf({ numberOfEmployees: 100 })).toEqual(['T1', 'T3']);
    expect(keysOf({ numberOfEmployees: 101 })).toEqual(['T0', 'T1']);
    expect(keysOf({ numberOfEmployees: 99 })).toEqual(['T2', 'T3']);
    expect(keysOf({ numberOfEmployees: 50 })).toEqual(['T2', 'T3']);
    expect(keysOf({ numberOfEmployees: 49 })).toEqual(['T2']);
    expect(keysOf({ numberOfEmployees: null })).toEqual([]);
    // Text ranges read the leading characters, spaces ignored: 945 99 → 945 is the upper bound.
    expect(keysOf({ billingPostalCode: '945 99' })).toEqual(['T4']);
    expect(keysOf({ billingPostalCode: '94099' })).toEqual([]);
    expect(keysOf({ billingPostalCode: '94' })).toEqual([]);
    expect(keysOf({ billingPostalCode: '9461' })).toEqual([]);
  });
});

describe('prepared accounts', () => {
  it('give each slot a value id: 0 blank, 1 a value no rule names, the dictionary id otherwise', () => {
    const slots = new FieldSlots();
    const item = compileItem({ field: 'billingCountry', op: 'in', values: ['US', 'Canada'] }, slots);
    expect(item.equalityIds).toEqual([2, 3]);
    const idOf = (billingCountry: string | null) =>
      prepareAccount(snapshot({ accounts: [account('A1', { billingCountry })] }).accounts[0]!, slots).id[
        item.slot
      ];
    expect(idOf(' us ')).toBe(2);
    expect(idOf('CANADA')).toBe(3);
    expect(idOf('Mexico')).toBe(1);
    expect(idOf('   ')).toBe(0);
    expect(idOf(null)).toBe(0);
  });

  it('keep ids right when a later rule names a value an earlier account was prepared with', () => {
    const slots = new FieldSlots();
    compileItem({ field: 'industry', op: 'equals', value: 'Energy' }, slots);
    const a = snapshot({ accounts: [account('A1', { industry: 'Retail' })] }).accounts[0]!;
    expect(prepareAccount(a, slots).id[0]).toBe(1);
    const later = compileItem({ field: 'industry', op: 'equals', value: 'retail' }, slots);
    expect(later.test(prepareAccount(a, slots))).toBe(true);
  });

  it('read numbers only when they are finite, as the numeric operators require', () => {
    const slots = new FieldSlots();
    const gt = compileItem({ field: 'annualRevenue', op: 'greaterThan', value: '10' }, slots);
    const prep = (annualRevenue: string | null) =>
      prepareAccount(snapshot({ accounts: [account('A1', { annualRevenue })] }).accounts[0]!, slots);
    expect(gt.test(prep('11.5'))).toBe(true);
    expect(gt.test(prep('10'))).toBe(false);
    expect(gt.test(prep(null))).toBe(false);
  });
});

describe('decisions shared by accounts with the same matches', () => {
  const US = { field: 'billingCountry', op: 'equals', value: 'US' } as const;
  const config = activeModelConfig([
    { key: 'EAST', name: 'East', type: 'Segment', rules: [{ items: [US] }] },
    { key: 'WEST', name: 'West', type: 'Segment', rules: [{ items: [US] }] },
    { key: 'OTHER', name: 'Other', type: 'Segment' },
  ]);

  it('still break a tie by each account’s own current territory', () => {
    const accounts = ['A1', 'A2', 'A3', 'A4'].map((id) => account(id, { billingCountry: 'US' }));
    const prior = [
      { modelKey: 'M', accountId: 'A1', territoryKey: 'WEST', effectiveStart: '2026-01-01' },
      { modelKey: 'M', accountId: 'A3', territoryKey: 'EAST', effectiveStart: '2026-01-01' },
      // Current, but not among the tied: it breaks nothing.
      { modelKey: 'M', accountId: 'A4', territoryKey: 'OTHER', effectiveStart: '2026-01-01' },
    ];
    const r = computeModel(snapshot({ accounts, territoryAssignments: prior }), config, 'M', '2026-11-27');
    expect(r.accounts.map((d) => [d.accountId, d.territoryKey, d.decidedBy, d.candidates])).toEqual([
      ['A1', 'WEST', 'Tie-Break', ['EAST', 'WEST']],
      ['A2', null, null, ['EAST', 'WEST']],
      ['A3', 'EAST', 'Tie-Break', ['EAST', 'WEST']],
      ['A4', null, null, ['EAST', 'WEST']],
    ]);
    expect(r.accounts[0]!.trace[0]).toBe(
      'WEST by rule WEST#1 (1); tie on priority 20 between EAST, WEST: kept current',
    );
    expect(r.accounts[2]!.trace[0]).toBe(
      'EAST by rule EAST#1 (1); tie on priority 20 between EAST, WEST: kept current',
    );
    expect(r.accounts[1]!.trace[0]).toBe(
      'no territory: tie on priority 20 between EAST, WEST: left unassigned',
    );
  });
});
