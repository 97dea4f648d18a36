// The shared LWC test setup: the accessibility matcher must be able to fail, and the graphql mock
// must expose the query text so wire-config assertions mean something.
import { gql, graphql } from 'lightning/graphql';
import { emitGraphql, graphqlConfig, resetDom } from 'lwcTestUtils';

describe('force-app/test setup', () => {
  afterEach(() => resetDom());

  it('registers toBeAccessible, which rejects an unlabeled control', async () => {
    const input = document.createElement('input');
    input.type = 'text';
    document.body.appendChild(input);
    await expect(expect(document.body).toBeAccessible()).rejects.toThrow();

    const label = document.createElement('label');
    label.textContent = 'Comment';
    label.appendChild(input);
    document.body.appendChild(label);
    await expect(document.body).toBeAccessible();
  });

  it('gql returns the query text with interpolations', () => {
    const object = 'Account';
    expect(gql`query q { uiapi { query { ${object}(first: 1) { totalCount } } } }`).toBe(
      'query q { uiapi { query { Account(first: 1) { totalCount } } } }',
    );
  });

  it('routes emissions by operation name and reports no config for an unknown one', async () => {
    expect(graphqlConfig('nothingConnected')).toBeUndefined();
    await expect(emitGraphql('nothingConnected', {})).resolves.toBeUndefined();
    expect(typeof graphql.configs).toBe('function');
  });
});
