import { LightningElement, api, wire } from 'lwc';
import { gql, graphql } from 'lightning/graphql';
import { getRecord, getFieldValue } from 'lightning/uiRecordApi';
import USER_ID from '@salesforce/user/Id';
import ACCOUNT_NAME_FIELD from '@salesforce/schema/Account.Name';
import ACCOUNT_OWNER_FIELD from '@salesforce/schema/Account.OwnerId';
import ACCOUNT_TERRITORY_FIELD from '@salesforce/schema/Account.Sales_Territory__c';
import USER_NAME_FIELD from '@salesforce/schema/User.Name';
import { nodesOf, valueOf } from 'c/ldsUtils';
import { EMPTY, formatCurrency, formatDate, formatMultiple, formatNumber, formatPercent } from 'c/formatters';
import {
  byCategory,
  categoryLabel,
  currentPeriodRows,
  parseList,
  snapshotDates,
  toForecastRow,
} from 'c/forecastRows';

export const TERRITORY_OPERATION = 'repCoverageTerritory';
export const ASSIGNMENT_OPERATION = 'repCoverageAssignment';
export const TERRITORIES_OPERATION = 'repCoverageTerritories';
export const FORECAST_OPERATION = 'repCoverageForecast';

const ACCOUNT_FIELDS = [ACCOUNT_NAME_FIELD, ACCOUNT_OWNER_FIELD, ACCOUNT_TERRITORY_FIELD];

/** The account's territory (Account.Sales_Territory__c) with its coverage figures. */
const TERRITORY_QUERY = gql`
  query repCoverageTerritory($territoryId: ID) {
    uiapi {
      query {
        Sales_Territory__c(where: { Id: { eq: $territoryId } }, first: 1) {
          edges {
            node {
              Id
              Name {
                value
              }
              Territory_Key__c {
                value
              }
              Territory_Type__c {
                value
              }
              Parent_Territory__r {
                Name {
                  value
                }
              }
              Owner_User__r {
                Name {
                  value
                }
              }
              Members__c {
                value
              }
              Account_Count__c {
                value
              }
              Open_Pipeline__c {
                value
              }
              Closed_Won__c {
                value
              }
              Quota__c {
                value
              }
              Coverage_Ratio__c {
                value
              }
              As_Of__c {
                value
              }
              CurrencyIsoCode {
                value
              }
            }
          }
        }
      }
    }
  }
`;

/** Why the account is in its territory: the current assignment's decision. */
const ASSIGNMENT_QUERY = gql`
  query repCoverageAssignment($accountId: ID) {
    uiapi {
      query {
        Territory_Assignment__c(
          where: { and: [{ Account__c: { eq: $accountId } }, { Is_Current__c: { eq: true } }] }
          orderBy: { Effective_Start__c: { order: DESC } }
          first: 1
        ) {
          edges {
            node {
              Id
              Decided_By__c {
                value
                displayValue
              }
              Rule_Matched__c {
                value
              }
              Effective_Start__c {
                value
              }
            }
          }
        }
      }
    }
  }
`;

/** The running rep's territories in the Active model. */
const TERRITORIES_QUERY = gql`
  query repCoverageTerritories($userId: ID) {
    uiapi {
      query {
        Sales_Territory__c(
          where: { and: [{ Owner_User__c: { eq: $userId } }, { Model_State__c: { eq: "Active" } }] }
          orderBy: { Name: { order: ASC } }
          first: 50
        ) {
          edges {
            node {
              Id
              Name {
                value
              }
              Territory_Key__c {
                value
              }
              Account_Count__c {
                value
              }
              Open_Pipeline__c {
                value
              }
              Closed_Won__c {
                value
              }
              Quota__c {
                value
              }
              Coverage_Ratio__c {
                value
              }
              As_Of__c {
                value
              }
              CurrencyIsoCode {
                value
              }
            }
          }
        }
      }
    }
  }
`;

/** The running rep's own forecast rows of recent snapshots; the widget keeps the latest. */
const FORECAST_QUERY = gql`
  query repCoverageForecast($userId: ID, $forecastType: String, $periodType: String) {
    uiapi {
      query {
        Forecast_Snapshot__c(
          where: {
            and: [
              { Owner_Type__c: { eq: "user" } }
              { Owner_User__c: { eq: $userId } }
              { Forecast_Type__c: { eq: $forecastType } }
              { Period_Type__c: { eq: $periodType } }
            ]
          }
          orderBy: { Snapshot_Date__c: { order: DESC } }
          first: 100
        ) {
          edges {
            node {
              Id
              Snapshot_Date__c {
                value
              }
              As_Of__c {
                value
              }
              Period_Key__c {
                value
              }
              Period_Start__c {
                value
              }
              Period_End__c {
                value
              }
              Product_Family__c {
                value
              }
              Category__c {
                value
              }
              Amount__c {
                value
              }
              Quota__c {
                value
              }
              Attainment__c {
                value
              }
              CurrencyIsoCode {
                value
              }
            }
          }
        }
      }
    }
  }
`;

