import { computeModel, computeTerritories } from '../../../server/src/domain/territory';
import { buildTimeline } from '../../../server/src/domain/territory/history';
import { territoryRecords } from '../../../server/src/crm/writeback/maps/territory';
import { account, engineConfig, opp, snapshot, TYPES } from './helpers';

const AS_OF = '2026-11-27';
const US = { field: 'billingCountry', op: 'equals', value: 'United States' } as const;
const CA = { field: 'billingCountry', op: 'equals', value: 'Canada' } as const;

const config = engineConfig({
  types: TYPES,
  models: [
    {
      key: 'M',
      name: 'M',
      state: 'Active',
      activatedOn: '2026-01-01',
      territories: [
        { key: 'EAST', name: 'East', type: 'Segment', owner: { user: 'U1' }, rules: [{ items: [US] }] },
        { key: 'WEST', name: 'West', type: 'Segment', owner: { user: 'U2' }, rules: [{ items: [CA] }] },
      ],
    },
  ],
});

describe('effective-dated moves, history and pro-rated quota', () => {
  const snap = snapshot({
    users: [
      { id: 'U1', name: 'Una East' },
      { id: 'U2', name: 'Wes West' },
    ],
    accounts: [
      account('A1', { billingCountry: 'United States' }),
      account('A2', { billingCountry: 'United States' }),
    ],
    opportunities: [
      opp('A1', {
        id: 'O-WON',
        amount: '500.00',
        closeDate: '2026-10-15',
        isClosed: true,
        isWon: true,
        stageName: 'Closed Won',
      }),
      opp('A1', { id: 'O-OPEN1', amount: '700.00' }),
      opp('A2', { id: 'O-OPEN2', amount: '1130.00' }),
    ],
    territories: [{ id: 'EAST', name: 'East' }],
    quotas: [
      {
        ownerType: 'territory',
        ownerId: 'EAST',
        periodType: 'quarter',
        periodStart: '2026-10-01',
        amount: '9200.00',
        currency: 'USD',
      },
    ],
    territoryAssignments: [
      {
        modelKey: 'M',
        accountId: 'A1',
        territoryKey: 'EAST',
        effectiveStart: '2026-01-01',
        decidedBy: 'Rule',
      },
      {
        modelKey: 'M',
        accountId: 'A2',
        territoryKey: 'EAST',
        effectiveStart: '2026-01-01',
        decidedBy: 'Rule',
      },
    ],
    territoryChanges: [
      {
        id: 'CR1',
        accountId: 'A1',
        fromTerritoryKey: 'EAST',
        toTerritoryKey: 'WEST',
        effectiveDate: '2026-11-01',
        status: 'Applied',
      },
      {
        id: 'CR2',
        accountId: 'A2',
        fromTerritoryKey: 'EAST',
        toTerritoryKey: 'WEST',
        effectiveDate: '2027-01-15',
        status: 'Approved',
      },
    ],
  });
  const r = computeModel(snap, config, 'M', AS_OF);
  const rows = (id: string) =>
    r.assignmentRows
      .filter((a) => a.assignmentType === 'Account' && a.accountId === id)
      .map((a) => [a.externalKey, a.effectiveEnd, a.isCurrent, a.decidedBy]);

  it('ends the old row the day before the move and starts the new one; past rows stay', () => {
    expect(rows('A1')).toEqual([
      ['TA|M|A1|EAST|2026-01-01', '2026-10-31', false, 'Rule'],
      ['TA|M|A1|WEST|2026-11-01', null, true, 'Change Request'],
    ]);
  });

  it('schedules a future move without changing today’s territory', () => {
    expect(rows('A2')).toEqual([
      ['TA|M|A2|EAST|2026-01-01', '2027-01-14', true, 'Rule'],
      ['TA|M|A2|WEST|2027-01-15', null, false, 'Change Request'],
    ]);
  });

  it('moves the account’s share of quota for the rest of the period (9200 / 2 × 61 / 92 days)', () => {
    expect(r.quotaMoves).toEqual([
      { accountId: 'A1', fromKey: 'EAST', toKey: 'WEST', effectiveDate: '2026-11-01', quotaMoved: 305000 },
    ]);
    const figures = Object.fromEntries(r.territoryRows.map((t) => [t.territoryKey, t.figures]));
    // EAST: quota 9200 − 3050 = 6150; won 500 in the period (closed before the move) → 5650 left;
    // open pipeline 1130 (A2) → coverage 0.20. WEST: 3050 quota, 700 pipeline → 0.2295 → 0.23.
    expect(figures.EAST).toEqual({
      accountCount: 1,
      openPipeline: '1130.00',
      closedWon: '500.00',
      quota: '6150.00',
      coverageRatio: '0.20',
    });
    expect(figures.WEST).toEqual({
      accountCount: 1,
      openPipeline: '700.00',
      closedWon: '0.00',
      quota: '3050.00',
      coverageRatio: '0.23',
    });
  });

  it('a deal closed before the move keeps crediting the old territory', () => {
    const won = r.opportunities.find((o) => o.opportunityId === 'O-WON')!;
    expect(won).toMatchObject({ territoryKey: 'EAST', decidedBy: 'Account Territory' });
    expect(won.trace[0]).toBe("EAST: the account's territory on the close date 2026-10-15");
    expect(r.opportunities.find((o) => o.opportunityId === 'O-OPEN1')!.territoryKey).toBe('WEST');
  });

  it('is idempotent: feeding the written rows back changes no key and no row', () => {
    const again = snapshot({
      ...snap,
      territoryAssignments: r.assignmentRows.map((a) => ({
        modelKey: a.modelKey,
        accountId: a.accountId,
        opportunityId: a.opportunityId,
        territoryKey: a.territoryKey,
        effectiveStart: a.effectiveStart,
        effectiveEnd: a.effectiveEnd,
        decidedBy: a.decidedBy,
      })),
    } as never);
    const r2 = computeModel(again, config, 'M', AS_OF);
    const view = (x: typeof r) => x.assignmentRows.map((a) => [a.externalKey, a.effectiveEnd, a.isCurrent]);
    expect(view(r2)).toEqual(view(r));
    expect(r2.territoryRows.map((t) => t.figures)).toEqual(r.territoryRows.map((t) => t.figures));
  });

  it('maps rows to Sales_Territory__c, Territory_Assignment__c and the Account lookup', () => {
    const result = computeTerritories(snap, config, AS_OF);
    const sets = territoryRecords({
      territoryRows: result.territoryRows,
      assignmentRows: result.assignmentRows,
      accountTerritories: result.accountTerritories,
    });
    expect(sets.map((s) => [s.sobject, s.records.length, s.retractScope])).toEqual([
      ['Sales_Territory__c', 2, undefined],
      ['Territory_Assignment__c', 7, 'TA|M|'],
      ['Account', 2, undefined],
    ]);
    expect(sets[0]!.records[0]).toMatchObject({
      External_Key__c: 'TERR|M|EAST',
      Name: 'East',
      Territory_Key__c: 'EAST',
      Model__c: 'M',
      Model_State__c: 'Active',
      Territory_Type__c: 'Segment',
      Type_Priority__c: 20,
      Parent_Territory__c: null,
      Owner_User__c: 'U1',
      Account_Count__c: 1,
      Open_Pipeline__c: '1130.00',
      Quota__c: '6150.00',
      Coverage_Ratio__c: '0.20',
      CurrencyIsoCode: 'USD',
    });
    const current = sets[1]!.records.find((x) => x.External_Key__c === 'TA|M|A1|WEST|2026-11-01')!;
    expect(current).toMatchObject({
      Assignment_Type__c: 'Account',
      Account__c: 'A1',
      Opportunity__c: null,
      Sales_Territory__r: { External_Key__c: 'TERR|M|WEST' },
      Is_Current__c: true,
      Decided_By__c: 'Change Request',
      Rule_Matched__c: 'change request CR1',
    });
    expect(String(current.Trace__c).split('\n')[0]).toBe(
      'WEST by approved change request CR1, effective 2026-11-01',
    );
    expect(sets[2]!.records).toEqual([
      { Id: 'A1', Sales_Territory__r: { External_Key__c: 'TERR|M|WEST' } },
      { Id: 'A2', Sales_Territory__r: { External_Key__c: 'TERR|M|EAST' } },
    ]);
  });
});

