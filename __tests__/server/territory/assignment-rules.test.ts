import fc from 'fast-check';
import {
  checkTerritoryConfig,
  computeModel,
  TerritoryConfigSchema,
  type RuleItemInput as RuleItem,
  type TerritoryInputInput as TerritoryInput,
} from '../../../server/src/domain/territory';
import { compileModel } from '../../../server/src/domain/territory/model';
import { createMatcher } from '../../../server/src/domain/territory/matcher';
import { prepareAccount } from '../../../server/src/domain/territory/rule-compiler';
import { account, engineConfig, snapshot, TYPES } from './helpers';

const AS_OF = '2026-11-27';
type TerritoryIn = Partial<TerritoryInput> & { key: string; type: string };

function model(
  territories: TerritoryIn[],
  extra: Record<string, unknown> = {},
  top: Record<string, unknown> = {},
) {
  return engineConfig({
    types: TYPES,
    ...top,
    models: [
      {
        key: 'M',
        name: 'M',
        state: 'Active',
        activatedOn: '2026-01-01',
        territories: territories.map((t) => ({ name: t.key, ...t })),
        ...extra,
      },
    ],
  });
}

const decide = (config: ReturnType<typeof model>, accounts: ReturnType<typeof account>[], parts = {}) =>
  computeModel(snapshot({ accounts, ...parts }), config, 'M', AS_OF).accounts.map((d) => [
    d.accountId,
    d.territoryKey,
    d.decidedBy,
  ]);

