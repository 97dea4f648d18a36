import RepCoverage from 'c/repCoverage';
import { getRecord } from 'lightning/uiRecordApi';
import {
  mount,
  resetDom,
  flushPromises,
  emitGraphql,
  emitGraphqlErrors,
  graphqlConfig,
  wireConfigs,
  all,
  textOf,
} from 'lwcTestUtils';

const account = require('./data/getRecordAccount.json');
const accountNoTerritory = require('./data/getRecordAccountNoTerritory.json');
const owner = require('./data/getRecordOwner.json');
const territory = require('./data/repCoverageTerritory.json');
const assignment = require('./data/repCoverageAssignment.json');
const territories = require('./data/repCoverageTerritories.json');
const forecast = require('./data/repCoverageForecast.json');

const USER_ID = '005000000000000000';
const ACCOUNT_ID = '0015g00000AcmeAAA';
const OWNER_ID = '0055g00000DanaRAAA';

const forRecord = (id) => (config) => config && config.recordId === id;

async function emitRecord(id, data) {
  await flushPromises();
  getRecord.emit(data, forRecord(id));
  await flushPromises();
}

async function showAccount() {
  const element = mount('c-rep-coverage', RepCoverage, { recordId: ACCOUNT_ID, objectApiName: 'Account' });
  await emitRecord(ACCOUNT_ID, account);
  await emitRecord(OWNER_ID, owner);
  await emitGraphql('repCoverageTerritory', territory);
  await emitGraphql('repCoverageAssignment', assignment);
  return element;
}

async function showHome(props = {}) {
  const element = mount('c-rep-coverage', RepCoverage, props);
  await emitGraphql('repCoverageTerritories', territories);
  await emitGraphql('repCoverageForecast', forecast);
  return element;
}

function text(element, selector) {
  return textOf(element.shadowRoot.querySelector(selector));
}

