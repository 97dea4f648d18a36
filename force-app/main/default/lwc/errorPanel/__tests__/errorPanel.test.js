import ErrorPanel from 'c/errorPanel';
import { mount, resetDom, all, flushPromises } from 'lwcTestUtils';

describe('c-error-panel', () => {
  afterEach(() => {
    resetDom();
    jest.clearAllMocks();
  });

  it('shows the friendly message and every reduced message as an alert', async () => {
    const element = mount('c-error-panel', ErrorPanel, {
      friendlyMessage: 'Could not load the jobs',
      errors: [{ message: 'No such column Foo__c' }, { body: [{ message: 'Session expired' }] }],
    });
    await flushPromises();

    expect(element.shadowRoot.querySelector('[role="alert"]')).not.toBeNull();
    expect(element.shadowRoot.querySelector('.friendly-message').textContent).toBe('Could not load the jobs');
    expect(all(element, '.messages li').map((li) => li.textContent)).toEqual([
      'No such column Foo__c',
      'Session expired',
    ]);
    await expect(element).toBeAccessible();
  });

  it('shows only the sentence when the error carries no message', async () => {
    const element = mount('c-error-panel', ErrorPanel, { errors: {} });
    await flushPromises();

    expect(element.shadowRoot.querySelector('.friendly-message').textContent).toBe('Could not load the data');
    expect(element.shadowRoot.querySelector('.messages')).toBeNull();
  });
});