describe('rule operators (one item, one territory)', () => {
  const A = (fields: Record<string, unknown>) => account('A', fields as never);
  it.each<[string, RuleItem, Record<string, unknown>, boolean]>([
    [
      'equals, case-insensitive',
      { field: 'billingCountry', op: 'equals', value: 'Germany' },
      { billingCountry: 'GERMANY' },
      true,
    ],
    [
      'equals, other value',
      { field: 'billingCountry', op: 'equals', value: 'Germany' },
      { billingCountry: 'France' },
      false,
    ],
    ['equals, blank', { field: 'billingCountry', op: 'equals', value: 'Germany' }, {}, false],
    [
      'notEquals, other value',
      { field: 'industry', op: 'notEquals', value: 'Retail' },
      { industry: 'Banking' },
      true,
    ],
    [
      'notEquals, same value',
      { field: 'industry', op: 'notEquals', value: 'Retail' },
      { industry: 'retail' },
      false,
    ],
    ['notEquals, blank matches', { field: 'industry', op: 'notEquals', value: 'Retail' }, {}, true],
    ['in', { field: 'billingState', op: 'in', values: ['CA', 'WA'] }, { billingState: 'wa' }, true],
    [
      'in, not listed',
      { field: 'billingState', op: 'in', values: ['CA', 'WA'] },
      { billingState: 'OR' },
      false,
    ],
    ['notIn, blank matches', { field: 'billingState', op: 'notIn', values: ['CA'] }, {}, true],
    ['startsWith', { field: 'name', op: 'startsWith', value: 'acme' }, { name: 'ACME Corp' }, true],
    [
      'startsWith, several prefixes',
      { field: 'billingPostalCode', op: 'startsWith', values: ['941', '100'] },
      { billingPostalCode: '10012' },
      true,
    ],
    ['startsWith, no', { field: 'name', op: 'startsWith', value: 'acme' }, { name: 'The Acme' }, false],
    ['contains', { field: 'name', op: 'contains', value: 'bank' }, { name: 'First Bank of X' }, true],
    ['contains, blank', { field: 'name', op: 'contains', value: 'bank' }, { name: '' }, false],
    [
      'numeric between, inside',
      { field: 'numberOfEmployees', op: 'between', from: 200, to: 1999 },
      { numberOfEmployees: 1999 },
      true,
    ],
    [
      'numeric between, lower bound',
      { field: 'numberOfEmployees', op: 'between', from: 200, to: 1999 },
      { numberOfEmployees: 200 },
      true,
    ],
    [
      'numeric between, outside',
      { field: 'numberOfEmployees', op: 'between', from: 200, to: 1999 },
      { numberOfEmployees: 2000 },
      false,
    ],
    ['numeric between, blank', { field: 'numberOfEmployees', op: 'between', from: 0, to: 10 }, {}, false],
    [
      'decimal revenue ≥',
      { field: 'annualRevenue', op: 'greaterOrEqual', value: 50000000 },
      { annualRevenue: '50000000.00' },
      true,
    ],
    [
      'decimal revenue >',
      { field: 'annualRevenue', op: 'greaterThan', value: 50000000 },
      { annualRevenue: '50000000.00' },
      false,
    ],
    [
      'lessThan',
      { field: 'numberOfEmployees', op: 'lessThan', value: 200 },
      { numberOfEmployees: 199 },
      true,
    ],
    ['lessOrEqual, blank', { field: 'numberOfEmployees', op: 'lessOrEqual', value: 200 }, {}, false],
    [
      'postal range on leading digits',
      { field: 'billingPostalCode', op: 'between', from: '941', to: '945' },
      { billingPostalCode: '94107' },
      true,
    ],
    [
      'postal range, outside',
      { field: 'billingPostalCode', op: 'between', from: '941', to: '945' },
      { billingPostalCode: '94601' },
      false,
    ],
    [
      'postal range ignores spaces',
      { field: 'billingPostalCode', op: 'between', from: 'M1', to: 'M9' },
      { billingPostalCode: 'M5V 2T6' },
      true,
    ],
    [
      'one-digit range (German 0-5)',
      { field: 'billingPostalCode', op: 'between', from: '0', to: '5' },
      { billingPostalCode: '80331' },
      false,
    ],
    [
      'state range A-M',
      { field: 'billingState', op: 'between', from: 'A', to: 'M' },
      { billingState: 'GA' },
      true,
    ],
    [
      'country range',
      { field: 'billingCountry', op: 'between', from: 'France', to: 'Germany' },
      { billingCountry: 'Gabon' },
      true,
    ],
    ['isNull', { field: 'industry', op: 'isNull' }, { industry: '  ' }, true],
    ['isNotNull', { field: 'industry', op: 'isNotNull' }, { industry: 'Energy' }, true],
    [
      'custom attribute',
      { field: 'attributes.tier', op: 'equals', value: 'Gold' },
      { attributes: { tier: 'gold' } },
      true,
    ],
    [
      'custom attribute, missing',
      { field: 'attributes.tier', op: 'equals', value: 'Gold' },
      { attributes: {} },
      false,
    ],
  ])('%s', (_name, item, fields, expected) => {
    const config = model([{ key: 'T', type: 'Segment', rules: [{ items: [item], inherit: false }] }]);
    expect(decide(config, [A(fields)])[0]![1]).toBe(expected ? 'T' : null);
  });
});

describe('filter logic across items', () => {
  const items: RuleItem[] = [
    { field: 'billingCountry', op: 'equals', value: 'United States' },
    { field: 'billingState', op: 'in', values: ['CA', 'WA'] },
    { field: 'industry', op: 'equals', value: 'Government' },
  ];
  it.each([
    [undefined, { billingCountry: 'United States', billingState: 'CA', industry: 'Government' }, true],
    [undefined, { billingCountry: 'United States', billingState: 'CA', industry: 'Retail' }, false],
    ['(1 AND 2) OR 3', { billingCountry: 'Canada', industry: 'Government' }, true],
    ['(1 AND 2) OR 3', { billingCountry: 'United States', billingState: 'NY' }, false],
    ['1 AND NOT (2 OR 3)', { billingCountry: 'United States', billingState: 'NY' }, true],
    ['1 AND NOT (2 OR 3)', { billingCountry: 'United States', billingState: 'WA' }, false],
  ])('%s on %j → %s', (filter, fields, expected) => {
    const config = model([
      { key: 'T', type: 'Segment', rules: [{ items, inherit: false, ...(filter ? { filter } : {}) }] },
    ]);
    expect(decide(config, [account('A', fields)])[0]![1]).toBe(expected ? 'T' : null);
  });
});

