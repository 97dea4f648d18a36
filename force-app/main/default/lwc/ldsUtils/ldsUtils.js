/*
 * Helpers for Lightning Data Service results shared by every widget: one way to turn errors into
 * messages and one way to read UI API GraphQL responses.
 */
import { refreshGraphQL } from 'lightning/graphql';

/**
 * Reduces one or more LDS, GraphQL, UI API or JavaScript errors into a list of unique messages.
 * @param {*} errors a single error or an array of them (GraphQL wires emit `errors` as an array)
 * @returns {string[]} the messages, in order, without duplicates
 */
export function reduceErrors(errors) {
  const list = Array.isArray(errors) ? errors : [errors];
  const messages = list.filter((error) => !!error).flatMap(messagesOf);
  return [...new Set(messages.filter((message) => typeof message === 'string' && message !== ''))];
}

function messagesOf(error) {
  if (typeof error === 'string') {
    return [error];
  }
  const body = error.body;
  if (Array.isArray(body)) {
    // UI API errors: [{ errorCode, message }]
    return body.map((entry) => entry && entry.message);
  }
  if (body && typeof body === 'object') {
    const output = body.output;
    if (output && (output.errors?.length || Object.keys(output.fieldErrors || {}).length)) {
      // Record writes: page-level errors plus field errors keyed by API name.
      const fieldErrors = Object.values(output.fieldErrors || {}).flat();
      return [...(output.errors || []), ...fieldErrors].map((entry) => entry && entry.message);
    }
    if (typeof body.message === 'string') {
      return [body.message];
    }
  }
  if (Array.isArray(error.errors)) {
    return error.errors.flatMap(messagesOf);
  }
  if (typeof error.message === 'string') {
    // JavaScript errors and GraphQL errors ({ message, locations, path }).
    return [error.message];
  }
  if (typeof error.statusText === 'string') {
    return [error.statusText];
  }
  return [];
}

/**
 * The nodes of one object's connection in a UI API GraphQL response.
 * @param {object|undefined} data the `data` the graphql wire emitted
 * @param {string} objectApiName the connection's name under uiapi.query
 * @returns {object[]} the nodes, empty when there is no data yet
 */
export function nodesOf(data, objectApiName) {
  const connection = data && data.uiapi && data.uiapi.query && data.uiapi.query[objectApiName];
  return connection && Array.isArray(connection.edges) ? connection.edges.map((edge) => edge.node) : [];
}

/** The `totalCount` of one object's connection, or undefined. */
export function totalCountOf(data, objectApiName) {
  const connection = data && data.uiapi && data.uiapi.query && data.uiapi.query[objectApiName];
  return connection ? connection.totalCount : undefined;
}

/**
 * The raw value of a field of a GraphQL node; `path` may name one parent level (`Rep__r.Name`).
 * @returns {*} the value, or null when the field or its parent is empty
 */
export function valueOf(node, path) {
  const field = fieldOf(node, path);
  if (field === null || typeof field !== 'object') {
    // `Id` is a plain string in UI API GraphQL; every other field is { value, displayValue }.
    return field;
  }
  return field.value !== undefined ? field.value : null;
}

/** The display value the server formatted for a field of a GraphQL node, or null. */
export function displayValueOf(node, path) {
  const field = fieldOf(node, path);
  return field && field.displayValue !== undefined ? field.displayValue : null;
}

function fieldOf(node, path) {
  let current = node;
  for (const name of path.split('.')) {
    if (!current) {
      return null;
    }
    current = current[name];
  }
  return current === undefined ? null : current;
}

/**
 * Asks the graphql wire for fresh data: `refresh` on the emitted result where the platform
 * provides it (lightning/graphql v2), otherwise refreshGraphQL.
 */
export function refreshGraphqlResult(result) {
  if (result && typeof result.refresh === 'function') {
    return result.refresh();
  }
  return refreshGraphQL(result);
}