describe('timeline edge cases', () => {
  const base = {
    asOf: '2026-06-15',
    nowChangeRequestId: null,
    nowFrom: null,
    defaultStart: '2026-01-01',
    future: [],
  };
  it('starts at the model activation when there is no history', () => {
    expect(buildTimeline({ ...base, prior: [], now: 'T', nowEffective: '2026-06-15' })).toEqual([
      expect.objectContaining({ territoryKey: 'T', start: '2026-01-01', end: null, current: true }),
    ]);
  });
  it('a realignment takes effect on asOf; losing every territory ends the row', () => {
    const prior = [
      { territoryKey: 'T', effectiveStart: '2026-01-01', effectiveEnd: null, decidedBy: 'Rule' },
    ];
    expect(
      buildTimeline({ ...base, prior, now: 'U', nowEffective: '2026-06-15' }).map((s) => [
        s.territoryKey,
        s.start,
        s.end,
      ]),
    ).toEqual([
      ['T', '2026-01-01', '2026-06-14'],
      ['U', '2026-06-15', null],
    ]);
    expect(
      buildTimeline({ ...base, prior, now: null, nowEffective: '2026-06-15' }).map((s) => [
        s.territoryKey,
        s.end,
        s.current,
      ]),
    ).toEqual([['T', '2026-06-14', false]]);
  });
  it('a change dated on the day the current row started cannot erase it: it starts the next day', () => {
    const prior = [
      { territoryKey: 'T', effectiveStart: '2026-06-10', effectiveEnd: null, decidedBy: 'Rule' },
    ];
    expect(
      buildTimeline({ ...base, prior, now: 'U', nowEffective: '2026-06-01' }).map((s) => [
        s.territoryKey,
        s.start,
        s.end,
      ]),
    ).toEqual([
      ['T', '2026-06-10', '2026-06-10'],
      ['U', '2026-06-11', null],
    ]);
  });
});

