import { refreshGraphQL } from 'lightning/graphql';
import {
  reduceErrors,
  nodesOf,
  totalCountOf,
  valueOf,
  displayValueOf,
  refreshGraphqlResult,
} from 'c/ldsUtils';

describe('c/ldsUtils', () => {
  afterEach(() => {
    jest.clearAllMocks();
  });

  describe('reduceErrors', () => {
    it('reads UI API wire errors (body is an array)', () => {
      const error = {
        status: 404,
        body: [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }],
      };
      expect(reduceErrors(error)).toEqual(['The requested resource does not exist']);
    });

    it('reads record write errors with page and field errors', () => {
      const error = {
        body: {
          message: 'An error occurred while trying to update the record. Please try again.',
          output: {
            errors: [{ errorCode: 'INSUFFICIENT_ACCESS', message: 'insufficient access rights' }],
            fieldErrors: {
              Status__c: [{ errorCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', message: 'bad value' }],
            },
          },
        },
      };
      expect(reduceErrors(error)).toEqual(['insufficient access rights', 'bad value']);
    });

    it('falls back to body.message when output carries no errors', () => {
      const error = { body: { message: 'Session expired', output: { errors: [], fieldErrors: {} } } };
      expect(reduceErrors(error)).toEqual(['Session expired']);
    });

    it('reads GraphQL errors arrays and JavaScript errors, dropping duplicates and empties', () => {
      const errors = [
        { message: 'No such column Foo__c on entity Account', locations: [{ line: 1, column: 9 }] },
        new TypeError('x is undefined'),
        { message: 'No such column Foo__c on entity Account' },
        null,
        'plain text',
      ];
      expect(reduceErrors(errors)).toEqual([
        'No such column Foo__c on entity Account',
        'x is undefined',
        'plain text',
      ]);
    });

    it('uses statusText when nothing better is there', () => {
      expect(reduceErrors({ status: 503, statusText: 'Service Unavailable' })).toEqual([
        'Service Unavailable',
      ]);
    });

    it('returns nothing for no errors', () => {
      expect(reduceErrors(undefined)).toEqual([]);
      expect(reduceErrors([])).toEqual([]);
    });
  });

  describe('GraphQL readers', () => {
    const data = {
      uiapi: {
        query: {
          Commission_Line__c: {
            edges: [
              {
                node: {
                  Id: 'a0B5g00000LineAAA',
                  Amount__c: { value: 4800, displayValue: '$4,800.00' },
                  Rep__r: { Name: { value: 'Dana Rep' } },
                  Opportunity__r: null,
                },
              },
            ],
            totalCount: 7,
          },
        },
      },
    };

    it('lists nodes and the total count', () => {
      expect(nodesOf(data, 'Commission_Line__c')).toHaveLength(1);
      expect(totalCountOf(data, 'Commission_Line__c')).toBe(7);
      expect(nodesOf(data, 'Account')).toEqual([]);
      expect(nodesOf(undefined, 'Account')).toEqual([]);
    });

    it('reads values, display values, Ids and one parent level', () => {
      const [node] = nodesOf(data, 'Commission_Line__c');
      expect(valueOf(node, 'Id')).toBe('a0B5g00000LineAAA');
      expect(valueOf(node, 'Amount__c')).toBe(4800);
      expect(displayValueOf(node, 'Amount__c')).toBe('$4,800.00');
      expect(valueOf(node, 'Rep__r.Name')).toBe('Dana Rep');
      expect(valueOf(node, 'Opportunity__r.Name')).toBeNull();
      expect(valueOf(node, 'Missing__c')).toBeNull();
    });
  });

  describe('refreshGraphqlResult', () => {
    it('uses the refresh the wire emitted when there is one', async () => {
      const refresh = jest.fn().mockResolvedValue(undefined);
      await refreshGraphqlResult({ data: {}, refresh });
      expect(refresh).toHaveBeenCalledTimes(1);
      expect(refreshGraphQL).not.toHaveBeenCalled();
    });

    it('falls back to refreshGraphQL', async () => {
      const result = { data: {} };
      await refreshGraphqlResult(result);
      expect(refreshGraphQL).toHaveBeenCalledWith(result);
    });
  });
});
