import OpportunityCommission from 'c/opportunityCommission';
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

const projected = require('./data/opportunityProjectedCommission.json');

const OPERATION = 'opportunityProjectedCommission';
const OPPORTUNITY_ID = '0065g00000DealOneAAA';

async function showDeal() {
  const element = mount('c-opportunity-commission', OpportunityCommission, { recordId: OPPORTUNITY_ID });
  await emitGraphql(OPERATION, projected);
  return element;
}

describe('c-opportunity-commission', () => {
  afterEach(() => {
    resetDom();
    jest.clearAllMocks();
  });

  it('asks for the Projected lines of this opportunity, largest first', async () => {
    mount('c-opportunity-commission', OpportunityCommission, { recordId: OPPORTUNITY_ID });
    await flushPromises();

    const config = graphqlConfig(OPERATION);
    expect(config.variables).toEqual({ recordId: OPPORTUNITY_ID });
    expect(config.query).toContain(
      'where: { and: [{ Opportunity__c: { eq: $recordId } }, { Line_Type__c: { eq: "Projected" } }] }',
    );
    expect(config.query).toContain('orderBy: { Amount__c: { order: DESC } }');
  });

  it('shows what the owner and the split holder would earn, with the trace summary', async () => {
    const element = await showDeal();

    expect(element.shadowRoot.querySelector('.period').textContent).toBe('If won in FY2026-Q4');
    const rows = all(element, 'tr.line');
    expect(
      rows.map((row) => [
        row.querySelector('.line-rep').textContent,
        row.querySelector('.line-role').textContent,
        row.querySelector('.line-split').textContent,
        row.querySelector('.line-credited').textContent,
        row.querySelector('.line-rate').textContent,
        row.querySelector('.line-amount').textContent,
        row.querySelector('.line-category').textContent,
      ]),
    ).toEqual([
      ['Dana Reyes', 'Owner', '60%', '$72,000.00', '8%', '$5,760.00', 'Commit'],
      ['Lee Park', 'Revenue Split', '40%', '$48,000.00', '6.5%', '$3,120.00', 'Commit'],
    ]);
    expect(all(element, '.trace-summary').map((cell) => textOf(cell))).toEqual([
      'If won this period: $120,000 × 8% (tier 2: 100–150% attainment) × 60% split = $5,760',
      'If won this period: $120,000 × 6.5% (tier 1: 0–100% attainment) × 40% split = $3,120',
    ]);
  });

  it('opens the full trace of a line', async () => {
    const element = await showDeal();

    const toggle = all(element, '.toggle-trace')[0];
    expect(toggle.alternativeText).toBe("Show the trace of Dana Reyes's line");
    toggle.click();
    await flushPromises();
    expect(element.shadowRoot.querySelector('pre.trace').textContent).toContain('"split":"0.6"');
  });

  it('says so when there is nothing projected the user may see', async () => {
    const element = mount('c-opportunity-commission', OpportunityCommission, { recordId: OPPORTUNITY_ID });
    await emitGraphql(OPERATION, { uiapi: { query: { Commission_Line__c: { edges: [], totalCount: 0 } } } });

    expect(element.shadowRoot.querySelector('.empty').textContent).toContain('No projected commission');
    expect(element.shadowRoot.querySelector('table')).toBeNull();
  });

  it('shows the error panel when the query fails', async () => {
    const element = mount('c-opportunity-commission', OpportunityCommission, { recordId: OPPORTUNITY_ID });
    await emitGraphqlErrors(OPERATION, [{ message: 'Invalid field Amount__c' }]);

    const panel = element.shadowRoot.querySelector('c-error-panel.load-error');
    expect(panel.friendlyMessage).toBe('Could not load the projected commission');
    expect(panel.errors).toEqual([{ message: 'Invalid field Amount__c' }]);
  });

  it('is accessible with data', async () => {
    const element = await showDeal();
    await expect(element).toBeAccessible();
  });

  it('is accessible with an error', async () => {
    const element = mount('c-opportunity-commission', OpportunityCommission, { recordId: OPPORTUNITY_ID });
    await emitGraphqlErrors(OPERATION, [{ message: 'boom' }]);
    await expect(element).toBeAccessible();
  });
});