function toTerritory(node) {
  const currency = valueOf(node, 'CurrencyIsoCode');
  const members = valueOf(node, 'Members__c');
  return {
    id: node.Id,
    name: valueOf(node, 'Name') || EMPTY,
    key: valueOf(node, 'Territory_Key__c'),
    type: valueOf(node, 'Territory_Type__c'),
    path: [valueOf(node, 'Territory_Key__c'), valueOf(node, 'Parent_Territory__r.Name')]
      .filter(Boolean)
      .map((part, index) => (index === 0 ? part : `in ${part}`))
      .join(' · '),
    owner: valueOf(node, 'Owner_User__r.Name') || EMPTY,
    members: members
      ? members
          .split('\n')
          .map((line) => line.trim())
          .filter(Boolean)
          .map((line, index) => ({ key: `m${index}`, text: line }))
      : [],
    accounts: formatNumber(valueOf(node, 'Account_Count__c')),
    openPipeline: formatCurrency(valueOf(node, 'Open_Pipeline__c'), currency),
    closedWon: formatCurrency(valueOf(node, 'Closed_Won__c'), currency),
    quota: formatCurrency(valueOf(node, 'Quota__c'), currency),
    coverage: formatMultiple(valueOf(node, 'Coverage_Ratio__c')),
    asOf: formatDate(valueOf(node, 'As_Of__c')),
  };
}

/**
 * Coverage at a glance. On an Account page: the account's territory, owner, team and coverage.
 * On Home: the running rep's territories, open pipeline by forecast category, quota, attainment
 * and coverage ratio. Everything shown is what the server wrote.
 */
export default class RepCoverage extends LightningElement {
  @api recordId;
  @api objectApiName;
  /** Home: the forecast type whose rows are shown (forecast.yaml id). */
  @api forecastType = 'opportunity_revenue';
  /** Home: month or quarter. */
  @api periodType = 'quarter';
  /** Home: the categories listed, in order (forecast.yaml rollup names). */
  @api categories = 'closed,commit,bestCase,openPipeline';
  /** Home: the category whose attainment is shown as "attainment". */
  @api attainmentCategory = 'closed';

  account;
  accountError;
  ownerName;
  territory;
  territoryErrors;
  territoryLoaded = false;
  assignment;
  territories = [];
  territoriesErrors;
  territoriesLoaded = false;
  forecastRows = [];
  forecastErrors;
  forecastLoaded = false;

  get isAccountPage() {
    return !!this.recordId;
  }

  // ---- Account page -------------------------------------------------------------------

  @wire(getRecord, { recordId: '$recordId', fields: ACCOUNT_FIELDS })
  wiredAccount({ data, error }) {
    if (data) {
      this.account = data;
      this.accountError = undefined;
    } else if (error) {
      this.account = undefined;
      this.accountError = error;
    }
  }

  get ownerId() {
    return this.account ? getFieldValue(this.account, ACCOUNT_OWNER_FIELD) : undefined;
  }

  get territoryId() {
    return this.account ? getFieldValue(this.account, ACCOUNT_TERRITORY_FIELD) : undefined;
  }

  @wire(getRecord, { recordId: '$ownerId', fields: [USER_NAME_FIELD] })
  wiredOwner({ data }) {
    // The owner's name is a nicety: without read access to the user, the Id-less label stays.
    this.ownerName = data ? getFieldValue(data, USER_NAME_FIELD) : undefined;
  }

  get territoryQuery() {
    return this.territoryId ? TERRITORY_QUERY : undefined;
  }

  get territoryVariables() {
    return { territoryId: this.territoryId };
  }

  @wire(graphql, {
    query: '$territoryQuery',
    variables: '$territoryVariables',
    operationName: TERRITORY_OPERATION,
  })
  wiredTerritory({ data, errors }) {
    if (data) {
      const [node] = nodesOf(data, 'Sales_Territory__c');
      this.territory = node ? toTerritory(node) : undefined;
      this.territoryErrors = undefined;
      this.territoryLoaded = true;
    } else if (errors) {
      this.territoryErrors = errors;
      this.territoryLoaded = true;
    }
  }

