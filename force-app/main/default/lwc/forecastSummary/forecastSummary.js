import { LightningElement, api, wire } from 'lwc';
import { gql, graphql } from 'lightning/graphql';
import USER_ID from '@salesforce/user/Id';
import { nodesOf } from 'c/ldsUtils';
import { EMPTY, formatCurrency, formatDate, formatPercent } from 'c/formatters';
import {
  byCategory,
  categoryLabel,
  currentPeriodRows,
  moneyDifference,
  parseList,
  snapshotDates,
  toForecastRow,
} from 'c/forecastRows';

export const MANAGER_OPERATION = 'forecastSummaryManager';
export const TEAM_OPERATION = 'forecastSummaryTeam';

const STATISTICAL = 'statistical';

/** The manager's own (team roll-up) rows of recent snapshots. */
const MANAGER_QUERY = gql`
  query forecastSummaryManager($userId: ID, $forecastType: String, $periodType: String) {
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
          first: 200
        ) {
          edges {
            node {
              Id
              External_Key__c {
                value
              }
              Owner_Key__c {
                value
              }
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

/** The rows directly below the manager's current rows: one per team member and category. */
const TEAM_QUERY = gql`
  query forecastSummaryTeam($parentKeys: [String]) {
    uiapi {
      query {
        Forecast_Snapshot__c(where: { Parent_Key__c: { in: $parentKeys } }, first: 500) {
          edges {
            node {
              Id
              External_Key__c {
                value
              }
              Parent_Key__c {
                value
              }
              Owner_Key__c {
                value
              }
              Owner_User__r {
                Name {
                  value
                }
              }
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

function signedCurrency(value, currency) {
  if (value === null) {
    return EMPTY;
  }
  const text = formatCurrency(value, currency);
  return value > 0 ? `+${text}` : text;
}

/**
 * A manager's forecast: the team roll-up by category against quota, each rep's row, the
 * statistical forecast, and how each category moved since the previous weekly snapshot — all
 * read from the Forecast_Snapshot__c rows the server wrote.
 */
export default class ForecastSummary extends LightningElement {
  /** The forecast type id (config/forecast.yaml). */
  @api forecastType = 'opportunity_revenue';
  /** month or quarter. */
  @api periodType = 'quarter';
  /** Categories shown, in order (forecast.yaml rollup names). */
  @api categories = 'closed,commit,bestCase,openPipeline';
  /** The category whose attainment is shown per rep. */
  @api attainmentCategory = 'commit';

  managerRows = [];
  managerErrors;
  managerLoaded = false;
  teamRows = [];
  teamErrors;
  teamLoaded = false;

  get managerVariables() {
    return { userId: USER_ID, forecastType: this.forecastType, periodType: this.periodType };
  }

  @wire(graphql, { query: MANAGER_QUERY, variables: '$managerVariables', operationName: MANAGER_OPERATION })
  wiredManager({ data, errors }) {
    if (data) {
      this.managerRows = nodesOf(data, 'Forecast_Snapshot__c').map(toForecastRow);
      this.managerErrors = undefined;
      this.managerLoaded = true;
    } else if (errors) {
      this.managerErrors = errors;
      this.managerLoaded = true;
    }
  }

  get snapshotDates() {
    return snapshotDates(this.managerRows);
  }

  get latestRows() {
    const [latest] = this.snapshotDates;
    return latest ? currentPeriodRows(this.managerRows, latest) : [];
  }

  get parentKeys() {
    return this.latestRows.map((row) => row.externalKey).filter(Boolean);
  }

  /** The team query runs once the manager's current rows are known. */
  get teamQuery() {
    return this.parentKeys.length ? TEAM_QUERY : undefined;
  }

  get teamVariables() {
    return { parentKeys: this.parentKeys };
  }

  @wire(graphql, { query: '$teamQuery', variables: '$teamVariables', operationName: TEAM_OPERATION })
  wiredTeam({ data, errors }) {
    if (data) {
      this.teamRows = nodesOf(data, 'Forecast_Snapshot__c').map(toForecastRow);
      this.teamErrors = undefined;
      this.teamLoaded = true;
    } else if (errors) {
      this.teamErrors = errors;
      this.teamLoaded = true;
    }
  }

  get categoryList() {
    return parseList(this.categories);
  }

  get isLoading() {
    return !this.managerLoaded;
  }

  get isEmpty() {
    return this.managerLoaded && !this.managerErrors && this.latestRows.length === 0;
  }

  get hasSummary() {
    return this.latestRows.length > 0;
  }

  get currency() {
    return this.latestRows.length ? this.latestRows[0].currency : undefined;
  }

  get header() {
    const [latest] = this.latestRows;
    return `${latest.periodKey} · snapshot of ${formatDate(latest.snapshotDate)}`;
  }

  get columns() {
    return this.categoryList.map((category) => ({ key: category, label: categoryLabel(category) }));
  }

  get attainmentHeader() {
    return `Attainment (${categoryLabel(this.attainmentCategory).toLowerCase()})`;
  }

  /** One table row from one node's rows of the current period. */
  toTableRow(key, name, rows) {
    const byCat = byCategory(rows);
    const any = rows[0];
    const attainmentRow = byCat.get(this.attainmentCategory);
    return {
      key,
      name,
      quota: formatCurrency(any.quota, any.currency),
      cells: this.categoryList.map((category) => ({
        key: `${key}-${category}`,
        text: byCat.has(category) ? formatCurrency(byCat.get(category).amount, any.currency) : EMPTY,
      })),
      attainment: attainmentRow ? formatPercent(attainmentRow.attainment) : EMPTY,
    };
  }

  get teamTableRows() {
    const parentKeys = new Set(this.parentKeys);
    const byNode = new Map();
    for (const row of this.teamRows) {
      if (!parentKeys.has(row.parentKey) || row.productFamily) {
        continue;
      }
      const nodeKey = row.ownerKey || row.id;
      if (!byNode.has(nodeKey)) {
        byNode.set(nodeKey, []);
      }
      byNode.get(nodeKey).push(row);
    }
    return [...byNode.entries()]
      .map(([nodeKey, rows]) => this.toTableRow(nodeKey, rows[0].ownerName || nodeKey, rows))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  get totalRow() {
    return this.toTableRow('total', 'Team total', this.latestRows);
  }

  get teamLoading() {
    return this.parentKeys.length > 0 && !this.teamLoaded;
  }

  get teamEmpty() {
    return this.teamLoaded && !this.teamErrors && this.teamTableRows.length === 0;
  }

  get statistical() {
    const row = byCategory(this.latestRows).get(STATISTICAL);
    if (!row) {
      return undefined;
    }
    return {
      amount: formatCurrency(row.amount, row.currency),
      attainment: row.attainment === null ? '' : `${formatPercent(row.attainment)} of quota`,
    };
  }

  get previousDate() {
    return this.snapshotDates[1];
  }

  get waterfall() {
    const previousDate = this.previousDate;
    if (!previousDate) {
      return undefined;
    }
    const [latest] = this.latestRows;
    const previous = byCategory(
      this.managerRows.filter(
        (row) =>
          row.snapshotDate === previousDate && row.periodKey === latest.periodKey && !row.productFamily,
      ),
    );
    const current = byCategory(this.latestRows);
    const categories = [...this.categoryList, ...(current.has(STATISTICAL) ? [STATISTICAL] : [])];
    return {
      caption: `Change from ${formatDate(previousDate)} to ${formatDate(latest.snapshotDate)}`,
      previousHeader: formatDate(previousDate),
      latestHeader: formatDate(latest.snapshotDate),
      rows: categories
        .filter((category) => current.has(category) || previous.has(category))
        .map((category) => {
          const now = current.get(category);
          const before = previous.get(category);
          const change = moneyDifference(now ? now.amount : null, before ? before.amount : null);
          return {
            key: category,
            label: categoryLabel(category),
            previous: before ? formatCurrency(before.amount, before.currency) : EMPTY,
            latest: now ? formatCurrency(now.amount, now.currency) : EMPTY,
            change: signedCurrency(change, (now || before).currency),
            changeClass:
              change > 0
                ? 'change slds-text-color_success'
                : change < 0
                  ? 'change slds-text-color_error'
                  : 'change',
          };
        }),
    };
  }
}
