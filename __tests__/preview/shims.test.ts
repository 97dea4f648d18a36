import type { Browser, Page } from 'playwright-core';
import { connect } from '../helpers/org';
import { collectPageErrors, describeInBrowser, launchBrowser, screenshot } from './helpers/browser';
import { adminViewer, startPreviewHarness, type PreviewHarness } from './helpers/preview-server';

// The shims behind lightning/* and @salesforce/* drive a test-only bundle (fixtures/lwc/previewProbe)
// in chromium against the embedded org, through the preview router's login and proxy.
describeInBrowser('preview shims in a real browser', () => {
  let harness: PreviewHarness;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let accountId: string;
  let accountName: string;

  beforeAll(async () => {
    harness = await startPreviewHarness({ viewers: (org) => [adminViewer(org)] });
    browser = await launchBrowser();
    const conn = connect(harness.org);
    const res = await conn.query<{ Id: string; Name: string }>(
      'SELECT Id, Name FROM Account ORDER BY Name LIMIT 1',
    );
    accountId = res.records[0].Id;
    accountName = res.records[0].Name;
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await harness?.close();
  });

  beforeEach(async () => {
    page = await browser.newPage();
    errors = collectPageErrors(page);
  });

  afterEach(async () => {
    await page.close();
  });

  const probe = (recordId: string) => `${harness.url}?as=admin#/widget/previewProbe?recordId=${recordId}`;
  const text = (id: string) => page.locator(`c-preview-probe [data-id="${id}"]`);

  it('emits an empty value first, then the record and the query results as the viewing user', async () => {
    await page.goto(probe(accountId));
    await text('record-name').filter({ hasText: accountName }).waitFor();
    expect(await text('user-id').textContent()).toBe(harness.org.adminUserId);
    // The first value the graphql wire delivered had neither data nor errors.
    expect(await text('first-emission').textContent()).toBe('{}');
    expect(await text('owner-name').textContent()).not.toBe('');

    const conn = connect(harness.org);
    const first3 = await conn.query<{ Name: string }>('SELECT Name FROM Account ORDER BY Name LIMIT 3');
    await text('account-names').filter({ hasText: first3.records[0].Name }).waitFor();
    expect(await text('account-names').textContent()).toBe(first3.records.map((r) => r.Name).join(' | '));
    await screenshot(page, 'shims-probe');
    expect(errors).toEqual([]);
  });

  it('updateRecord writes through the API, shows a toast, and the record wire shows the new value', async () => {
    await page.goto(probe(accountId));
    await text('record-name').filter({ hasText: accountName }).waitFor();
    await page.getByLabel('New name').fill('Renamed In Preview');
    await page.getByRole('button', { name: 'Rename' }).click();
    await text('record-name').filter({ hasText: 'Renamed In Preview' }).waitFor();
    await page
      .locator('#preview-toasts [data-variant="success"]')
      .filter({ hasText: 'Now Renamed In Preview' })
      .waitFor();
    const conn = connect(harness.org);
    const after = await conn.sobject('Account').retrieve(accountId);
    expect((after as unknown as { Name: string }).Name).toBe('Renamed In Preview');
    await conn.sobject('Account').update({ Id: accountId, Name: accountName });
  });

  it('a write the org refuses rejects with the platform error shape', async () => {
    await page.goto(probe(accountId));
    await text('record-name').filter({ hasText: accountName }).waitFor();
    await page.getByRole('button', { name: 'Bad update' }).click();
    await text('write-error').filter({ hasText: '400' }).waitFor();
    expect(await text('write-error').textContent()).toMatch(/^400: .*No_Such_Field__c/);
  });

  it('createRecord creates the record and answers with its UI API representation', async () => {
    await page.goto(probe(accountId));
    await page.getByRole('button', { name: 'Create job' }).click();
    await text('write-result').filter({ hasText: 'created' }).waitFor();
    const [, id, status] = (await text('write-result').textContent())!.split(' ');
    expect(status).toBe('Requested');
    const conn = connect(harness.org);
    const job = await conn.sobject('SalesOps_Job__c').retrieve(id);
    expect((job as unknown as { Type__c: string }).Type__c).toBe('Sync');
  });

  it('a record the org cannot find gives the wire an error, not data', async () => {
    await page.goto(probe('001000000000000AAA'));
    await text('record-error').filter({ hasText: '404' }).waitFor();
    expect(await text('record-name').textContent()).toBe('');
  });

  it('NavigationMixin generates preview URLs and navigates to the record page', async () => {
    await page.goto(probe(accountId));
    await page.getByRole('button', { name: 'Go to opportunity' }).click();
    await page.waitForURL(/#\/opportunity\/006000000000001AAA$/);
    expect(await page.locator('#preview-page').getAttribute('data-page')).toBe('opportunity');
  });
});
