import { LightningElement, api, wire } from 'lwc';
import { gql, graphql } from 'lightning/graphql';
import USER_ID from '@salesforce/user/Id';
import { nodesOf, valueOf, displayValueOf } from 'c/ldsUtils';
import { EMPTY, firstLine, formatCurrency, formatDate, formatNumber, formatPercent } from 'c/formatters';

export const STATEMENTS_OPERATION = 'commissionStatements';
export const LINES_OPERATION = 'commissionStatementLines';

// The two statement queries list the same fields; gql takes static text only, so both spell them out.

/** The running rep's statements, latest period first (sharing shows a rep only their own). */
const REP_STATEMENTS_QUERY = gql`
  query commissionStatements($repId: ID, $first: Int) {
    uiapi {
      query {
        Commission_Statement__c(
          where: { Rep__c: { eq: $repId } }
          orderBy: { Period_Start__c: { order: DESC } }
          first: $first
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
              Plan_Key__c {
                value
              }
              Plan_Version__c {
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
              Period_Status__c {
                value
                displayValue
              }
              Earned__c {
                value
              }
              Payable__c {
                value
              }
              Paid_To_Date__c {
                value
              }
              Held__c {
                value
              }
              Draw__c {
                value
              }
              Draw_Recovered__c {
                value
              }
              Adjustments__c {
                value
              }
              Clawbacks__c {
                value
              }
              Credited__c {
                value
              }
              Quota__c {
                value
              }
              Attainment__c {
                value
              }
              Attainment_Basis__c {
                value
                displayValue
              }
              Tier_Reached__c {
                value
              }
              Tier_Thresholds__c {
                value
              }
              Projected_Commit__c {
                value
              }
              Projected_Best_Case__c {
                value
              }
              Projected_Pipeline__c {
                value
              }
              Line_Count__c {
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

/** One statement, on its own record page. */
const RECORD_STATEMENT_QUERY = gql`
  query commissionStatements($recordId: ID) {
    uiapi {
      query {
        Commission_Statement__c(where: { Id: { eq: $recordId } }, first: 1) {
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
              Plan_Key__c {
                value
              }
              Plan_Version__c {
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
              Period_Status__c {
                value
                displayValue
              }
              Earned__c {
                value
              }
              Payable__c {
                value
              }
              Paid_To_Date__c {
                value
              }
              Held__c {
                value
              }
              Draw__c {
                value
              }
              Draw_Recovered__c {
                value
              }
              Adjustments__c {
                value
              }
              Clawbacks__c {
                value
              }
              Credited__c {
                value
              }
              Quota__c {
                value
              }
              Attainment__c {
                value
              }
              Attainment_Basis__c {
                value
                displayValue
              }
              Tier_Reached__c {
                value
              }
              Tier_Thresholds__c {
                value
              }
              Projected_Commit__c {
                value
              }
              Projected_Best_Case__c {
                value
              }
              Projected_Pipeline__c {
                value
              }
              Line_Count__c {
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

const LINES_QUERY = gql`
  query commissionStatementLines($statementId: ID, $first: Int) {
    uiapi {
      query {
        Commission_Line__c(
          where: { Statement__c: { eq: $statementId } }
          orderBy: { Credit_Date__c: { order: ASC } }
          first: $first
        ) {
          edges {
            node {
              Id
              Name {
                value
              }
              Line_Type__c {
                value
                displayValue
              }
              Opportunity__r {
                Name {
                  value
                }
              }
              Credit_Date__c {
                value
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
              Payable__c {
                value
              }
              Hold_Reason__c {
                value
              }
              Forecast_Category__c {
                value
              }
              Reason__c {
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

/** Statement money fields in the order the summary shows them; empty ones are left out. */
const AMOUNTS = [
  ['Earned__c', 'Earned'],
  ['Payable__c', 'Payable'],
  ['Paid_To_Date__c', 'Paid to date'],
  ['Held__c', 'Held'],
  ['Credited__c', 'Credited'],
  ['Quota__c', 'Quota'],
  ['Draw__c', 'Draw'],
  ['Draw_Recovered__c', 'Draw recovered'],
  ['Adjustments__c', 'Adjustments'],
  ['Clawbacks__c', 'Clawbacks'],
];

const PROJECTED = [
  ['Projected_Commit__c', 'Commit'],
  ['Projected_Best_Case__c', 'Best case'],
  ['Projected_Pipeline__c', 'Pipeline'],
];

const PROJECTED_LINE_TYPE = 'Projected';

/** Parses `0,100,150` into ascending numbers, ignoring blanks and non-numbers. */
export function parseThresholds(text) {
  if (!text) {
    return [];
  }
  return String(text)
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '' && Number.isFinite(Number(part)))
    .map(Number)
    .sort((a, b) => a - b);
}

/**
 * Where the bar ends: past the highest threshold and the attainment, so every marker and the
 * fill fit, rounded up to a multiple of 25 percentage points. Presentation only.
 */
export function barScale(attainment, thresholds) {
  const highest = Math.max(100, attainment || 0, ...thresholds);
  return Math.ceil((highest * 1.1) / 25) * 25;
}

function toStatement(node) {
  const currency = valueOf(node, 'CurrencyIsoCode');
  const money = ([field, label]) => ({
    key: field,
    label,
    value: valueOf(node, field),
    text: formatCurrency(valueOf(node, field), currency),
  });
  const status = valueOf(node, 'Period_Status__c');
  return {
    id: node.Id,
    name: valueOf(node, 'Name'),
    rep: valueOf(node, 'Rep__r.Name'),
    plan: [valueOf(node, 'Plan_Key__c'), valueOf(node, 'Plan_Version__c')].filter(Boolean).join(' '),
    periodKey: valueOf(node, 'Period_Key__c') || EMPTY,
    period: `${formatDate(valueOf(node, 'Period_Start__c'))} – ${formatDate(valueOf(node, 'Period_End__c'))}`,
    status: displayValueOf(node, 'Period_Status__c') || status || EMPTY,
    isOpen: status === 'Open',
    currency,
    amounts: AMOUNTS.map(money).filter((amount) => amount.value !== null),
    projected: PROJECTED.map(money),
    attainment: valueOf(node, 'Attainment__c'),
    attainmentBasis: displayValueOf(node, 'Attainment_Basis__c') || valueOf(node, 'Attainment_Basis__c'),
    tierReached: valueOf(node, 'Tier_Reached__c'),
    thresholds: parseThresholds(valueOf(node, 'Tier_Thresholds__c')),
    lineCount: valueOf(node, 'Line_Count__c'),
    asOf: formatDate(valueOf(node, 'As_Of__c')),
  };
}

function toLine(node) {
  const currency = valueOf(node, 'CurrencyIsoCode');
  const trace = valueOf(node, 'Trace__c');
  const type = valueOf(node, 'Line_Type__c');
  const amount = valueOf(node, 'Amount__c');
  return {
    id: node.Id,
    name: valueOf(node, 'Name'),
    type,
    typeLabel: displayValueOf(node, 'Line_Type__c') || type || EMPTY,
    isProjected: type === PROJECTED_LINE_TYPE,
    opportunity: valueOf(node, 'Opportunity__r.Name') || EMPTY,
    creditDate: formatDate(valueOf(node, 'Credit_Date__c')),
    role: valueOf(node, 'Credit_Role__c') || EMPTY,
    split: formatPercent(valueOf(node, 'Split_Percent__c')),
    credited: formatCurrency(valueOf(node, 'Credited_Amount__c'), currency),
    rate: formatPercent(valueOf(node, 'Rate__c'), 4),
    tier: valueOf(node, 'Tier__c') || EMPTY,
    amount: formatCurrency(amount, currency),
    amountClass: Number(amount) < 0 ? 'slds-text-color_error' : '',
    payable: formatCurrency(valueOf(node, 'Payable__c'), currency),
    hold: valueOf(node, 'Hold_Reason__c'),
    holdText: valueOf(node, 'Hold_Reason__c') ? `(held: ${valueOf(node, 'Hold_Reason__c')})` : '',
    reason: valueOf(node, 'Reason__c'),
    category: valueOf(node, 'Forecast_Category__c') || EMPTY,
    trace,
    traceSummary: firstLine(trace),
    projectedText: [
      formatCurrency(amount, currency),
      valueOf(node, 'Opportunity__r.Name'),
      valueOf(node, 'Forecast_Category__c'),
      firstLine(trace),
    ]
      .filter(Boolean)
      .join(' · '),
    hasTrace: !!trace,
  };
}

/**
 * A rep's commission statements as the server wrote them: earned and payable, attainment against
 * the plan's tier thresholds, every line with its trace, and what open deals would earn.
 */
export default class CommissionStatement extends LightningElement {
  /** Set on a Commission_Statement__c record page: show that statement. */
  @api recordId;
  /** How many past statements the period picker offers. */
  @api periodCount = 12;

  statements = [];
  statementErrors;
  statementsLoaded = false;
  selectedId;
  lines = [];
  lineErrors;
  linesLoaded = false;
  expandedLineId;

  get statementsQuery() {
    return this.recordId ? RECORD_STATEMENT_QUERY : REP_STATEMENTS_QUERY;
  }

  get statementsVariables() {
    return this.recordId
      ? { recordId: this.recordId }
      : { repId: USER_ID, first: Number(this.periodCount) || 12 };
  }

  @wire(graphql, {
    query: '$statementsQuery',
    variables: '$statementsVariables',
    operationName: STATEMENTS_OPERATION,
  })
  wiredStatements({ data, errors }) {
    if (data) {
      this.statements = nodesOf(data, 'Commission_Statement__c').map(toStatement);
      this.statementErrors = undefined;
      this.statementsLoaded = true;
      if (!this.statements.some((statement) => statement.id === this.selectedId)) {
        this.selectStatement(this.statements.length ? this.statements[0].id : undefined);
      }
    } else if (errors) {
      this.statementErrors = errors;
      this.statementsLoaded = true;
    }
  }

  /** Lines are asked for only once a statement is chosen (an undefined query does not run). */
  get linesQuery() {
    return this.selectedId ? LINES_QUERY : undefined;
  }

  get linesVariables() {
    return { statementId: this.selectedId, first: 200 };
  }

  @wire(graphql, { query: '$linesQuery', variables: '$linesVariables', operationName: LINES_OPERATION })
  wiredLines({ data, errors }) {
    if (data) {
      this.lines = nodesOf(data, 'Commission_Line__c').map(toLine);
      this.lineErrors = undefined;
      this.linesLoaded = true;
    } else if (errors) {
      this.lineErrors = errors;
      this.linesLoaded = true;
    }
  }

  selectStatement(id) {
    if (id !== this.selectedId) {
      this.selectedId = id;
      this.lines = [];
      this.lineErrors = undefined;
      this.linesLoaded = false;
      this.expandedLineId = undefined;
    }
  }

  handlePeriodChange(event) {
    this.selectStatement(event.detail.value);
  }

  handleToggleTrace(event) {
    const id = event.currentTarget.dataset.id;
    this.expandedLineId = this.expandedLineId === id ? undefined : id;
  }

  get isLoading() {
    return !this.statementsLoaded;
  }

  get isEmpty() {
    return this.statementsLoaded && !this.statementErrors && this.statements.length === 0;
  }

  get statement() {
    return this.statements.find((candidate) => candidate.id === this.selectedId);
  }

  get statementMeta() {
    const statement = this.statement;
    return [
      statement.period,
      statement.status,
      statement.plan ? `plan ${statement.plan}` : '',
      `as of ${statement.asOf}`,
    ]
      .filter(Boolean)
      .join(' · ');
  }

  get showPeriodPicker() {
    return !this.recordId && this.statements.length > 1;
  }

  get periodOptions() {
    return this.statements.map((statement) => ({
      label: `${statement.periodKey} (${statement.status})`,
      value: statement.id,
    }));
  }

  get cardTitle() {
    const statement = this.statement;
    return statement ? `Commission statement ${statement.periodKey}` : 'Commission statement';
  }

  get hasAttainment() {
    return !!this.statement && this.statement.attainment !== null;
  }

  get attainmentBar() {
    const statement = this.statement;
    const attainment = Number(statement.attainment);
    const scale = barScale(attainment, statement.thresholds);
    const position = (value) => `${Math.min(100, Math.max(0, (value / scale) * 100)).toFixed(2)}%`;
    return {
      scale,
      value: attainment,
      text: formatPercent(attainment),
      valueText: [`${formatPercent(attainment)} attainment`, statement.tierReached]
        .filter(Boolean)
        .join(', '),
      fillStyle: `width: ${position(attainment)}`,
      markers: statement.thresholds
        .filter((threshold) => threshold > 0)
        .map((threshold) => ({
          key: `t${threshold}`,
          label: formatPercent(threshold),
          style: `left: ${position(threshold)}`,
        })),
      tierText: [
        statement.tierReached,
        statement.thresholds.length
          ? `Tier thresholds: ${statement.thresholds.map((threshold) => formatPercent(threshold)).join(', ')}`
          : '',
      ]
        .filter(Boolean)
        .join('. '),
    };
  }

  get lineRows() {
    return this.lines.filter((line) => !line.isProjected).map((line) => this.withTraceToggle(line));
  }

  get projectedRows() {
    return this.lines.filter((line) => line.isProjected).map((line) => this.withTraceToggle(line));
  }

  withTraceToggle(line) {
    const expanded = line.id === this.expandedLineId;
    return {
      ...line,
      expanded,
      traceKey: `trace-${line.id}`,
      toggleLabel: `${expanded ? 'Hide' : 'Show'} the trace of ${line.name}`,
      toggleIcon: expanded ? 'utility:chevrondown' : 'utility:chevronright',
    };
  }

  get hasLines() {
    return this.lineRows.length > 0;
  }

  get hasProjectedLines() {
    return this.projectedRows.length > 0;
  }

  get linesEmpty() {
    return this.linesLoaded && !this.lineErrors && this.lineRows.length === 0;
  }

  get linesLoading() {
    return !!this.selectedId && !this.linesLoaded;
  }

  get lineCountText() {
    const count = this.statement && this.statement.lineCount;
    return count === null || count === undefined ? '' : `${formatNumber(count)} lines`;
  }
}
