import { LightningElement, api, wire } from 'lwc';
import { gql, graphql } from 'lightning/graphql';
import { nodesOf, valueOf, displayValueOf } from 'c/ldsUtils';
import { EMPTY, firstLine, formatCurrency, formatPercent } from 'c/formatters';

export const OPERATION = 'opportunityProjectedCommission';

const QUERY = gql`
  query opportunityProjectedCommission($recordId: ID) {
    uiapi {
      query {
        Commission_Line__c(
          where: { and: [{ Opportunity__c: { eq: $recordId } }, { Line_Type__c: { eq: "Projected" } }] }
          orderBy: { Amount__c: { order: DESC } }
          first: 50
        ) {
          edges {
            node {
              Id
              Name {
                value
              }
              Rep__r {
                Name {
                  value
                }
              }
              Credit_Role__c {
                value
              }
              Split_Percent__c {
                value
              }
              Credited_Amount__c {
                value
              }
              Rate__c {
                value
              }
              Tier__c {
                value
              }
              Amount__c {
                value
              }
              Forecast_Category__c {
                value
              }
              Period_Key__c {
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
          totalCount
        }
      }
    }
  }
`;

function toLine(node) {
  const currency = valueOf(node, 'CurrencyIsoCode');
  const trace = valueOf(node, 'Trace__c');
  const name = valueOf(node, 'Name');
  return {
    id: node.Id,
    name,
    rep: valueOf(node, 'Rep__r.Name') || EMPTY,
    role: displayValueOf(node, 'Credit_Role__c') || valueOf(node, 'Credit_Role__c') || EMPTY,
    split: formatPercent(valueOf(node, 'Split_Percent__c')),
    credited: formatCurrency(valueOf(node, 'Credited_Amount__c'), currency),
    rate: formatPercent(valueOf(node, 'Rate__c'), 4),
    tier: valueOf(node, 'Tier__c') || EMPTY,
    amount: formatCurrency(valueOf(node, 'Amount__c'), currency),
    category: valueOf(node, 'Forecast_Category__c') || EMPTY,
    period: valueOf(node, 'Period_Key__c') || EMPTY,
    trace,
    traceSummary: firstLine(trace),
    hasTrace: !!trace,
  };
}

/**
 * On an Opportunity page: what the deal would earn its owner and split holders if it is won this
 * period (the Projected commission lines the server wrote). Sharing decides whose lines show.
 */
export default class OpportunityCommission extends LightningElement {
  @api recordId;

  lines = [];
  errors;
  loaded = false;
  expandedId;

  @wire(graphql, { query: QUERY, variables: '$variables', operationName: OPERATION })
  wiredLines({ data, errors }) {
    if (data) {
      this.lines = nodesOf(data, 'Commission_Line__c').map(toLine);
      this.errors = undefined;
      this.loaded = true;
    } else if (errors) {
      this.errors = errors;
      this.loaded = true;
    }
  }

  get variables() {
    return { recordId: this.recordId };
  }

  get rows() {
    return this.lines.map((line) => {
      const expanded = line.id === this.expandedId;
      return {
        ...line,
        expanded,
        traceKey: `trace-${line.id}`,
        toggleLabel: `${expanded ? 'Hide' : 'Show'} the trace of ${line.rep}'s line`,
        toggleIcon: expanded ? 'utility:chevrondown' : 'utility:chevronright',
      };
    });
  }

  get isLoading() {
    return !this.loaded;
  }

  get hasLines() {
    return this.lines.length > 0;
  }

  get isEmpty() {
    return this.loaded && !this.errors && this.lines.length === 0;
  }

  get periodText() {
    const periods = [...new Set(this.lines.map((line) => line.period))];
    return periods.length === 1 ? `If won in ${periods[0]}` : 'If won this period';
  }

  handleToggleTrace(event) {
    const id = event.currentTarget.dataset.id;
    this.expandedId = this.expandedId === id ? undefined : id;
  }
}
