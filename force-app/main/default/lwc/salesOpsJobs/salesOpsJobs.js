import { LightningElement, api, wire } from 'lwc';
import { gql, graphql } from 'lightning/graphql';
import { createRecord } from 'lightning/uiRecordApi';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import USER_ID from '@salesforce/user/Id';
import JOB_OBJECT from '@salesforce/schema/SalesOps_Job__c';
import TYPE_FIELD from '@salesforce/schema/SalesOps_Job__c.Type__c';
import STATUS_FIELD from '@salesforce/schema/SalesOps_Job__c.Status__c';
import TRIGGER_FIELD from '@salesforce/schema/SalesOps_Job__c.Trigger__c';
import REQUESTED_BY_FIELD from '@salesforce/schema/SalesOps_Job__c.Requested_By__c';
import { nodesOf, valueOf, displayValueOf, refreshGraphqlResult } from 'c/ldsUtils';
import { EMPTY, firstLine, formatDateTime, formatNumber, formatPercent } from 'c/formatters';

export const OPERATION = 'recentSalesOpsJobs';

const QUERY = gql`
  query recentSalesOpsJobs($first: Int) {
    uiapi {
      query {
        SalesOps_Job__c(orderBy: { CreatedDate: { order: DESC } }, first: $first) {
          edges {
            node {
              Id
              Name {
                value
              }
              Type__c {
                value
                displayValue
              }
              Status__c {
                value
                displayValue
              }
              Trigger__c {
                value
                displayValue
              }
              Requested_By__r {
                Name {
                  value
                }
              }
              CreatedDate {
                value
              }
              Started_At__c {
                value
              }
              Finished_At__c {
                value
              }
              Progress__c {
                value
              }
              Records_Read__c {
                value
              }
              Records_Written__c {
                value
              }
              Records_Failed__c {
                value
              }
              Api_Calls__c {
                value
              }
              Api_Calls_Minimum__c {
                value
              }
              Api_Budget_Used__c {
                value
              }
              Run_Id__c {
                value
              }
              Summary__c {
                value
              }
              Errors__c {
                value
              }
            }
          }
        }
      }
    }
  }
`;

/** Statuses of a job the server has not finished yet; the list refreshes while one is shown. */
const ACTIVE_STATUSES = new Set(['Requested', 'Queued', 'Running']);

const BADGE_CLASS = {
  Succeeded: 'slds-theme_success',
  Failed: 'slds-theme_error',
  Cancelled: 'slds-theme_shade',
};

/** The job request each button writes; the server picks up Requested jobs. */
const REQUESTS = {
  sync: { type: 'Sync', label: 'Sync' },
  recompute: { type: 'Recompute', label: 'Recompute' },
};

/** A SalesOps_Job__c node as the table shows it. */
function toJobRow(node) {
  const status = valueOf(node, 'Status__c');
  const errors = valueOf(node, 'Errors__c');
  const summary = valueOf(node, 'Summary__c');
  const apiCalls = valueOf(node, 'Api_Calls__c');
  const apiMinimum = valueOf(node, 'Api_Calls_Minimum__c');
  return {
    id: node.Id,
    name: valueOf(node, 'Name'),
    type: displayValueOf(node, 'Type__c') || valueOf(node, 'Type__c') || EMPTY,
    status: status || EMPTY,
    statusLabel: displayValueOf(node, 'Status__c') || status || EMPTY,
    badgeClass: BADGE_CLASS[status] || (ACTIVE_STATUSES.has(status) ? 'slds-theme_info' : ''),
    active: ACTIVE_STATUSES.has(status),
    trigger: displayValueOf(node, 'Trigger__c') || valueOf(node, 'Trigger__c') || EMPTY,
    requestedBy: valueOf(node, 'Requested_By__r.Name') || EMPTY,
    requested: formatDateTime(valueOf(node, 'CreatedDate')),
    started: formatDateTime(valueOf(node, 'Started_At__c')),
    finished: formatDateTime(valueOf(node, 'Finished_At__c')),
    progress: formatPercent(valueOf(node, 'Progress__c'), 0),
    recordsRead: formatNumber(valueOf(node, 'Records_Read__c')),
    recordsWritten: formatNumber(valueOf(node, 'Records_Written__c')),
    recordsFailed: formatNumber(valueOf(node, 'Records_Failed__c')),
    failedClass: Number(valueOf(node, 'Records_Failed__c')) > 0 ? 'slds-text-color_error' : '',
    apiCalls:
      apiMinimum === null
        ? formatNumber(apiCalls)
        : `${formatNumber(apiCalls)} (minimum ${formatNumber(apiMinimum)})`,
    apiBudget: formatPercent(valueOf(node, 'Api_Budget_Used__c'), 1),
    runId: valueOf(node, 'Run_Id__c'),
    summary,
    errors,
    errorHeadline: firstLine(errors),
    hasDetails: !!(summary || errors),
  };
}

