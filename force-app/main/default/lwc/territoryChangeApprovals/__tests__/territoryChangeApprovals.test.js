import TerritoryChangeApprovals from 'c/territoryChangeApprovals';
import { notifyRecordUpdateAvailable, updateRecord } from 'lightning/uiRecordApi';
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

const pending = require('./data/pendingTerritoryChanges.json');

const OPERATION = 'pendingTerritoryChanges';
const USER_ID = '005000000000000000';
const FIRST_ID = 'a085g00000TcrOneAAA';

function requestItem(element, id) {
  return element.shadowRoot.querySelector(`li.request[data-id="${id}"]`);
}

function typeComment(element, id, value) {
  const textarea = requestItem(element, id).querySelector('lightning-textarea.comment');
  textarea.value = value;
  textarea.dispatchEvent(new CustomEvent('change', { detail: { value } }));
}

async function showPending() {
  const element = mount('c-territory-change-approvals', TerritoryChangeApprovals);
  const toasts = collectToasts(element);
  await emitGraphql(OPERATION, pending);
  return { element, toasts };
}

describe('c-territory-change-approvals', () => {
  afterEach(() => {
    resetDom();
    jest.clearAllMocks();
  });

  describe('graphql @wire', () => {
    it('asks for Submitted requests, earliest effective date first, with their impact', async () => {
      mount('c-territory-change-approvals', TerritoryChangeApprovals, { rowCount: 25 });
      await flushPromises();

      const config = graphqlConfig(OPERATION);
      expect(config.variables).toEqual({ first: 25 });
      expect(config.query).toContain('where: { Status__c: { eq: "Submitted" } }');
      expect(config.query).toContain('orderBy: { Effective_Date__c: { order: ASC } }');
      for (const field of ['Accounts_Moved__c', 'Pipeline_Moved__c', 'Quota_Moved__c', 'Impact_Summary__c']) {
        expect(config.query).toContain(field);
      }
    });

    it('lists each request with the move, its reason and impact in the record currency', async () => {
      const { element } = await showPending();

      const first = requestItem(element, FIRST_ID);
      expect(first.querySelector('.request-heading').textContent).toBe(
        'Acme Maschinenbau GmbH: DACH → DACH Enterprise',
      );
      expect(textOf(first)).toContain('TCR-000017 · effective Dec 1, 2026');
      expect(first.querySelector('.request-reason').textContent).toContain('Employees grew past 5,000');
      expect(first.querySelector('.impact-accounts').textContent).toBe('1');
      expect(first.querySelector('.impact-pipeline').textContent).toBe('€412,500.00');
      expect(first.querySelector('.impact-quota').textContent).toBe('€95,000.50');
      expect(first.querySelector('.impact-summary').textContent).toContain(
        'DACH Enterprise (Mia Wolf): +1 account',
      );
      expect(first.querySelector('lightning-textarea').label).toBe('Comment on TCR-000017');

      // Missing lookups fall back to the territory keys; empty amounts show a dash, not zero.
      const second = requestItem(element, 'a085g00000TcrTwoAAA');
      expect(second.querySelector('.request-heading').textContent).toBe('—: NA-WEST → North America Central');
      expect(second.querySelector('.impact-pipeline').textContent).toBe('$1,250,000.00');
      expect(second.querySelector('.impact-quota').textContent).toBe('—');
      expect(second.querySelector('.impact-summary')).toBeNull();

      const card = element.shadowRoot.querySelector('lightning-card');
      expect(card.title).toBe('Territory changes to approve (2)');
    });

    it('says so when nothing is pending', async () => {
      const element = mount('c-territory-change-approvals', TerritoryChangeApprovals);
      await emitGraphql(OPERATION, {
        uiapi: { query: { Territory_Change_Request__c: { edges: [], totalCount: 0 } } },
      });

      expect(element.shadowRoot.querySelector('.empty').textContent).toContain('No territory changes');
    });

    it('shows the error panel when the query fails', async () => {
      const element = mount('c-territory-change-approvals', TerritoryChangeApprovals);
      await emitGraphqlErrors(OPERATION, [{ message: 'No such column Impact_Summary__c' }]);

      const panel = element.shadowRoot.querySelector('c-error-panel.load-error');
      expect(panel.friendlyMessage).toBe('Could not load the territory change requests');
      expect(panel.errors).toEqual([{ message: 'No such column Impact_Summary__c' }]);
      expect(all(element, 'li.request')).toHaveLength(0);
    });

    it('is accessible with data', async () => {
      const { element } = await showPending();
      await expect(element).toBeAccessible();
    });

    it('is accessible with an error', async () => {
      const element = mount('c-territory-change-approvals', TerritoryChangeApprovals);
      await emitGraphqlErrors(OPERATION, [{ message: 'boom' }]);
      await expect(element).toBeAccessible();
    });
  });

  describe('decisions', () => {
    it('approve writes Approved, the approver and the comment, and removes the request', async () => {
      updateRecord.mockResolvedValue({ id: FIRST_ID });
      const { element, toasts } = await showPending();

      typeComment(element, FIRST_ID, '  Agreed with Mia; effective with the new quarter.  ');
      requestItem(element, FIRST_ID).querySelector('lightning-button.approve').click();
      await flushPromises();

      expect(updateRecord).toHaveBeenCalledTimes(1);
      expect(updateRecord).toHaveBeenCalledWith({
        fields: {
          Id: FIRST_ID,
          Status__c: 'Approved',
          Approver__c: USER_ID,
          Approver_Comment__c: 'Agreed with Mia; effective with the new quarter.',
        },
      });
      expect(requestItem(element, FIRST_ID)).toBeNull();
      expect(all(element, 'li.request')).toHaveLength(1);
      expect(toasts).toEqual([
        {
          title: 'Approved TCR-000017',
          message: 'Acme Maschinenbau GmbH: DACH → DACH Enterprise',
          variant: 'success',
        },
      ]);
      expect(refreshGraphQL).toHaveBeenCalledTimes(1);
      expect(notifyRecordUpdateAvailable).toHaveBeenCalledWith([{ recordId: FIRST_ID }]);
    });

    it('reject writes Rejected with the comment', async () => {
      updateRecord.mockResolvedValue({ id: FIRST_ID });
      const { element, toasts } = await showPending();

      typeComment(element, FIRST_ID, 'Keep it in DACH until the renewal closes.');
      requestItem(element, FIRST_ID).querySelector('lightning-button.reject').click();
      await flushPromises();

      expect(updateRecord).toHaveBeenCalledWith({
        fields: {
          Id: FIRST_ID,
          Status__c: 'Rejected',
          Approver__c: USER_ID,
          Approver_Comment__c: 'Keep it in DACH until the renewal closes.',
        },
      });
      expect(requestItem(element, FIRST_ID)).toBeNull();
      expect(toasts[0]).toEqual(
        expect.objectContaining({ title: 'Rejected TCR-000017', variant: 'success' }),
      );
    });

    it('removes the request as soon as the decision is sent (optimistic)', async () => {
      let resolve;
      updateRecord.mockReturnValue(new Promise((r) => (resolve = r)));
      const { element } = await showPending();

      requestItem(element, FIRST_ID).querySelector('lightning-button.approve').click();
      await flushPromises();
      expect(requestItem(element, FIRST_ID)).toBeNull();
      expect(element.shadowRoot.querySelector('lightning-card').title).toBe(
        'Territory changes to approve (1)',
      );

      // A refresh that still lists the request while it saves does not bring it back.
      await emitGraphql(OPERATION, pending);
      expect(requestItem(element, FIRST_ID)).toBeNull();

      resolve({ id: FIRST_ID });
      await flushPromises();
      expect(requestItem(element, FIRST_ID)).toBeNull();
    });

    it('puts the request back with its comment and a clear message when the save fails', async () => {
      updateRecord.mockRejectedValue({
        status: 400,
        body: {
          message: 'An error occurred while trying to update the record. Please try again.',
          output: {
            errors: [
              {
                errorCode: 'INSUFFICIENT_ACCESS_OR_READONLY',
                message:
                  'You do not have the level of access necessary to perform the operation you requested.',
              },
            ],
            fieldErrors: {},
          },
        },
      });
      const { element, toasts } = await showPending();

      typeComment(element, FIRST_ID, 'Fine by me.');
      requestItem(element, FIRST_ID).querySelector('lightning-button.approve').click();
      await flushPromises();

      const restored = requestItem(element, FIRST_ID);
      expect(restored).not.toBeNull();
      expect(all(element, 'li.request').map((li) => li.dataset.id)).toEqual([
        FIRST_ID,
        'a085g00000TcrTwoAAA',
      ]);
      expect(restored.querySelector('lightning-textarea').value).toBe('Fine by me.');
      const panel = restored.querySelector('c-error-panel');
      expect(panel.friendlyMessage).toBe(
        'Could not approve TCR-000017. It is back in your list; nothing was changed.',
      );
      expect(panel.errors).toBe(
        'You do not have the level of access necessary to perform the operation you requested.',
      );
      expect(toasts).toEqual([
        {
          title: 'Could not approve TCR-000017',
          message: 'You do not have the level of access necessary to perform the operation you requested.',
          variant: 'error',
        },
      ]);
      expect(refreshGraphQL).not.toHaveBeenCalled();
      expect(notifyRecordUpdateAvailable).not.toHaveBeenCalled();
      await expect(element).toBeAccessible();
    });

    it('clears the failure message once a retry succeeds', async () => {
      updateRecord.mockRejectedValueOnce({
        body: { message: 'UNABLE_TO_LOCK_ROW: unable to obtain exclusive access' },
      });
      updateRecord.mockResolvedValueOnce({ id: FIRST_ID });
      const { element, toasts } = await showPending();

      requestItem(element, FIRST_ID).querySelector('lightning-button.reject').click();
      await flushPromises();
      expect(requestItem(element, FIRST_ID).querySelector('c-error-panel')).not.toBeNull();

      requestItem(element, FIRST_ID).querySelector('lightning-button.reject').click();
      await flushPromises();
      expect(requestItem(element, FIRST_ID)).toBeNull();
      expect(updateRecord).toHaveBeenCalledTimes(2);
      expect(updateRecord.mock.calls[1][0].fields.Approver_Comment__c).toBe('');
      expect(toasts.map((toast) => toast.variant)).toEqual(['error', 'success']);
    });
  });
});