describe('opportunities follow Salesforce’s default filter', () => {
  const cfg = engineConfig({
    types: TYPES,
    models: [
      {
        key: 'M',
        name: 'M',
        state: 'Active',
        territories: [
          {
            key: 'GEO',
            name: 'Geo',
            type: 'Geo',
            rules: [{ items: [{ field: 'industry', op: 'equals', value: 'Geo' }] }],
          },
          { key: 'SEG', name: 'Seg', type: 'Segment', rules: [{ items: [US] }] },
          { key: 'SEG2', name: 'Seg2', type: 'Segment', rules: [{ items: [US] }] },
          { key: 'REG', name: 'Reg', type: 'Region', rules: [{ items: [CA] }] },
        ],
      },
    ],
  });
  const snap = snapshot({
    accounts: [
      account('NONE', { billingCountry: 'France' }),
      account('ONE', { billingCountry: 'Canada' }),
      account('BEST', { billingCountry: 'United States', industry: 'Geo' }),
      account('TIE', { billingCountry: 'United States' }),
    ],
    opportunities: [
      opp('NONE', { id: 'o-none' }),
      opp('ONE', { id: 'o-one' }),
      opp('BEST', { id: 'o-best' }),
      opp('TIE', { id: 'o-tie' }),
      opp('ONE', { id: 'o-excluded', excludedFromTerritoryFilter: true, territoryId: null }),
      opp('ONE', { id: 'o-override' }),
    ],
    opportunityTerritoryOverrides: [{ opportunityId: 'o-override', territoryKey: 'SEG2' }],
  });
  const r = computeModel(snap, cfg, 'M', '2026-11-27');
  it.each([
    ['o-none', null, null],
    ['o-one', 'REG', 'Account Territory'],
    ['o-best', 'GEO', 'Priority'],
    ['o-tie', null, null],
    ['o-excluded', null, null],
    ['o-override', 'SEG2', 'Override'],
  ])('%s → %s (%s)', (id, key, by) => {
    expect(r.opportunities.find((o) => o.opportunityId === id)).toMatchObject({
      territoryKey: key,
      decidedBy: by,
    });
  });
  it('a tie between account territories leaves the opportunity empty and says why', () => {
    expect(r.opportunities.find((o) => o.opportunityId === 'o-tie')!.trace[0]).toBe(
      "no territory: tie on priority 20 between SEG, SEG2 (Salesforce's default leaves it empty)",
    );
  });
});
