import { accountMeasures, computeModel } from '../../../server/src/domain/territory';
import { buildTimeline } from '../../../server/src/domain/territory/history';
import type { AssignmentRow } from '../../../server/src/domain/territory/rows';
import { CurrencyTable } from '../../../server/src/domain/money/currency-table';
import { territoryRecords } from '../../../server/src/crm/writeback/maps/territory';
import { account, activeModelConfig, opp, snapshot } from './helpers';

// The shortcuts the engine takes for speed (one confirmed history row, positional measures, shared
// traces) must give what the general paths give.

describe('a history row this run confirms', () => {
  const base = {
    asOf: '2026-06-15',
    nowEffective: '2026-06-15',
    nowChangeRequestId: null,
    nowFrom: null,
    defaultStart: '2026-01-01',
    future: [],
  };
  it('keeps its start and stays open, in force and decided', () => {
    const prior = [
      { territoryKey: 'T', effectiveStart: '2026-02-01', effectiveEnd: null, decidedBy: 'Rule' },
    ];
    expect(buildTimeline({ ...base, prior, now: 'T' })).toEqual([
      {
        territoryKey: 'T',
        start: '2026-02-01',
        end: null,
        fromHistory: true,
        current: true,
        decided: true,
        changeRequestId: null,
      },
    ]);
  });
  it('reopens a row that was to end after asOf', () => {
    const prior = [
      { territoryKey: 'T', effectiveStart: '2026-02-01', effectiveEnd: '2026-09-30', decidedBy: 'Rule' },
    ];
    expect(buildTimeline({ ...base, prior, now: 'T' }).map((s) => [s.start, s.end, s.current])).toEqual([
      ['2026-02-01', null, true],
    ]);
  });
  it('a row that ended before asOf is kept and the territory starts again on asOf', () => {
    const prior = [
      { territoryKey: 'T', effectiveStart: '2026-02-01', effectiveEnd: '2026-03-31', decidedBy: 'Rule' },
    ];
    expect(
      buildTimeline({ ...base, prior, now: 'T' }).map((s) => [s.territoryKey, s.start, s.end, s.current]),
    ).toEqual([
      ['T', '2026-02-01', '2026-03-31', false],
      ['T', '2026-06-15', null, true],
    ]);
  });
  it('a row starting after asOf is not the one in force', () => {
    const prior = [
      { territoryKey: 'T', effectiveStart: '2026-07-01', effectiveEnd: null, decidedBy: 'Rule' },
    ];
    expect(buildTimeline({ ...base, prior, now: 'T' }).map((s) => [s.start, s.end, s.fromHistory])).toEqual([
      ['2026-01-01', null, false],
    ]);
  });
});

describe('opportunity figures', () => {
  const US = { field: 'billingCountry', op: 'equals', value: 'United States' } as const;
  const config = activeModelConfig([
    { key: 'EAST', name: 'East', type: 'Segment', rules: [{ items: [US] }] },
  ]);
  const snap = snapshot({
    accounts: [account('A1', { billingCountry: 'United States' })],
    opportunities: [opp('A1', { id: 'o1', amount: '1000.00' }), opp('A1', { id: 'o2', amount: '250.50' })],
  });
  it('measures of another snapshot are not used for this one', () => {
    const other = snapshot({
      accounts: [account('A1', { billingCountry: 'United States' })],
      opportunities: [opp('A1', { id: 'o2', amount: '9.00' }), opp('A1', { id: 'o1', amount: '7.00' })],
    });
    const measures = accountMeasures(other, new CurrencyTable('USD', []));
    const r = computeModel(snap, config, 'M', '2026-11-27', { measures });
    expect(r.territoryRows[0]!.figures!.openPipeline).toBe('1250.50');
  });
});

describe('assignment records with shared traces', () => {
  const row = (territoryKey: string, trace: string[], modelKey = 'M'): AssignmentRow => ({
    externalKey: `TA|${modelKey}|A-${territoryKey}|${territoryKey}|2026-01-01`,
    modelKey,
    assignmentType: 'Account',
    accountId: `A-${territoryKey}`,
    opportunityId: null,
    territoryKey,
    territoryExternalKey: `TERR|${modelKey}|${territoryKey}`,
    effectiveStart: '2026-01-01',
    effectiveEnd: null,
    isCurrent: true,
    ruleMatched: null,
    decidedBy: 'Rule',
    trace,
  });
  const traceOf = (rows: AssignmentRow[], model = 'M'): unknown[] =>
    territoryRecords({ territoryRows: [], assignmentRows: rows, assignmentModels: [model] })[1]!.records.map(
      (r) => r.Trace__c,
    );
  it('rows sharing one trace get the same text, with its model', () => {
    const shared = Object.freeze(['EAST: rule r1', 'detail']) as string[];
    expect(traceOf([row('EAST', shared), row('WEST', shared)])).toEqual([
      'EAST: rule r1\n{\n "lines": [\n  "detail"\n ],\n "model": "M"\n}',
      'EAST: rule r1\n{\n "lines": [\n  "detail"\n ],\n "model": "M"\n}',
    ]);
  });
  it('an empty shared trace falls back on each row’s own territory key', () => {
    const empty = Object.freeze([]) as unknown as string[];
    expect(traceOf([row('EAST', empty), row('WEST', empty)])).toEqual([
      'EAST\n{\n "lines": [],\n "model": "M"\n}',
      'WEST\n{\n "lines": [],\n "model": "M"\n}',
    ]);
  });
});
