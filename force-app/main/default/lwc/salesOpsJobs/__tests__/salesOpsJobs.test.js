import SalesOpsJobs from 'c/salesOpsJobs';
import { createRecord } from 'lightning/uiRecordApi';
import { refreshGraphQL } from 'lightning/graphql';
import {
  mount,
  resetDom,
  flushPromises,
  collectToasts,
  emitGraphql,
  emitGraphqlErrors,
  graphqlConfig,
  all,
  textOf,
} from 'lwcTestUtils';

const recentJobs = require('./data/recentJobs.json');

const OPERATION = 'recentSalesOpsJobs';
// @salesforce/user/Id resolves to this in sfdx-lwc-jest.
const USER_ID = '005000000000000000';

function finishedOnly() {
  const data = JSON.parse(JSON.stringify(recentJobs));
  data.uiapi.query.SalesOps_Job__c.edges = data.uiapi.query.SalesOps_Job__c.edges.slice(1);
  return data;
}

function button(element, selector) {
  return element.shadowRoot.querySelector(selector);
}

describe('c-sales-ops-jobs', () => {
  afterEach(() => {
    resetDom();
    jest.clearAllMocks();
    jest.useRealTimers();
  });

  describe('graphql @wire', () => {
    it('asks for the recent jobs, newest first, with the configured row count', async () => {
      mount('c-sales-ops-jobs', SalesOpsJobs, { rowCount: 5 });
      await flushPromises();

      const config = graphqlConfig(OPERATION);
      expect(config.variables).toEqual({ first: 5 });
      expect(config.query).toContain(
        'SalesOps_Job__c(orderBy: { CreatedDate: { order: DESC } }, first: $first)',
      );
      for (const field of [
        'Status__c',
        'Records_Failed__c',
        'Api_Budget_Used__c',
        'Errors__c',
        'Requested_By__r',
      ]) {
        expect(config.query).toContain(field);
      }
    });

    it('shows a spinner until the first response', async () => {
      const element = mount('c-sales-ops-jobs', SalesOpsJobs);
      await flushPromises();
      expect(element.shadowRoot.querySelector('lightning-spinner')).not.toBeNull();
    });

    it('lists each job with status, counts, API use and the first line of its errors', async () => {
      const element = mount('c-sales-ops-jobs', SalesOpsJobs);
      await emitGraphql(OPERATION, recentJobs);
      await flushPromises();

      const rows = all(element, 'tr.job');
      expect(rows.map((row) => row.querySelector('.job-name').textContent)).toEqual([
        'JOB-0000042',
        'JOB-0000041',
        'JOB-0000040',
      ]);
      const [running, succeeded, failed] = rows;
      expect(running.querySelector('lightning-badge').label).toBe('Running');
      expect(running.querySelector('lightning-badge').className).toContain('slds-theme_info');
      expect(running.querySelector('.job-progress').textContent).toBe('45%');
      expect(running.querySelector('.job-read').textContent).toBe('3,120');
      // 09:10:05Z is 1:10 AM in the user's time zone (America/Los_Angeles in jest).
      expect(textOf(running)).toContain('Nov 27, 2026, 1:10 AM');
      expect(succeeded.querySelector('lightning-badge').className).toContain('slds-theme_success');
      expect(succeeded.querySelector('.job-api').textContent).toBe('23 (minimum 21)');
      expect(succeeded.querySelector('.job-budget').textContent).toBe('0.4%');
      expect(failed.querySelector('lightning-badge').className).toContain('slds-theme_error');
      expect(failed.querySelector('.job-failed span').className).toBe('slds-text-color_error');
      expect(failed.querySelector('.job-errors').textContent).toContain(
        'REQUEST_LIMIT_EXCEEDED: TotalRequests Limit exceeded. (3 requests)',
      );
      expect(failed.querySelector('.job-errors').textContent).not.toContain('Dead letters');
    });

    it('expands a job to show its summary and full errors', async () => {
      const element = mount('c-sales-ops-jobs', SalesOpsJobs);
      await emitGraphql(OPERATION, recentJobs);
      await flushPromises();

      expect(all(element, '.job-details')).toHaveLength(0);
      const toggles = all(element, '.toggle-details');
      // The running job has neither summary nor errors, so only two jobs can expand.
      expect(toggles).toHaveLength(2);
      expect(toggles[1].alternativeText).toBe('Show details of JOB-0000040');
      toggles[1].click();
      await flushPromises();

      expect(element.shadowRoot.querySelector('.job-error-text').textContent).toContain(
        'Dead letters by reason: REQUEST_LIMIT_EXCEEDED 3',
      );
      expect(all(element, '.toggle-details')[1].alternativeText).toBe('Hide details of JOB-0000040');
    });

    it('says so when there are no jobs', async () => {
      const element = mount('c-sales-ops-jobs', SalesOpsJobs);
      await emitGraphql(OPERATION, { uiapi: { query: { SalesOps_Job__c: { edges: [], totalCount: 0 } } } });
      await flushPromises();

      expect(element.shadowRoot.querySelector('.empty').textContent).toContain('No jobs yet');
      expect(element.shadowRoot.querySelector('table')).toBeNull();
    });

    it('shows the error panel when the query fails', async () => {
      const element = mount('c-sales-ops-jobs', SalesOpsJobs);
      await emitGraphqlErrors(OPERATION, [
        { message: 'INVALID_TYPE: sObject type SalesOps_Job__c is not supported' },
      ]);
      await flushPromises();

      const panel = element.shadowRoot.querySelector('c-error-panel.load-error');
      expect(panel.friendlyMessage).toBe('Could not load the SalesOps jobs');
      expect(panel.errors).toEqual([
        { message: 'INVALID_TYPE: sObject type SalesOps_Job__c is not supported' },
      ]);
      expect(element.shadowRoot.querySelector('table')).toBeNull();
    });

    it('is accessible with data', async () => {
      const element = mount('c-sales-ops-jobs', SalesOpsJobs);
      await emitGraphql(OPERATION, recentJobs);
      await flushPromises();
      all(element, '.toggle-details')[0].click();
      await flushPromises();
      await expect(element).toBeAccessible();
    });

    it('is accessible with an error', async () => {
      const element = mount('c-sales-ops-jobs', SalesOpsJobs);
      await emitGraphqlErrors(OPERATION, [{ message: 'boom' }]);
      await flushPromises();
      await expect(element).toBeAccessible();
    });
  });

  describe('job requests', () => {
    it('"Run sync now" creates a Requested manual Sync job for the running user and refreshes', async () => {
      createRecord.mockResolvedValue({ id: 'a055g00000JobNewAAA' });
      const element = mount('c-sales-ops-jobs', SalesOpsJobs);
      const toasts = collectToasts(element);
      await emitGraphql(OPERATION, recentJobs);
      await flushPromises();

      button(element, 'lightning-button.run-sync').click();
      await flushPromises();

      expect(createRecord).toHaveBeenCalledTimes(1);
      expect(createRecord).toHaveBeenCalledWith({
        apiName: 'SalesOps_Job__c',
        fields: { Type__c: 'Sync', Status__c: 'Requested', Trigger__c: 'Manual', Requested_By__c: USER_ID },
      });
      expect(toasts).toEqual([expect.objectContaining({ title: 'Sync requested', variant: 'success' })]);
      expect(refreshGraphQL).toHaveBeenCalledTimes(1);
      expect(button(element, 'lightning-button.run-sync').disabled).toBe(false);
      expect(element.shadowRoot.querySelector('c-error-panel.request-error')).toBeNull();
    });

    it('"Recompute" creates a Requested manual Recompute job', async () => {
      createRecord.mockResolvedValue({ id: 'a055g00000JobNewAAB' });
      const element = mount('c-sales-ops-jobs', SalesOpsJobs);
      await emitGraphql(OPERATION, recentJobs);
      await flushPromises();

      button(element, 'lightning-button.recompute').click();
      await flushPromises();

      expect(createRecord).toHaveBeenCalledWith({
        apiName: 'SalesOps_Job__c',
        fields: {
          Type__c: 'Recompute',
          Status__c: 'Requested',
          Trigger__c: 'Manual',
          Requested_By__c: USER_ID,
        },
      });
    });

    it('disables both buttons while the request is being saved', async () => {
      let resolve;
      createRecord.mockReturnValue(new Promise((r) => (resolve = r)));
      const element = mount('c-sales-ops-jobs', SalesOpsJobs);
      await emitGraphql(OPERATION, recentJobs);
      await flushPromises();

      button(element, 'lightning-button.run-sync').click();
      await flushPromises();
      expect(button(element, 'lightning-button.run-sync').disabled).toBe(true);
      expect(button(element, 'lightning-button.recompute').disabled).toBe(true);

      resolve({ id: 'a055g00000JobNewAAC' });
      await flushPromises();
      expect(button(element, 'lightning-button.recompute').disabled).toBe(false);
    });

    it('shows the reason and keeps the list when the request is refused', async () => {
      const error = {
        status: 403,
        body: {
          message: 'You do not have access to create SalesOps jobs.',
          output: {
            errors: [
              {
                errorCode: 'INSUFFICIENT_ACCESS_OR_READONLY',
                message: 'insufficient access rights on object id',
              },
            ],
            fieldErrors: {},
          },
        },
      };
      createRecord.mockRejectedValue(error);
      const element = mount('c-sales-ops-jobs', SalesOpsJobs);
      const toasts = collectToasts(element);
      await emitGraphql(OPERATION, recentJobs);
      await flushPromises();

      button(element, 'lightning-button.run-sync').click();
      await flushPromises();

      expect(toasts).toEqual([
        expect.objectContaining({
          title: 'Could not request the sync',
          message: 'You do not have access to create SalesOps jobs.',
          variant: 'error',
        }),
      ]);
      const panel = element.shadowRoot.querySelector('c-error-panel.request-error');
      expect(panel.errors).toEqual(error);
      expect(all(element, 'tr.job')).toHaveLength(3);
      expect(refreshGraphQL).not.toHaveBeenCalled();
      expect(button(element, 'lightning-button.run-sync').disabled).toBe(false);
      await expect(element).toBeAccessible();
    });
  });

  describe('refreshing while a job is live', () => {
    beforeEach(() => {
      // Only intervals are faked: flushPromises still needs a real setTimeout.
      jest.useFakeTimers({
        doNotFake: ['setTimeout', 'clearTimeout', 'nextTick', 'queueMicrotask', 'setImmediate'],
      });
    });

    it('refreshes every refreshSeconds while a job is running and stops once none is', async () => {
      mount('c-sales-ops-jobs', SalesOpsJobs, { refreshSeconds: 5 });
      await emitGraphql(OPERATION, recentJobs);
      await flushPromises();

      jest.advanceTimersByTime(5000);
      expect(refreshGraphQL).toHaveBeenCalledTimes(1);
      jest.advanceTimersByTime(10000);
      expect(refreshGraphQL).toHaveBeenCalledTimes(3);

      await emitGraphql(OPERATION, finishedOnly());
      await flushPromises();
      jest.advanceTimersByTime(60000);
      expect(refreshGraphQL).toHaveBeenCalledTimes(3);
    });

    it('does not refresh when every job has finished', async () => {
      mount('c-sales-ops-jobs', SalesOpsJobs);
      await emitGraphql(OPERATION, finishedOnly());
      jest.advanceTimersByTime(60000);
      expect(refreshGraphQL).not.toHaveBeenCalled();
    });

    it('does not refresh when refreshing is off', async () => {
      mount('c-sales-ops-jobs', SalesOpsJobs, { refreshSeconds: 0 });
      await emitGraphql(OPERATION, recentJobs);
      jest.advanceTimersByTime(60000);
      expect(refreshGraphQL).not.toHaveBeenCalled();
    });

    it('stops refreshing when removed from the page', async () => {
      const element = mount('c-sales-ops-jobs', SalesOpsJobs, { refreshSeconds: 5 });
      await emitGraphql(OPERATION, recentJobs);
      await flushPromises();

      document.body.removeChild(element);
      jest.advanceTimersByTime(60000);
      expect(refreshGraphQL).not.toHaveBeenCalled();
    });
  });
});
