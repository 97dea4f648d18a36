import { LightningElement, api, wire } from 'lwc';
import { gql, graphql } from 'lightning/graphql';
import { notifyRecordUpdateAvailable, updateRecord } from 'lightning/uiRecordApi';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import USER_ID from '@salesforce/user/Id';
import ID_FIELD from '@salesforce/schema/Territory_Change_Request__c.Id';
import STATUS_FIELD from '@salesforce/schema/Territory_Change_Request__c.Status__c';
import APPROVER_FIELD from '@salesforce/schema/Territory_Change_Request__c.Approver__c';
import COMMENT_FIELD from '@salesforce/schema/Territory_Change_Request__c.Approver_Comment__c';
import { nodesOf, valueOf, displayValueOf, reduceErrors, refreshGraphqlResult } from 'c/ldsUtils';
import { EMPTY, formatCurrency, formatDate, formatNumber } from 'c/formatters';

export const OPERATION = 'pendingTerritoryChanges';

const QUERY = gql`
  query pendingTerritoryChanges($first: Int) {
    uiapi {
      query {
        Territory_Change_Request__c(
          where: { Status__c: { eq: "Submitted" } }
          orderBy: { Effective_Date__c: { order: ASC } }
          first: $first
        ) {
          edges {
            node {
              Id
              Name {
                value
              }
              Account__c {
                value
              }
              Account__r {
                Name {
                  value
                }
              }
              From_Territory_Key__c {
                value
              }
              To_Territory_Key__c {
                value
              }
              From_Territory__r {
                Name {
                  value
                }
              }
              To_Territory__r {
                Name {
                  value
                }
              }
              Effective_Date__c {
                value
              }
              Reason__c {
                value
              }
              Source__c {
                value
                displayValue
              }
              Accounts_Moved__c {
                value
              }
              Pipeline_Moved__c {
                value
              }
              Quota_Moved__c {
                value
              }
              Impact_Summary__c {
                value
              }
              CurrencyIsoCode {
                value
              }
            }
          }
          totalCount
        }
      }
    }
  }
`;

const DECISIONS = {
  approve: { status: 'Approved', verb: 'approve', done: 'Approved' },
  reject: { status: 'Rejected', verb: 'reject', done: 'Rejected' },
};

/** A copy of the map without one key. */
function without(map, key) {
  const copy = { ...map };
  delete copy[key];
  return copy;
}

/** A Territory_Change_Request__c node as the list shows it. */
function toRequest(node) {
  const currency = valueOf(node, 'CurrencyIsoCode');
  const from = valueOf(node, 'From_Territory__r.Name') || valueOf(node, 'From_Territory_Key__c') || EMPTY;
  const to = valueOf(node, 'To_Territory__r.Name') || valueOf(node, 'To_Territory_Key__c') || EMPTY;
  const name = valueOf(node, 'Name');
  return {
    id: node.Id,
    name,
    account: valueOf(node, 'Account__r.Name') || EMPTY,
    from,
    to,
    fromKey: valueOf(node, 'From_Territory_Key__c'),
    toKey: valueOf(node, 'To_Territory_Key__c'),
    effectiveDate: formatDate(valueOf(node, 'Effective_Date__c')),
    reason: valueOf(node, 'Reason__c'),
    source: displayValueOf(node, 'Source__c') || valueOf(node, 'Source__c'),
    accountsMoved: formatNumber(valueOf(node, 'Accounts_Moved__c')),
    pipelineMoved: formatCurrency(valueOf(node, 'Pipeline_Moved__c'), currency),
    quotaMoved: formatCurrency(valueOf(node, 'Quota_Moved__c'), currency),
    impactSummary: valueOf(node, 'Impact_Summary__c'),
    headingId: `heading-${node.Id}`,
    commentLabel: `Comment on ${name}`,
    approveTitle: `Approve ${name}`,
    rejectTitle: `Reject ${name}`,
  };
}

/**
 * A manager's pending territory change requests with their impact. Approving or rejecting writes
 * the decision on the record (Status__c, Approver__c, Approver_Comment__c); the server applies
 * approved requests. The request leaves the list at once and comes back if the write fails.
 */
