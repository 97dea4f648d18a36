import { LightningElement, api, wire } from 'lwc';
import { gql, graphql } from 'lightning/graphql';
import USER_ID from '@salesforce/user/Id';
import { nodesOf, valueOf } from 'c/ldsUtils';
import {
  EMPTY,
  firstLine,
  formatCurrency,
  formatMultiple,
  formatNumber,
  formatPercent,
  formatRatioAsPercent,
} from 'c/formatters';
import { parseList } from 'c/forecastRows';

export const OPERATION = 'kpiTiles';

/** Rep and team KPIs are found by their user (Scope_User__c). */
const USER_SCOPE_QUERY = gql`
  query kpiTiles($scopeType: String, $userId: ID, $kpiIds: [String], $periodType: String) {
    uiapi {
      query {
        Sales_KPI__c(
          where: {
            and: [
              { Scope_Type__c: { eq: $scopeType } }
              { Scope_User__c: { eq: $userId } }
              { KPI_Id__c: { in: $kpiIds } }
              { Period_Type__c: { eq: $periodType } }
            ]
          }
          orderBy: { Period_Start__c: { order: DESC } }
          first: 200
        ) {
          edges {
            node {
              Id
              Name {
                value
              }
              KPI_Id__c {
                value
              }
              Unit__c {
                value
              }
              Period_Key__c {
                value
              }
              Period_Start__c {
                value
              }
              Period_Complete__c {
                value
              }
              Dimension__c {
                value
              }
              Value__c {
                value
              }
              As_Of__c {
                value
              }
              Trace__c {
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

/** Territory and org KPIs are found by their scope key (territory key, or `org`). */
const KEY_SCOPE_QUERY = gql`
  query kpiTiles($scopeType: String, $scopeKey: String, $kpiIds: [String], $periodType: String) {
    uiapi {
      query {
        Sales_KPI__c(
          where: {
            and: [
              { Scope_Type__c: { eq: $scopeType } }
              { Scope_Key__c: { eq: $scopeKey } }
              { KPI_Id__c: { in: $kpiIds } }
              { Period_Type__c: { eq: $periodType } }
            ]
          }
          orderBy: { Period_Start__c: { order: DESC } }
          first: 200
        ) {
          edges {
            node {
              Id
              Name {
                value
              }
              KPI_Id__c {
                value
              }
              Unit__c {
                value
              }
              Period_Key__c {
                value
              }
              Period_Start__c {
                value
              }
              Period_Complete__c {
                value
              }
              Dimension__c {
                value
              }
              Value__c {
                value
              }
              As_Of__c {
                value
              }
              Trace__c {
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

/** Widget scope → Sales_KPI__c.Scope_Type__c. */
const SCOPE_TYPES = { rep: 'rep', team: 'manager', territory: 'territory', org: 'org' };

/** Ratio KPIs read as a multiple (3.2×) rather than a percentage. */
const MULTIPLE_KPIS = new Set(['pipeline_coverage']);

/** Formats a KPI value by its unit (config/kpis.yaml units). */
export function formatKpiValue(kpiId, unit, value, currency) {
  if (value === null || value === undefined) {
    return EMPTY;
  }
  switch (unit) {
    case 'currency':
      return formatCurrency(value, currency);
    case 'currencyPerDay':
      return `${formatCurrency(value, currency)} per day`;
    case 'percent':
      return formatPercent(value);
    case 'ratio':
      return MULTIPLE_KPIS.has(kpiId) ? formatMultiple(value) : formatRatioAsPercent(value);
    case 'days':
      return `${formatNumber(value, 1)} days`;
    case 'count':
      return formatNumber(value);
    default:
      return formatNumber(value, 4);
  }
}

function toKpiRow(node) {
  return {
    id: node.Id,
    label: valueOf(node, 'Name'),
    kpiId: valueOf(node, 'KPI_Id__c'),
    unit: valueOf(node, 'Unit__c'),
    periodKey: valueOf(node, 'Period_Key__c'),
    complete: valueOf(node, 'Period_Complete__c') === true,
    dimension: valueOf(node, 'Dimension__c'),
    value: valueOf(node, 'Value__c'),
    trace: valueOf(node, 'Trace__c'),
    currency: valueOf(node, 'CurrencyIsoCode'),
  };
}

/**
 * Configurable KPI tiles for a rep, a team, a territory or the org: each tile shows the latest
 * period's Sales_KPI__c value as the server wrote it, with the previous period beside it.
 */
export default class KpiTiles extends LightningElement {
  /** Card title. */
  @api title = 'KPIs';
  /** rep (the running user), team (the running user's team), territory or org. */
  @api scopeType = 'rep';
  /** For territory scope: the territory key (Sales_Territory__c.Territory_Key__c). */
  @api scopeKey;
  /** KPI ids from config/kpis.yaml, comma-separated, in tile order. */
  @api kpiIds = 'quota_attainment,pipeline_coverage,win_rate_count,average_deal_size';
  /** quarter or month. */
  @api periodType = 'quarter';

  rows = [];
  errors;
  loaded = false;

  get kpiIdList() {
    return parseList(this.kpiIds);
  }

  get isUserScope() {
    return this.scopeType === 'rep' || this.scopeType === 'team';
  }

  get scopeKeyValue() {
    return this.scopeType === 'org' ? 'org' : this.scopeKey;
  }

  get configProblem() {
    if (!SCOPE_TYPES[this.scopeType]) {
      return `Unknown scope "${this.scopeType}": use rep, team, territory or org.`;
    }
    if (this.scopeType === 'territory' && !this.scopeKey) {
      return 'Set the territory key for territory KPIs.';
    }
    if (this.kpiIdList.length === 0) {
      return 'Choose at least one KPI id.';
    }
    return undefined;
  }

  get query() {
    if (this.configProblem) {
      return undefined;
    }
    return this.isUserScope ? USER_SCOPE_QUERY : KEY_SCOPE_QUERY;
  }

  get variables() {
    const common = {
      scopeType: SCOPE_TYPES[this.scopeType],
      kpiIds: this.kpiIdList,
      periodType: this.periodType,
    };
    return this.isUserScope ? { ...common, userId: USER_ID } : { ...common, scopeKey: this.scopeKeyValue };
  }

  @wire(graphql, { query: '$query', variables: '$variables', operationName: OPERATION })
  wiredKpis({ data, errors }) {
    if (data) {
      this.rows = nodesOf(data, 'Sales_KPI__c').map(toKpiRow);
      this.errors = undefined;
      this.loaded = true;
    } else if (errors) {
      this.errors = errors;
      this.loaded = true;
    }
  }

  get isLoading() {
    return !this.configProblem && !this.loaded;
  }

  get tiles() {
    return this.kpiIdList.map((kpiId) => {
      // Newest period first (query order); per-stage rows (with a dimension) are not tiles.
      const rows = this.rows.filter((row) => row.kpiId === kpiId && !row.dimension);
      const [latest, previous] = rows;
      if (!latest) {
        return { key: kpiId, label: kpiId, value: EMPTY, hasValue: false, note: 'No value yet' };
      }
      return {
        key: kpiId,
        label: latest.label || kpiId,
        value: formatKpiValue(kpiId, latest.unit, latest.value, latest.currency),
        hasValue: true,
        note: `${latest.periodKey}${latest.complete ? '' : ' so far'}`,
        previous: previous
          ? `${previous.periodKey}: ${formatKpiValue(kpiId, previous.unit, previous.value, previous.currency)}`
          : '',
        definition: firstLine(latest.trace),
      };
    });
  }
}