describe('hierarchy, inheritance and priorities', () => {
  const US = { field: 'billingCountry', op: 'equals', value: 'United States' } as const;
  const BIG = { field: 'numberOfEmployees', op: 'greaterOrEqual', value: 2000 } as const;
  const tree = (usInherit: boolean): TerritoryIn[] => [
    { key: 'ROOT', type: 'Root' },
    { key: 'US', type: 'Region', parent: 'ROOT', rules: [{ inherit: usInherit, items: [US] }] },
    { key: 'US-ENT', type: 'Segment', parent: 'US', rules: [{ inherit: false, items: [BIG] }] },
    { key: 'US-ENT-EAST', type: 'Geo', parent: 'US-ENT' },
  ];
  const accounts = [
    account('A-US-BIG', { billingCountry: 'United States', numberOfEmployees: 5000 }),
    account('A-US-SMALL', { billingCountry: 'United States', numberOfEmployees: 10 }),
    account('A-CA-BIG', { billingCountry: 'Canada', numberOfEmployees: 5000 }),
  ];

  it('an inherited rule scopes the whole subtree; the best priority among candidates wins', () => {
    expect(decide(model(tree(true)), accounts)).toEqual([
      // candidates US (100), US-ENT (20), US-ENT-EAST (10: scope only, inherits US) → the Geo wins
      ['A-US-BIG', 'US-ENT-EAST', 'Priority'],
      ['A-US-SMALL', 'US-ENT-EAST', 'Priority'],
      ['A-CA-BIG', null, null],
    ]);
  });

  it('a local rule stays local: descendants do not inherit it, and containers take nothing', () => {
    expect(decide(model(tree(false)), accounts)).toEqual([
      // US-ENT's rule is local and has no scope above it: it takes big accounts anywhere
      ['A-US-BIG', 'US-ENT', 'Priority'],
      ['A-US-SMALL', 'US', 'Rule'],
      ['A-CA-BIG', 'US-ENT', 'Rule'],
    ]);
  });

  it('scope and local rules combine: inherited AND (one local)', () => {
    const config = model([
      { key: 'US', type: 'Region', rules: [{ inherit: true, items: [US] }] },
      { key: 'US-ENT', type: 'Segment', parent: 'US', rules: [{ inherit: false, items: [BIG] }] },
    ]);
    expect(decide(config, accounts)).toEqual([
      ['A-US-BIG', 'US-ENT', 'Priority'],
      ['A-US-SMALL', 'US', 'Rule'],
      ['A-CA-BIG', null, null],
    ]);
  });

  const twins = (top = {}) =>
    model(
      [
        { key: 'EAST', type: 'Segment', rules: [{ inherit: false, items: [US] }] },
        { key: 'WEST', type: 'Segment', rules: [{ inherit: false, items: [US] }] },
      ],
      {},
      top,
    );
  const usAccount = account('A', { billingCountry: 'United States' });

  it('a tie on priority with no current territory leaves the account unassigned and warns', () => {
    const r = computeModel(snapshot({ accounts: [usAccount] }), twins(), 'M', AS_OF);
    expect(r.accounts[0]).toMatchObject({
      territoryKey: null,
      decidedBy: null,
      candidates: ['EAST', 'WEST'],
    });
    expect(r.accounts[0]!.trace[0]).toContain('tie on priority 20 between EAST, WEST: left unassigned');
    expect(r.warnings).toContain('1 accounts left unassigned by a tie on type priority in M');
  });

  it('a tie keeps the current territory when it is one of the tied', () => {
    const prior = [{ modelKey: 'M', accountId: 'A', territoryKey: 'WEST', effectiveStart: '2026-01-01' }];
    expect(decide(twins(), [usAccount], { territoryAssignments: prior })).toEqual([
      ['A', 'WEST', 'Tie-Break'],
    ]);
  });

  it('keep-current-or-first-key takes the first key when nothing is current', () => {
    expect(decide(twins({ tieBreak: 'keep-current-or-first-key' }), [usAccount])).toEqual([
      ['A', 'EAST', 'Tie-Break'],
    ]);
  });
});

