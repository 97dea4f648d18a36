/*
 * lightning/graphql for jest. sfdx-lwc-jest's stub has no refreshGraphQL, its gql returns undefined
 * (so a test cannot tell which query a wire sent) and its constructor re-emits to every live wire.
 * This one keeps the stub's emit/emitErrors API, returns the query text from gql and emits the
 * initial empty value to the new wire only.
 */
import { createTestWireAdapter } from '@salesforce/wire-service-jest-util';

export class graphql extends createTestWireAdapter() {
  static emit(value, filterFn, refreshFn) {
    super.emit(
      { data: value, errors: undefined, ...(refreshFn !== undefined && { refresh: refreshFn }) },
      filterFn,
    );
  }

  static emitErrors(errors, filterFn, refreshFn) {
    super.emit({ data: undefined, errors, ...(refreshFn !== undefined && { refresh: refreshFn }) }, filterFn);
  }

  /** The config of every connected graphql wire, in creation order. */
  static configs() {
    return Array.from(this._wireInstances, (instance) => instance.getConfig());
  }

  constructor(dataCallback) {
    super(dataCallback);
    this.emit({ data: undefined, errors: undefined });
  }
}

export const gql = jest.fn((strings, ...values) =>
  strings.reduce((text, part, i) => text + part + (i < values.length ? String(values[i]) : ''), ''),
);

export const refreshGraphQL = jest.fn(() => Promise.resolve());