export default class TerritoryChangeApprovals extends LightningElement {
  /** How many pending requests to list. */
  @api rowCount = 50;

  /** Requests from the last response, before local decisions are applied. */
  loadedRequests = [];
  /** Ids whose decision is being saved: hidden even if a refresh still lists them. */
  savingIds = new Set();
  /** Typed comments by request id (kept when a failed write brings the request back). */
  comments = {};
  /** Save failures by request id: { title, messages }. */
  failures = {};
  errors;
  loaded = false;
  wiredResult;

  @wire(graphql, { query: QUERY, variables: '$variables', operationName: OPERATION })
  wiredRequests(result) {
    this.wiredResult = result;
    const { data, errors } = result;
    if (data) {
      this.loadedRequests = nodesOf(data, 'Territory_Change_Request__c').map(toRequest);
      this.errors = undefined;
      this.loaded = true;
    } else if (errors) {
      this.errors = errors;
      this.loaded = true;
    }
  }

  get variables() {
    return { first: Number(this.rowCount) || 50 };
  }

  get requests() {
    return this.loadedRequests
      .filter((request) => !this.savingIds.has(request.id))
      .map((request) => ({
        ...request,
        comment: this.comments[request.id] || '',
        failure: this.failures[request.id],
      }));
  }

  get hasRequests() {
    return this.requests.length > 0;
  }

  get isLoading() {
    return !this.loaded;
  }

  get isEmpty() {
    return this.loaded && !this.errors && this.requests.length === 0;
  }

  get cardTitle() {
    return this.loaded && !this.errors
      ? `Territory changes to approve (${this.requests.length})`
      : 'Territory changes to approve';
  }

  handleCommentChange(event) {
    const id = event.target.dataset.id;
    const value = event.detail && event.detail.value !== undefined ? event.detail.value : event.target.value;
    this.comments = { ...this.comments, [id]: value };
  }

  handleApprove(event) {
    this.decide(event.target.dataset.id, DECISIONS.approve);
  }

  handleReject(event) {
    this.decide(event.target.dataset.id, DECISIONS.reject);
  }

  async decide(id, decision) {
    const request = this.loadedRequests.find((candidate) => candidate.id === id);
    if (!request || this.savingIds.has(id)) {
      return;
    }
    const comment = (this.comments[id] || '').trim();
    const fields = {
      [ID_FIELD.fieldApiName]: id,
      [STATUS_FIELD.fieldApiName]: decision.status,
      [APPROVER_FIELD.fieldApiName]: USER_ID,
      [COMMENT_FIELD.fieldApiName]: comment,
    };

    // Optimistic: the request leaves the list now; a failed save puts it back.
    this.failures = without(this.failures, id);
    this.savingIds = new Set([...this.savingIds, id]);
    try {
      await updateRecord({ fields });
    } catch (error) {
      this.savingIds = new Set([...this.savingIds].filter((savingId) => savingId !== id));
      const messages = reduceErrors(error);
      const title = `Could not ${decision.verb} ${request.name}. It is back in your list; nothing was changed.`;
      this.failures = { ...this.failures, [id]: { title, messages: messages.join(' ') } };
      this.dispatchEvent(
        new ShowToastEvent({
          title: `Could not ${decision.verb} ${request.name}`,
          message: messages.join(' ') || 'The decision was not saved.',
          variant: 'error',
        }),
      );
      return;
    }

    this.comments = without(this.comments, id);
    this.loadedRequests = this.loadedRequests.filter((candidate) => candidate.id !== id);
    this.savingIds = new Set([...this.savingIds].filter((savingId) => savingId !== id));
    this.dispatchEvent(
      new ShowToastEvent({
        title: `${decision.done} ${request.name}`,
        message: `${request.account}: ${request.from} → ${request.to}`,
        variant: 'success',
      }),
    );
    // Other views of the request (its record page, related lists) pick the decision up; a failed
    // refresh keeps the local list, which already reflects it.
    Promise.resolve(notifyRecordUpdateAvailable([{ recordId: id }])).catch(() => undefined);
    Promise.resolve(refreshGraphqlResult(this.wiredResult)).catch(() => undefined);
  }
}