describe('exceptions', () => {
  const US = { field: 'billingCountry', op: 'equals', value: 'United States' } as const;
  const base: TerritoryIn[] = [
    {
      key: 'US',
      type: 'Segment',
      rules: [{ inherit: false, items: [US] }],
      excludedAccounts: ['Excluded Inc'],
    },
    { key: 'KEY', type: 'Named', namedAccounts: ['N1', 'named corp'] },
    { key: 'OTHER', type: 'Region' },
  ];
  const accounts = [
    account('N1', { billingCountry: 'United States' }),
    account('N2', { name: 'Named Corp', billingCountry: 'Canada' }),
    account('X1', { name: 'Excluded Inc', billingCountry: 'United States' }),
    account('P1', { billingCountry: 'United States' }),
  ];

  it('named accounts win over rules (by Id or exact name); excluded accounts escape a territory’s rules', () => {
    expect(decide(model(base), accounts)).toEqual([
      ['N1', 'KEY', 'Named Account'],
      ['N2', 'KEY', 'Named Account'],
      ['X1', null, null],
      ['P1', 'US', 'Rule'],
    ]);
  });

  it('accounts excluded from realignment keep their current territory, by list or attribute', () => {
    const config = model(base, { excludeFromRealignment: { accounts: ['P1'], attribute: 'frozen' } });
    const prior = [
      { modelKey: 'M', accountId: 'P1', territoryKey: 'OTHER', effectiveStart: '2026-01-01' },
      { modelKey: 'M', accountId: 'N1', territoryKey: 'OTHER', effectiveStart: '2026-01-01' },
    ];
    const frozen = account('N1', { billingCountry: 'United States', attributes: { frozen: 'TRUE' } });
    expect(decide(config, [frozen, accounts[3]!], { territoryAssignments: prior })).toEqual([
      ['N1', 'OTHER', 'Excluded'],
      ['P1', 'OTHER', 'Excluded'],
    ]);
  });

  it('an exclusion without a current territory falls back to the rules', () => {
    const config = model(base, { excludeFromRealignment: { accounts: ['P1'] } });
    expect(decide(config, [accounts[3]!])).toEqual([['P1', 'US', 'Rule']]);
  });

  it('an approved change in force beats names, exclusions and rules; a future one does not yet', () => {
    const changes = [
      { id: 'CR1', accountId: 'N1', toTerritoryKey: 'OTHER', effectiveDate: '2026-11-01', status: 'Applied' },
      {
        id: 'CR2',
        accountId: 'P1',
        toTerritoryKey: 'OTHER',
        effectiveDate: '2026-12-01',
        status: 'Approved',
      },
      { id: 'CR3', accountId: 'X1', toTerritoryKey: 'GONE', effectiveDate: '2026-11-01', status: 'Applied' },
    ];
    expect(decide(model(base), accounts, { territoryChanges: changes })).toEqual([
      ['N1', 'OTHER', 'Change Request'],
      ['N2', 'KEY', 'Named Account'],
      ['X1', null, null],
      ['P1', 'US', 'Rule'],
    ]);
  });
});

