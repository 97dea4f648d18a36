import KpiTiles, { formatKpiValue } from 'c/kpiTiles';
import {
  mount,
  resetDom,
  flushPromises,
  emitGraphql,
  emitGraphqlErrors,
  graphqlConfig,
  all,
  textOf,
} from 'lwcTestUtils';

const kpis = require('./data/kpiTiles.json');

const OPERATION = 'kpiTiles';
const USER_ID = '005000000000000000';
const IDS = 'quota_attainment, pipeline_coverage, average_deal_size, win_rate_count, days_in_stage';

function tiles(element) {
  return all(element, '.tile').map((tile) => ({
    kpi: tile.dataset.kpi,
    label: textOf(tile.querySelector('.tile-label')),
    value: textOf(tile.querySelector('.tile-value')),
    note: textOf(tile.querySelector('.tile-note')),
    previous: tile.querySelector('.tile-previous') ? textOf(tile.querySelector('.tile-previous')) : null,
  }));
}

describe('c-kpi-tiles', () => {
  afterEach(() => {
    resetDom();
    jest.clearAllMocks();
  });

  describe('graphql @wire config', () => {
    it('rep scope: the running user as Scope_User__c, the default KPIs, quarters', async () => {
      mount('c-kpi-tiles', KpiTiles);
      await flushPromises();

      const config = graphqlConfig(OPERATION);
      expect(config.variables).toEqual({
        scopeType: 'rep',
        userId: USER_ID,
        kpiIds: ['quota_attainment', 'pipeline_coverage', 'win_rate_count', 'average_deal_size'],
        periodType: 'quarter',
      });
      expect(config.query).toContain('{ Scope_User__c: { eq: $userId } }');
      expect(config.query).toContain('{ KPI_Id__c: { in: $kpiIds } }');
      expect(config.query).toContain('orderBy: { Period_Start__c: { order: DESC } }');
    });

    it('team scope reads the manager KPIs of the running user', async () => {
      mount('c-kpi-tiles', KpiTiles, { scopeType: 'team', kpiIds: 'win_rate_amount', periodType: 'month' });
      await flushPromises();

      expect(graphqlConfig(OPERATION).variables).toEqual({
        scopeType: 'manager',
        userId: USER_ID,
        kpiIds: ['win_rate_amount'],
        periodType: 'month',
      });
    });

    it('org and territory scopes are found by scope key', async () => {
      mount('c-kpi-tiles', KpiTiles, { scopeType: 'org' });
      await flushPromises();
      const orgConfig = graphqlConfig(OPERATION);
      expect(orgConfig.variables).toEqual(expect.objectContaining({ scopeType: 'org', scopeKey: 'org' }));
      expect(orgConfig.query).toContain('{ Scope_Key__c: { eq: $scopeKey } }');
      resetDom();

      mount('c-kpi-tiles', KpiTiles, { scopeType: 'territory', scopeKey: 'EMEA-DACH' });
      await flushPromises();
      expect(graphqlConfig(OPERATION).variables).toEqual(
        expect.objectContaining({ scopeType: 'territory', scopeKey: 'EMEA-DACH' }),
      );
    });

    it('explains a configuration it cannot query, without running the query', async () => {
      const element = mount('c-kpi-tiles', KpiTiles, { scopeType: 'territory' });
      await flushPromises();

      expect(textOf(element.shadowRoot.querySelector('.config-problem'))).toBe(
        'Set the territory key for territory KPIs.',
      );
      expect(graphqlConfig(OPERATION).query).toBeUndefined();
    });
  });

  describe('graphql @wire data', () => {
    it('shows one tile per KPI id in order: latest period, previous period, formatted by unit', async () => {
      const element = mount('c-kpi-tiles', KpiTiles, { kpiIds: IDS, title: 'My KPIs' });
      await emitGraphql(OPERATION, kpis);

      expect(element.shadowRoot.querySelector('lightning-card').title).toBe('My KPIs');
      expect(tiles(element)).toEqual([
        {
          kpi: 'quota_attainment',
          label: 'Quota attainment',
          value: '68.9%',
          note: 'FY2026-Q4 so far',
          previous: 'FY2026-Q3: 86.2%',
        },
        {
          kpi: 'pipeline_coverage',
          label: 'Pipeline coverage',
          value: '4.57×',
          note: 'FY2026-Q4 so far',
          previous: 'FY2026-Q3: 2.10×',
        },
        {
          kpi: 'average_deal_size',
          label: 'Average deal size',
          value: '$51,666.67',
          note: 'FY2026-Q4 so far',
          previous: 'FY2026-Q3: $48,500.00',
        },
        // No row, and per-stage rows (with a dimension) are not tiles.
        { kpi: 'win_rate_count', label: 'win_rate_count', value: '—', note: 'No value yet', previous: null },
        { kpi: 'days_in_stage', label: 'days_in_stage', value: '—', note: 'No value yet', previous: null },
      ]);
      expect(element.shadowRoot.querySelector('.tile-definition').content).toBe(
        'Quota attainment for rep 005000000000000000 in FY2026-Q4: 0.6889 = 310000.0000 ÷ 450000.0000.',
      );
    });

    it('shows the error panel when the query fails', async () => {
      const element = mount('c-kpi-tiles', KpiTiles);
      await emitGraphqlErrors(OPERATION, [{ message: 'Sales_KPI__c is not supported' }]);

      const panel = element.shadowRoot.querySelector('c-error-panel.load-error');
      expect(panel.friendlyMessage).toBe('Could not load the KPIs');
      expect(panel.errors).toEqual([{ message: 'Sales_KPI__c is not supported' }]);
      await expect(element).toBeAccessible();
    });

    it('is accessible with data', async () => {
      const element = mount('c-kpi-tiles', KpiTiles, { kpiIds: IDS });
      await emitGraphql(OPERATION, kpis);
      await expect(element).toBeAccessible();
    });
  });

  describe('formatKpiValue', () => {
    it('formats each unit', () => {
      expect(formatKpiValue('sales_cycle_days', 'days', 41.25)).toBe('41.3 days');
      expect(formatKpiValue('stale_opportunities', 'count', 1204)).toBe('1,204');
      expect(formatKpiValue('sales_velocity', 'currencyPerDay', 1234.5, 'EUR')).toBe('€1,234.50 per day');
      expect(formatKpiValue('some_percent', 'percent', 45)).toBe('45%');
      expect(formatKpiValue('forecast_bias', 'ratio', -0.125)).toBe('-12.5%');
      expect(formatKpiValue('quota_attainment', 'ratio', null)).toBe('—');
    });
  });
});