  get assignmentQuery() {
    return this.recordId ? ASSIGNMENT_QUERY : undefined;
  }

  get assignmentVariables() {
    return { accountId: this.recordId };
  }

  @wire(graphql, {
    query: '$assignmentQuery',
    variables: '$assignmentVariables',
    operationName: ASSIGNMENT_OPERATION,
  })
  wiredAssignment({ data }) {
    // Optional detail: on an error the panel simply leaves out the "why".
    const [node] = nodesOf(data, 'Territory_Assignment__c');
    this.assignment = node
      ? {
          decidedBy: valueOf(node, 'Decided_By__c'),
          rule: valueOf(node, 'Rule_Matched__c'),
          since: formatDate(valueOf(node, 'Effective_Start__c')),
        }
      : undefined;
  }

  get accountName() {
    return this.account ? getFieldValue(this.account, ACCOUNT_NAME_FIELD) : '';
  }

  get accountLoading() {
    return !this.account && !this.accountError;
  }

  get hasNoTerritory() {
    return !!this.account && !this.territoryId;
  }

  get territoryLoading() {
    return !!this.territoryId && !this.territoryLoaded;
  }

  get accountOwner() {
    return this.ownerName || EMPTY;
  }

  get assignmentText() {
    const assignment = this.assignment;
    if (!assignment) {
      return '';
    }
    const how = assignment.rule ? `${assignment.decidedBy}: ${assignment.rule}` : assignment.decidedBy;
    return `Assigned by ${how}, since ${assignment.since}`;
  }

  get hasMembers() {
    return !!this.territory && this.territory.members.length > 0;
  }

  // ---- Home ---------------------------------------------------------------------------

  get territoriesQuery() {
    return this.recordId ? undefined : TERRITORIES_QUERY;
  }

  get userVariables() {
    return { userId: USER_ID };
  }

  @wire(graphql, {
    query: '$territoriesQuery',
    variables: '$userVariables',
    operationName: TERRITORIES_OPERATION,
  })
  wiredTerritories({ data, errors }) {
    if (data) {
      this.territories = nodesOf(data, 'Sales_Territory__c').map(toTerritory);
      this.territoriesErrors = undefined;
      this.territoriesLoaded = true;
    } else if (errors) {
      this.territoriesErrors = errors;
      this.territoriesLoaded = true;
    }
  }

  get forecastQuery() {
    return this.recordId ? undefined : FORECAST_QUERY;
  }

  get forecastVariables() {
    return { userId: USER_ID, forecastType: this.forecastType, periodType: this.periodType };
  }

  @wire(graphql, {
    query: '$forecastQuery',
    variables: '$forecastVariables',
    operationName: FORECAST_OPERATION,
  })
  wiredForecast({ data, errors }) {
    if (data) {
      this.forecastRows = nodesOf(data, 'Forecast_Snapshot__c').map(toForecastRow);
      this.forecastErrors = undefined;
      this.forecastLoaded = true;
    } else if (errors) {
      this.forecastErrors = errors;
      this.forecastLoaded = true;
    }
  }

  get homeLoading() {
    return !this.territoriesLoaded || !this.forecastLoaded;
  }

  get homeErrors() {
    const errors = [...(this.territoriesErrors || []), ...(this.forecastErrors || [])];
    return errors.length ? errors : undefined;
  }

  get hasTerritories() {
    return this.territories.length > 0;
  }

  get currentRows() {
    const [latest] = snapshotDates(this.forecastRows);
    return latest ? currentPeriodRows(this.forecastRows, latest) : [];
  }

  get hasForecast() {
    return this.currentRows.length > 0;
  }

  get forecast() {
    const rows = byCategory(this.currentRows);
    const any = this.currentRows[0];
    const currency = any.currency;
    const attainmentRow = rows.get(this.attainmentCategory);
    return {
      period: any.periodKey,
      asOf: formatDate(any.asOf),
      quota: formatCurrency(any.quota, currency),
      attainment: attainmentRow ? formatPercent(attainmentRow.attainment) : EMPTY,
      attainmentLabel: `Attainment (${categoryLabel(this.attainmentCategory).toLowerCase()})`,
      categories: parseList(this.categories)
        .filter((category) => rows.has(category))
        .map((category) => ({
          key: category,
          label: categoryLabel(category),
          amount: formatCurrency(rows.get(category).amount, currency),
        })),
    };
  }

  get homeEmpty() {
    return !this.homeLoading && !this.homeErrors && !this.hasTerritories && !this.hasForecast;
  }
}
