import ForecastSummary from 'c/forecastSummary';
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

const managerRows = require('./data/forecastSummaryManager.json');
const teamRows = require('./data/forecastSummaryTeam.json');

const MANAGER = 'forecastSummaryManager';
const TEAM = 'forecastSummaryTeam';
const USER_ID = '005000000000000000';
const managerKey = (category) => `FS|2026-11-23|opportunity_revenue|FY2026-Q4|user:${USER_ID}|-|${category}`;

function latestSnapshotOnly() {
  const data = JSON.parse(JSON.stringify(managerRows));
  const connection = data.uiapi.query.Forecast_Snapshot__c;
  connection.edges = connection.edges.filter((edge) => edge.node.Snapshot_Date__c.value === '2026-11-23');
  return data;
}

async function showSummary(props = {}, manager = managerRows) {
  const element = mount('c-forecast-summary', ForecastSummary, props);
  await emitGraphql(MANAGER, manager);
  await emitGraphql(TEAM, teamRows);
  return element;
}

function cells(row, selector) {
  return all({ shadowRoot: row }, selector).map((cell) => textOf(cell));
}

describe('c-forecast-summary', () => {
  afterEach(() => {
    resetDom();
    jest.clearAllMocks();
  });

  describe('manager rows graphql @wire', () => {
    it("asks for the manager's own rows of the forecast type and period type, newest snapshot first", async () => {
      mount('c-forecast-summary', ForecastSummary, { periodType: 'month' });
      await flushPromises();

      const config = graphqlConfig(MANAGER);
      expect(config.variables).toEqual({
        userId: USER_ID,
        forecastType: 'opportunity_revenue',
        periodType: 'month',
      });
      expect(config.query).toContain('{ Owner_User__c: { eq: $userId } }');
      expect(config.query).toContain('{ Forecast_Type__c: { eq: $forecastType } }');
      expect(config.query).toContain('orderBy: { Snapshot_Date__c: { order: DESC } }');
      // The team query waits for the manager's rows.
      expect(graphqlConfig(TEAM).query).toBeUndefined();
    });

    it('shows the team total against quota and the statistical forecast of the latest snapshot', async () => {
      const element = await showSummary();

      expect(textOf(element.shadowRoot.querySelector('.header'))).toBe(
        'FY2026-Q4 · snapshot of Nov 23, 2026',
      );
      expect(all(element, '.category-header').map((th) => th.textContent)).toEqual([
        'Closed won',
        'Commit',
        'Best case',
        'Open pipeline',
      ]);
      const total = element.shadowRoot.querySelector('.total-row');
      expect(textOf(total.querySelector('.total-quota'))).toBe('$1,800,000.00');
      expect(cells(total, '.total-amount')).toEqual([
        '$820,000.00',
        '$1,150,000.00',
        '$1,520,000.00',
        '$2,100,000.00',
      ]);
      expect(textOf(total.querySelector('.total-attainment'))).toBe('63.9%');
      expect(textOf(element.shadowRoot.querySelector('.statistical-amount'))).toBe('$1,210,000.00');
      expect(textOf(element.shadowRoot.querySelector('.statistical-attainment'))).toBe('67.2% of quota');
    });

    it('shows how each category moved since the previous snapshot', async () => {
      const element = await showSummary();

      const steps = all(element, '.step').map((step) => [
        step.dataset.category,
        textOf(step.querySelector('.step-previous')),
        textOf(step.querySelector('.step-latest')),
        textOf(step.querySelector('.change')),
        step.querySelector('.change').className,
      ]);
      expect(steps).toEqual([
        ['closed', '$700,000.00', '$820,000.00', '+$120,000.00', 'change slds-text-color_success'],
        ['commit', '$1,100,000.00', '$1,150,000.00', '+$50,000.00', 'change slds-text-color_success'],
        ['bestCase', '$1,550,000.00', '$1,520,000.00', '-$30,000.00', 'change slds-text-color_error'],
        ['openPipeline', '$2,250,000.50', '$2,100,000.00', '-$150,000.50', 'change slds-text-color_error'],
        ['statistical', '$1,180,000.00', '$1,210,000.00', '+$30,000.00', 'change slds-text-color_success'],
      ]);
    });

    it('says there is nothing to compare with when only one snapshot exists', async () => {
      const element = await showSummary({}, latestSnapshotOnly());

      expect(textOf(element.shadowRoot.querySelector('.no-previous'))).toBe(
        'No earlier snapshot to compare with yet.',
      );
      expect(all(element, '.step')).toHaveLength(0);
    });

    it('says so when there is no snapshot yet', async () => {
      const element = mount('c-forecast-summary', ForecastSummary);
      await emitGraphql(MANAGER, { uiapi: { query: { Forecast_Snapshot__c: { edges: [] } } } });

      expect(textOf(element.shadowRoot.querySelector('.empty'))).toContain(
        'No forecast snapshot for your team yet',
      );
      expect(graphqlConfig(TEAM).query).toBeUndefined();
    });

    it('shows the error panel when the manager rows cannot be read', async () => {
      const element = mount('c-forecast-summary', ForecastSummary);
      await emitGraphqlErrors(MANAGER, [{ message: 'Forecast_Snapshot__c: insufficient access' }]);

      const panel = element.shadowRoot.querySelector('c-error-panel.manager-error');
      expect(panel.friendlyMessage).toBe('Could not load the team forecast');
      expect(panel.errors).toEqual([{ message: 'Forecast_Snapshot__c: insufficient access' }]);
      await expect(element).toBeAccessible();
    });

    it('is accessible with data', async () => {
      const element = await showSummary();
      await expect(element).toBeAccessible();
    });
  });

  describe('team rows graphql @wire', () => {
    it("asks for the rows under the manager's current rows", async () => {
      mount('c-forecast-summary', ForecastSummary);
      await emitGraphql(MANAGER, managerRows);

      const config = graphqlConfig(TEAM);
      expect(config.variables).toEqual({
        parentKeys: ['closed', 'commit', 'bestCase', 'openPipeline', 'statistical'].map(managerKey),
      });
      expect(config.query).toContain('where: { Parent_Key__c: { in: $parentKeys } }');
    });

    it('shows one row per rep with quota, categories and attainment, family rows left out', async () => {
      const element = await showSummary();

      const rows = all(element, '.rep-row').map((row) => [
        textOf(row.querySelector('.rep-name')),
        textOf(row.querySelector('.rep-quota')),
        ...cells(row, '.rep-amount'),
        textOf(row.querySelector('.rep-attainment')),
      ]);
      expect(rows).toEqual([
        ['Dana Reyes', '$450,000.00', '$310,000.00', '$395,000.00', '$520,000.00', '$640,000.00', '87.8%'],
        ['Lee Park', '$600,000.00', '$510,000.00', '$755,000.00', '$1,000,000.00', '$1,460,000.00', '125.8%'],
      ]);
    });

    it('follows the categories and attainment attributes', async () => {
      const element = await showSummary({ categories: 'commit,closed', attainmentCategory: 'closed' });

      expect(all(element, '.category-header').map((th) => th.textContent)).toEqual(['Commit', 'Closed won']);
      const dana = all(element, '.rep-row')[0];
      expect(cells(dana, '.rep-amount')).toEqual(['$395,000.00', '$310,000.00']);
      expect(textOf(dana.querySelector('.rep-attainment'))).toBe('68.9%');
    });

    it('keeps the team total when the team rows fail, with the error panel', async () => {
      const element = mount('c-forecast-summary', ForecastSummary);
      await emitGraphql(MANAGER, managerRows);
      await emitGraphqlErrors(TEAM, [{ message: 'Request timed out' }]);

      const panel = element.shadowRoot.querySelector('c-error-panel.team-error');
      expect(panel.friendlyMessage).toBe('Could not load the rows of your team');
      expect(textOf(element.shadowRoot.querySelector('.total-quota'))).toBe('$1,800,000.00');
      await expect(element).toBeAccessible();
    });

    it('says so when no one reports into the forecast', async () => {
      const element = mount('c-forecast-summary', ForecastSummary);
      await emitGraphql(MANAGER, managerRows);
      await emitGraphql(TEAM, { uiapi: { query: { Forecast_Snapshot__c: { edges: [] } } } });

      expect(textOf(element.shadowRoot.querySelector('.team-empty'))).toBe(
        'No one reports into this forecast.',
      );
    });
  });
});