describe('config checks', () => {
  it('reports every problem with its path', () => {
    const config = TerritoryConfigSchema.parse({
      version: 1,
      types: [
        { name: 'A', priority: 1 },
        { name: 'B', priority: 1 },
      ],
      models: [
        {
          key: 'M1',
          name: 'one',
          state: 'Active',
          territories: [
            { key: 'T1', name: 'T1', type: 'A', parent: 'T2' },
            { key: 'T2', name: 'T2', type: 'A', parent: 'T1' },
            { key: 'T3', name: 'T3', type: 'Z', parent: 'NOPE' },
            {
              key: 'T4',
              name: 'T4',
              type: 'A',
              rules: [
                { items: [{ field: 'billingCountry', op: 'equals', value: 'X' }], filter: '1 OR 2' },
                { items: [{ field: 'shoeSize', op: 'equals', value: 'X' }] },
                { items: [{ field: 'numberOfEmployees', op: 'between', from: 1 }] },
              ],
            },
          ],
        },
        { key: 'M2', name: 'two', state: 'Active', territories: [{ key: 'T1', name: 'T1', type: 'B' }] },
      ],
    });
    const problems = checkTerritoryConfig(config).map((p) => `${p.path}: ${p.message}`);
    expect(problems).toEqual(
      expect.arrayContaining([
        'types[1].priority: priority 1 is already used by type A; priorities must be unique',
        'models[0].territories[2].type: unknown territory type Z',
        'models[0].territories[2].parent: unknown parent territory NOPE',
        'models[0].territories[3].rules[0].filter: item 2 at position 6 does not exist (the rule has 1 items)',
        'models[0].territories[3].rules[1].items[0].field: unknown account field shoeSize',
        'models[0].territories[3].rules[2]: between needs to',
        'models: 2 models are Active; at most one may be',
      ]),
    );
    expect(problems.some((p) => p.includes('the hierarchy has a cycle'))).toBe(true);
  });
});

describe('the equality index', () => {
  it('finds exactly the territories a brute-force evaluation of every rule finds', () => {
    const countries = ['US', 'CA', 'DE', 'FR'];
    const industries = ['Energy', 'Retail', 'Banking'];
    const itemArb: fc.Arbitrary<RuleItem> = fc.oneof(
      fc
        .constantFrom(...countries)
        .map((v) => ({ field: 'billingCountry', op: 'equals' as const, value: v })),
      fc
        .subarray(industries, { minLength: 1 })
        .map((v) => ({ field: 'industry', op: 'in' as const, values: v })),
      fc
        .integer({ min: 0, max: 100 })
        .map((v) => ({ field: 'numberOfEmployees', op: 'greaterThan' as const, value: v })),
      fc.constantFrom(...industries).map((v) => ({ field: 'industry', op: 'notEquals' as const, value: v })),
    );
    const ruleArb = fc
      .tuple(fc.array(itemArb, { minLength: 1, maxLength: 3 }), fc.boolean(), fc.boolean())
      .map(([items, or, inherit]) => ({
        items,
        inherit,
        ...(or && items.length > 1 ? { filter: items.map((_, i) => i + 1).join(' OR ') } : {}),
      }));
    const accountArb = fc.record({
      billingCountry: fc.option(fc.constantFrom(...countries), { nil: undefined }),
      industry: fc.option(fc.constantFrom(...industries), { nil: undefined }),
      numberOfEmployees: fc.option(fc.integer({ min: 0, max: 100 }), { nil: undefined }),
    });
    fc.assert(
      fc.property(
        fc.array(fc.array(ruleArb, { maxLength: 2 }), { minLength: 1, maxLength: 6 }),
        fc.array(accountArb, { minLength: 1, maxLength: 8 }),
        (rulesPerTerritory, accountFields) => {
          const territories = rulesPerTerritory.map((rules, i) => ({
            key: `T${i}`,
            name: `T${i}`,
            type: 'Segment',
            parent: i > 0 ? `T${Math.floor((i - 1) / 2)}` : null,
            rules,
          }));
          const config = model(territories as TerritoryIn[]);
          const compiled = compileModel(config.territories, config.territories.models[0]!);
          const match = createMatcher(compiled);
          const snap = snapshot({ accounts: accountFields.map((f, i) => account(`A${i}`, f)) });
          for (const a of snap.accounts) {
            const prepared = prepareAccount(a, compiled.slots);
            const expected = compiled.territories
              .filter((t) => {
                const scope = t.scopeRules.every((r) => r.test(prepared));
                if (t.localRules.length === 0) return t.scopeRules.length > 0 && scope;
                return scope && t.localRules.some((r) => r.test(prepared));
              })
              .map((t) => t.key)
              .sort();
            const actual = match(a)
              .map((m) => compiled.territories[m.territory]!.key)
              .sort();
            expect(actual).toEqual(expected);
          }
        },
      ),
      { numRuns: 150, seed: 7 },
    );
  });
});