/**
 * The ops console: recent SalesOps_Job__c runs and the buttons that request a sync or a recompute
 * by creating a Requested job record (the server notices it and runs it).
 */
export default class SalesOpsJobs extends LightningElement {
  /** How many recent jobs to list. */
  @api rowCount = 20;
  /** Seconds between refreshes while a job is requested, queued or running; 0 turns it off. */
  @api refreshSeconds = 10;

  jobs = [];
  errors;
  loaded = false;
  requesting = false;
  requestError;
  expandedId;
  wiredResult;
  pollTimer;

  @wire(graphql, { query: QUERY, variables: '$variables', operationName: OPERATION })
  wiredJobs(result) {
    this.wiredResult = result;
    const { data, errors } = result;
    if (data) {
      this.jobs = nodesOf(data, 'SalesOps_Job__c').map(toJobRow);
      this.errors = undefined;
      this.loaded = true;
    } else if (errors) {
      this.errors = errors;
      this.loaded = true;
    }
    this.updatePolling();
  }

  get variables() {
    return { first: Number(this.rowCount) || 20 };
  }

  disconnectedCallback() {
    this.stopPolling();
  }

  get rows() {
    return this.jobs.map((job) => ({
      ...job,
      expanded: job.id === this.expandedId,
      detailsId: `details-${job.id}`,
      toggleLabel: job.id === this.expandedId ? `Hide details of ${job.name}` : `Show details of ${job.name}`,
      toggleIcon: job.id === this.expandedId ? 'utility:chevrondown' : 'utility:chevronright',
    }));
  }

  get hasJobs() {
    return this.jobs.length > 0;
  }

  get isEmpty() {
    return this.loaded && !this.errors && this.jobs.length === 0;
  }

  get isLoading() {
    return !this.loaded;
  }

  get hasActiveJob() {
    return this.jobs.some((job) => job.active);
  }

  handleRunSync() {
    this.requestJob(REQUESTS.sync);
  }

  handleRecompute() {
    this.requestJob(REQUESTS.recompute);
  }

  handleToggleDetails(event) {
    const id = event.currentTarget.dataset.id;
    this.expandedId = this.expandedId === id ? undefined : id;
  }

  async requestJob(request) {
    this.requesting = true;
    this.requestError = undefined;
    const fields = {
      [TYPE_FIELD.fieldApiName]: request.type,
      [STATUS_FIELD.fieldApiName]: 'Requested',
      [TRIGGER_FIELD.fieldApiName]: 'Manual',
      [REQUESTED_BY_FIELD.fieldApiName]: USER_ID,
    };
    try {
      await createRecord({ apiName: JOB_OBJECT.objectApiName, fields });
      this.dispatchEvent(
        new ShowToastEvent({
          title: `${request.label} requested`,
          message: 'The SalesOps server picks the job up shortly; its progress shows below.',
          variant: 'success',
        }),
      );
    } catch (error) {
      this.requestError = error;
      this.dispatchEvent(
        new ShowToastEvent({
          title: `Could not request the ${request.label.toLowerCase()}`,
          message: error?.body?.message || error?.message || 'The job request was not saved.',
          variant: 'error',
        }),
      );
      return;
    } finally {
      this.requesting = false;
    }
    this.refresh();
  }

  refresh() {
    // A failed refresh leaves the last list on screen; the next poll or reload tries again.
    return Promise.resolve(refreshGraphqlResult(this.wiredResult)).catch(() => undefined);
  }

  get requestErrorMessage() {
    return 'Could not request the job';
  }

  updatePolling() {
    const seconds = Number(this.refreshSeconds);
    if (this.hasActiveJob && seconds > 0) {
      if (!this.pollTimer) {
        // Job records change on the server; LDS has no push for them, so poll while one is live.
        // eslint-disable-next-line @lwc/lwc/no-async-operation
        this.pollTimer = setInterval(() => this.refresh(), seconds * 1000);
      }
    } else {
      this.stopPolling();
    }
  }

  stopPolling() {
    if (this.pollTimer) {
      clearInterval(this.pollTimer);
      this.pollTimer = undefined;
    }
  }
}