describe('c-rep-coverage', () => {
  afterEach(() => {
    resetDom();
    jest.clearAllMocks();
  });

  describe('on an Account page', () => {
    it('reads the account, then its owner, territory and current assignment', async () => {
      mount('c-rep-coverage', RepCoverage, { recordId: ACCOUNT_ID, objectApiName: 'Account' });
      await flushPromises();
      expect(wireConfigs(getRecord)).toContainEqual({
        recordId: ACCOUNT_ID,
        fields: [
          { objectApiName: 'Account', fieldApiName: 'Name' },
          { objectApiName: 'Account', fieldApiName: 'OwnerId' },
          { objectApiName: 'Account', fieldApiName: 'Sales_Territory__c' },
        ],
      });
      expect(graphqlConfig('repCoverageTerritory').query).toBeUndefined();
      expect(graphqlConfig('repCoverageAssignment').variables).toEqual({ accountId: ACCOUNT_ID });
      expect(graphqlConfig('repCoverageAssignment').query).toContain(
        'where: { and: [{ Account__c: { eq: $accountId } }, { Is_Current__c: { eq: true } }] }',
      );
      // Home queries do not run on a record page.
      expect(graphqlConfig('repCoverageTerritories').query).toBeUndefined();
      expect(graphqlConfig('repCoverageForecast').query).toBeUndefined();

      await emitRecord(ACCOUNT_ID, account);
      expect(wireConfigs(getRecord)).toContainEqual({
        recordId: OWNER_ID,
        fields: [{ objectApiName: 'User', fieldApiName: 'Name' }],
      });
      const territoryConfig = graphqlConfig('repCoverageTerritory');
      expect(territoryConfig.variables).toEqual({ territoryId: 'a0A5g00000TerrDachAAA' });
      expect(territoryConfig.query).toContain(
        'Sales_Territory__c(where: { Id: { eq: $territoryId } }, first: 1)',
      );
    });

    it('shows owner, territory, why the account is in it, coverage figures and the team', async () => {
      const element = await showAccount();

      expect(text(element, '.account-owner')).toBe('Dana Reyes');
      expect(text(element, '.territory-name')).toBe('DACH');
      expect(text(element, '.territory-path')).toBe('EMEA-DACH · in EMEA');
      expect(text(element, '.assignment')).toBe(
        'Assigned by Rule: dach-country: BillingCountry IN (DE, AT, CH), since Jan 1, 2026',
      );
      expect(text(element, '.territory-owner')).toBe('Jonas Keller');
      expect(text(element, '.territory-accounts')).toBe('212');
      expect(text(element, '.territory-pipeline')).toBe('€3,480,000.00');
      expect(text(element, '.territory-quota')).toBe('€1,600,000.00');
      expect(text(element, '.territory-won')).toBe('€5,125,000.50');
      expect(text(element, '.territory-coverage')).toBe('2.90×');
      expect(all(element, '.member').map((li) => li.textContent)).toEqual([
        'Jonas Keller (Owner)',
        'Dana Reyes (Account Executive)',
        'Priya Nair (Sales Engineer)',
      ]);
    });

    it('says so when the account has no territory, without querying one', async () => {
      const element = mount('c-rep-coverage', RepCoverage, { recordId: '0015g00000WayneAAA' });
      await emitRecord('0015g00000WayneAAA', accountNoTerritory);

      expect(text(element, '.no-territory')).toBe(
        'Wayne Logistics Ltd is not in a territory of the active model yet.',
      );
      expect(graphqlConfig('repCoverageTerritory').query).toBeUndefined();
    });

    it('says so when the territory is not visible to the user', async () => {
      const element = mount('c-rep-coverage', RepCoverage, { recordId: ACCOUNT_ID });
      await emitRecord(ACCOUNT_ID, account);
      await emitGraphql('repCoverageTerritory', { uiapi: { query: { Sales_Territory__c: { edges: [] } } } });

      expect(text(element, '.territory-hidden')).toBe("The account's territory is not visible to you.");
    });

    it('shows the error panel when the account cannot be read', async () => {
      const element = mount('c-rep-coverage', RepCoverage, { recordId: ACCOUNT_ID });
      await flushPromises();
      getRecord.error(
        [{ errorCode: 'INSUFFICIENT_ACCESS', message: 'You do not have access to this record.' }],
        403,
        'Forbidden',
      );
      await flushPromises();

      const panel = element.shadowRoot.querySelector('c-error-panel.account-error');
      expect(panel.friendlyMessage).toBe('Could not load the account');
      expect(panel.errors.body[0].message).toBe('You do not have access to this record.');
      await expect(element).toBeAccessible();
    });

    it('shows the error panel when the territory query fails', async () => {
      const element = mount('c-rep-coverage', RepCoverage, { recordId: ACCOUNT_ID });
      await emitRecord(ACCOUNT_ID, account);
      await emitGraphqlErrors('repCoverageTerritory', [{ message: 'No such column Coverage_Ratio__c' }]);

      const panel = element.shadowRoot.querySelector('c-error-panel.territory-error');
      expect(panel.friendlyMessage).toBe("Could not load the account's territory");
      expect(panel.errors).toEqual([{ message: 'No such column Coverage_Ratio__c' }]);
      // The account half still shows.
      expect(element.shadowRoot.querySelector('.account-owner')).not.toBeNull();
    });

    it('drops the owner name when the owner can no longer be read', async () => {
      const element = mount('c-rep-coverage', RepCoverage, { recordId: ACCOUNT_ID });
      await emitRecord(ACCOUNT_ID, account);
      await emitRecord(OWNER_ID, owner);
      expect(text(element, '.account-owner')).toBe('Dana Reyes');

      getRecord.emitError(
        { body: [{ errorCode: 'INSUFFICIENT_ACCESS', message: 'No access to User' }], status: 403 },
        forRecord(OWNER_ID),
      );
      await flushPromises();
      expect(text(element, '.account-owner')).toBe('—');
    });

    it('leaves out why the account is in its territory when the assignment query fails', async () => {
      const element = mount('c-rep-coverage', RepCoverage, { recordId: ACCOUNT_ID });
      await emitRecord(ACCOUNT_ID, account);
      await emitGraphql('repCoverageTerritory', territory);
      await emitGraphqlErrors('repCoverageAssignment', [
        { message: 'Territory_Assignment__c is not supported' },
      ]);

      expect(element.shadowRoot.querySelector('.assignment')).toBeNull();
      expect(text(element, '.territory-name')).toBe('DACH');
      await expect(element).toBeAccessible();
    });

    it('is accessible with a territory error', async () => {
      const element = mount('c-rep-coverage', RepCoverage, { recordId: ACCOUNT_ID });
      await emitRecord(ACCOUNT_ID, account);
      await emitGraphqlErrors('repCoverageTerritory', [{ message: 'boom' }]);
      await expect(element).toBeAccessible();
    });

    it('is accessible with data', async () => {
      const element = await showAccount();
      await expect(element).toBeAccessible();
    });
  });

  describe('on Home', () => {
    it("asks for the running rep's active territories and own forecast rows", async () => {
      mount('c-rep-coverage', RepCoverage);
      await flushPromises();

      const territoriesConfig = graphqlConfig('repCoverageTerritories');
      expect(territoriesConfig.variables).toEqual({ userId: USER_ID });
      expect(territoriesConfig.query).toContain(
        'where: { and: [{ Owner_User__c: { eq: $userId } }, { Model_State__c: { eq: "Active" } }] }',
      );
      const forecastConfig = graphqlConfig('repCoverageForecast');
      expect(forecastConfig.variables).toEqual({
        userId: USER_ID,
        forecastType: 'opportunity_revenue',
        periodType: 'quarter',
      });
      expect(forecastConfig.query).toContain('{ Owner_Type__c: { eq: "user" } }');
      expect(forecastConfig.query).toContain('orderBy: { Snapshot_Date__c: { order: DESC } }');
      expect(graphqlConfig('repCoverageAssignment').query).toBeUndefined();
    });

    it('shows quota, attainment and pipeline by category of the latest snapshot and current period', async () => {
      const element = await showHome();

      expect(text(element, '.forecast h3')).toBe('FY2026-Q4');
      expect(text(element, '.quota-value')).toBe('$450,000.00');
      expect(text(element, '.attainment dt')).toBe('Attainment (closed won)');
      expect(text(element, '.attainment-value')).toBe('68.9%');
      // Family rows, the next quarter and the previous snapshot are left out.
      expect(
        all(element, '.category').map((item) => [
          item.dataset.category,
          textOf(item.querySelector('.category-amount')),
        ]),
      ).toEqual([
        ['closed', '$310,000.00'],
        ['commit', '$395,000.00'],
        ['bestCase', '$520,000.00'],
        ['openPipeline', '$640,000.00'],
      ]);
      expect(textOf(element.shadowRoot.querySelector('.forecast'))).toContain('As of Nov 23, 2026');
    });

    it('lists the territories with accounts, pipeline, quota and coverage', async () => {
      const element = await showHome();

      const rows = all(element, '.territory-row').map((row) =>
        ['.row-name', '.row-accounts', '.row-pipeline', '.row-quota', '.row-won', '.row-coverage'].map(
          (cell) => textOf(row.querySelector(cell)),
        ),
      );
      expect(rows).toEqual([
        ['DACH', '212', '€3,480,000.00', '€1,600,000.00', '€5,125,000.50', '2.90×'],
        ['Nordics', '64', '€410,000.00', '€0.00', '€0.00', '—'],
      ]);
    });

    it('follows the design attributes for categories and attainment', async () => {
      const element = await showHome({
        categories: 'commit, statistical, mostLikely',
        attainmentCategory: 'commit',
      });

      expect(all(element, '.category dt').map((dt) => dt.textContent)).toEqual([
        'Commit',
        'Statistical forecast',
      ]);
      expect(text(element, '.attainment dt')).toBe('Attainment (commit)');
      expect(text(element, '.attainment-value')).toBe('87.8%');
    });

    it('says so when the rep has neither territory nor forecast', async () => {
      const element = mount('c-rep-coverage', RepCoverage);
      await emitGraphql('repCoverageTerritories', {
        uiapi: { query: { Sales_Territory__c: { edges: [] } } },
      });
      await emitGraphql('repCoverageForecast', { uiapi: { query: { Forecast_Snapshot__c: { edges: [] } } } });

      expect(text(element, '.empty')).toContain('No territory or forecast for you yet');
    });

    it('shows the error panel when a query fails', async () => {
      const element = mount('c-rep-coverage', RepCoverage);
      await emitGraphql('repCoverageTerritories', territories);
      await emitGraphqlErrors('repCoverageForecast', [{ message: 'Forecast_Snapshot__c is not supported' }]);

      const panel = element.shadowRoot.querySelector('c-error-panel.home-error');
      expect(panel.friendlyMessage).toBe('Could not load your coverage');
      expect(panel.errors).toEqual([{ message: 'Forecast_Snapshot__c is not supported' }]);
      await expect(element).toBeAccessible();
    });

    it('shows the error panel when the territories query fails', async () => {
      const element = mount('c-rep-coverage', RepCoverage);
      await emitGraphqlErrors('repCoverageTerritories', [
        { message: 'Sales_Territory__c: insufficient access' },
      ]);
      await emitGraphql('repCoverageForecast', forecast);

      const panel = element.shadowRoot.querySelector('c-error-panel.home-error');
      expect(panel.errors).toEqual([{ message: 'Sales_Territory__c: insufficient access' }]);
    });

    it('is accessible with data', async () => {
      const element = await showHome();
      await expect(element).toBeAccessible();
    });
  });
});
