import CommissionStatement, { parseThresholds, barScale } from 'c/commissionStatement';
import {
  mount,
  resetDom,
  flushPromises,
  emitGraphql,
  emitGraphqlErrors,
  graphqlConfig,
  all,
  textOf,
} from 'lwcTestUtils';

const statements = require('./data/commissionStatements.json');
const lines = require('./data/commissionStatementLines.json');

const STATEMENTS = 'commissionStatements';
const LINES = 'commissionStatementLines';
const USER_ID = '005000000000000000';
const Q4 = 'a0C5g00000StmtQ4AAA';
const Q3 = 'a0C5g00000StmtQ3AAA';

async function showStatement(props = {}) {
  const element = mount('c-commission-statement', CommissionStatement, props);
  await emitGraphql(STATEMENTS, statements);
  await emitGraphql(LINES, lines);
  return element;
}

function amounts(element) {
  return Object.fromEntries(
    all(element, '.amount').map((item) => [
      item.dataset.field,
      item.querySelector('.amount-value').textContent,
    ]),
  );
}

describe('c-commission-statement', () => {
  afterEach(() => {
    resetDom();
    jest.clearAllMocks();
  });

  describe('statements graphql @wire', () => {
    it("asks for the running rep's statements, latest period first", async () => {
      mount('c-commission-statement', CommissionStatement, { periodCount: 6 });
      await flushPromises();

      const config = graphqlConfig(STATEMENTS);
      expect(config.variables).toEqual({ repId: USER_ID, first: 6 });
      expect(config.query).toContain('where: { Rep__c: { eq: $repId } }');
      expect(config.query).toContain('orderBy: { Period_Start__c: { order: DESC } }');
      expect(config.query).toContain('Tier_Thresholds__c');
    });

    it('asks for the one statement of the record page', async () => {
      mount('c-commission-statement', CommissionStatement, { recordId: Q3 });
      await flushPromises();

      const config = graphqlConfig(STATEMENTS);
      expect(config.variables).toEqual({ recordId: Q3 });
      expect(config.query).toContain('where: { Id: { eq: $recordId } }');
    });

    it('shows the latest statement: totals in its currency, period and status', async () => {
      const element = await showStatement();

      expect(element.shadowRoot.querySelector('lightning-card').title).toBe('Commission statement FY2026-Q4');
      expect(textOf(element.shadowRoot.querySelector('.statement-meta'))).toBe(
        'Oct 1, 2026 – Dec 31, 2026 · Open · plan AE-2026 v3 · as of Nov 26, 2026',
      );
      // Empty money fields (draw, adjustments) are left out rather than shown as zero.
      expect(amounts(element)).toEqual({
        Earned__c: '$4,100.00',
        Payable__c: '$3,140.00',
        Paid_To_Date__c: '$0.00',
        Held__c: '$960.00',
        Credited__c: '$510,000.00',
        Quota__c: '$450,000.00',
        Clawbacks__c: '-$1,200.00',
      });
    });

    it('draws the attainment bar with a marker per tier threshold', async () => {
      const element = await showStatement();

      const bar = element.shadowRoot.querySelector('[role="progressbar"]');
      // Highest of 100, 113.33 and 150 is 150; ×1.1 = 165, rounded up to 25s = 175.
      expect(bar.getAttribute('aria-valuemax')).toBe('175');
      expect(bar.getAttribute('aria-valuenow')).toBe('113.33');
      expect(bar.getAttribute('aria-valuetext')).toBe('113.3% attainment, Tier 2: 100–150%');
      expect(bar.querySelector('.bar-fill').style.width).toBe('64.76%');
      const markers = all(element, '.bar-marker');
      expect(markers.map((marker) => marker.style.left)).toEqual(['57.14%', '85.71%']);
      expect(markers.map((marker) => marker.textContent)).toEqual(['100%', '150%']);
      expect(element.shadowRoot.querySelector('.attainment-text').textContent).toBe('113.3%');
      expect(textOf(element.shadowRoot.querySelector('.tier'))).toBe(
        'Tier 2: 100–150%. Tier thresholds: 0%, 100%, 150%',
      );
    });

    it('leaves out the attainment bar when the statement has no attainment', async () => {
      const data = JSON.parse(JSON.stringify(statements));
      data.uiapi.query.Commission_Statement__c.edges[0].node.Attainment__c = { value: null };
      const element = mount('c-commission-statement', CommissionStatement);
      await emitGraphql(STATEMENTS, data);

      expect(element.shadowRoot.querySelector('[role="progressbar"]')).toBeNull();
      expect(amounts(element).Earned__c).toBe('$4,100.00');
    });

    it('shows projected earnings by category apart from the totals', async () => {
      const element = await showStatement();

      const projections = Object.fromEntries(
        all(element, '.projection').map((item) => [
          item.dataset.field,
          item.querySelector('.projection-value').textContent,
        ]),
      );
      expect(projections).toEqual({
        Projected_Commit__c: '$3,200.00',
        Projected_Best_Case__c: '$5,850.50',
        Projected_Pipeline__c: '$11,400.00',
      });
    });

    it('says so when the rep has no statement', async () => {
      const element = mount('c-commission-statement', CommissionStatement);
      await emitGraphql(STATEMENTS, { uiapi: { query: { Commission_Statement__c: { edges: [] } } } });

      expect(element.shadowRoot.querySelector('.empty').textContent).toContain('No commission statement yet');
      expect(graphqlConfig(LINES).query).toBeUndefined();
    });

    it('shows the error panel when the statements cannot be read', async () => {
      const element = mount('c-commission-statement', CommissionStatement);
      await emitGraphqlErrors(STATEMENTS, [{ message: 'Insufficient access to Commission_Statement__c' }]);

      const panel = element.shadowRoot.querySelector('c-error-panel.statement-error');
      expect(panel.friendlyMessage).toBe('Could not load the commission statements');
      expect(panel.errors).toEqual([{ message: 'Insufficient access to Commission_Statement__c' }]);
    });

    it('is accessible with data', async () => {
      const element = await showStatement();
      all(element, '.toggle-trace')[0].click();
      await flushPromises();
      await expect(element).toBeAccessible();
    });

    it('is accessible with an error', async () => {
      const element = mount('c-commission-statement', CommissionStatement);
      await emitGraphqlErrors(STATEMENTS, [{ message: 'boom' }]);
      await expect(element).toBeAccessible();
    });
  });

  describe('lines graphql @wire', () => {
    it('waits for a statement, then asks for its lines by credit date', async () => {
      mount('c-commission-statement', CommissionStatement);
      await flushPromises();
      expect(graphqlConfig(LINES).query).toBeUndefined();

      await emitGraphql(STATEMENTS, statements);
      const config = graphqlConfig(LINES);
      expect(config.variables).toEqual({ statementId: Q4, first: 200 });
      expect(config.query).toContain('where: { Statement__c: { eq: $statementId } }');
      expect(config.query).toContain('orderBy: { Credit_Date__c: { order: ASC } }');
      expect(config.query).toContain('Trace__c');
    });

    it('lists the lines with their trace summary; projected lines apart', async () => {
      const element = await showStatement();

      const rows = all(element, 'tr.line');
      expect(rows.map((row) => row.querySelector('.line-type').textContent)).toEqual([
        'Commission',
        'SPIFF',
        'Clawback',
      ]);
      const [commission, spiff, clawback] = rows;
      expect(commission.querySelector('.line-opportunity').textContent).toBe('Globex — Platform renewal');
      expect(commission.querySelector('.line-split').textContent).toBe('50%');
      expect(commission.querySelector('.line-credited').textContent).toBe('$120,000.00');
      expect(commission.querySelector('.line-rate').textContent).toBe('8%');
      expect(commission.querySelector('.line-amount').textContent).toBe('$4,800.00');
      expect(textOf(commission.querySelector('.line-payable'))).toContain('$3,840.00');
      expect(commission.querySelector('.line-hold').textContent).toBe(
        '(held: 20% held until the invoice is paid)',
      );
      expect(spiff.querySelector('.line-rate').textContent).toBe('—');
      expect(clawback.querySelector('.line-amount span').className).toBe('slds-text-color_error');

      const summaries = all(element, '.trace-summary').map((cell) => textOf(cell));
      expect(summaries).toEqual([
        '$120,000 × 8% (tier 2: 100–150% attainment) × 50% split = $4,800',
        'SPIFF multi-year Q4: flat $500 for a 3-year term',
        'Clawback of CL-00000412: -$15,000 × 8% = -$1,200 · Deal cancelled within 90 days',
      ]);

      const projected = all(element, '.projected-line');
      expect(projected).toHaveLength(1);
      expect(textOf(projected[0])).toBe(
        '$3,200.00 · Stark — Data platform · Commit · If won this period: $40,000 × 8% × 100% split = $3,200',
      );
    });

    it('opens and closes the full trace of a line from the keyboard-reachable toggle', async () => {
      const element = await showStatement();

      const toggle = all(element, '.toggle-trace')[0];
      expect(toggle.alternativeText).toBe('Show the trace of CL-00000501');
      toggle.click();
      await flushPromises();

      const trace = element.shadowRoot.querySelector('pre.trace');
      expect(trace.textContent).toContain('"rate": "0.08"');
      expect(all(element, '.toggle-trace')[0].alternativeText).toBe('Hide the trace of CL-00000501');

      all(element, '.toggle-trace')[0].click();
      await flushPromises();
      expect(element.shadowRoot.querySelector('pre.trace')).toBeNull();
    });

    it('switches to a past statement from the period picker', async () => {
      const element = await showStatement();

      const picker = element.shadowRoot.querySelector('lightning-combobox');
      expect(picker.options).toEqual([
        { label: 'FY2026-Q4 (Open)', value: Q4 },
        { label: 'FY2026-Q3 (Closed)', value: Q3 },
      ]);
      picker.dispatchEvent(new CustomEvent('change', { detail: { value: Q3 } }));
      await flushPromises();

      expect(graphqlConfig(LINES).variables).toEqual({ statementId: Q3, first: 200 });
      expect(element.shadowRoot.querySelector('lightning-card').title).toBe('Commission statement FY2026-Q3');
      expect(amounts(element).Adjustments__c).toBe('$250.00');
      // Lines of the previous statement are not shown under the new one while it loads.
      expect(all(element, 'tr.line')).toHaveLength(0);
    });

    it('has no period picker on a statement record page', async () => {
      const element = await showStatement({ recordId: Q4 });
      expect(element.shadowRoot.querySelector('lightning-combobox')).toBeNull();
    });

    it('says so when the statement has no lines', async () => {
      const element = mount('c-commission-statement', CommissionStatement);
      await emitGraphql(STATEMENTS, statements);
      await emitGraphql(LINES, { uiapi: { query: { Commission_Line__c: { edges: [], totalCount: 0 } } } });

      expect(element.shadowRoot.querySelector('.lines-empty').textContent).toBe(
        'No lines on this statement.',
      );
    });

    it('shows the error panel when the lines cannot be read, keeping the totals', async () => {
      const element = mount('c-commission-statement', CommissionStatement);
      await emitGraphql(STATEMENTS, statements);
      await emitGraphqlErrors(LINES, [{ message: 'Request timed out' }]);

      const panel = element.shadowRoot.querySelector('c-error-panel.line-error');
      expect(panel.friendlyMessage).toBe('Could not load the statement lines');
      expect(amounts(element).Earned__c).toBe('$4,100.00');
      await expect(element).toBeAccessible();
    });
  });

  describe('bar helpers', () => {
    it('parses thresholds and ignores blanks and junk', () => {
      expect(parseThresholds('150, 0,100,')).toEqual([0, 100, 150]);
      expect(parseThresholds('0,abc,120.5')).toEqual([0, 120.5]);
      expect(parseThresholds(null)).toEqual([]);
    });

    it('scales the bar past the attainment and the highest threshold', () => {
      expect(barScale(113.33, [0, 100, 150])).toBe(175);
      expect(barScale(240, [0, 100, 150])).toBe(275);
      expect(barScale(40, [])).toBe(125);
    });
  });
});
