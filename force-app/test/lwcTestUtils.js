/*
 * Helpers shared by the LWC jest tests (imported as 'lwcTestUtils', mapped in jest.config.js), so
 * that mounting, flushing and wire routing are written once.
 */
import { createElement } from '@lwc/engine-dom';
import { graphql } from 'lightning/graphql';

/** Resolves after pending promise callbacks (wire emissions, awaited record writes) have run. */
export function flushPromises() {
  // eslint-disable-next-line @lwc/lwc/no-async-operation
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** Creates the component, sets its public properties and appends it to the document. */
export function mount(tagName, Ctor, props = {}) {
  const element = createElement(tagName, { is: Ctor });
  Object.assign(element, props);
  document.body.appendChild(element);
  return element;
}

/** Removes every mounted component; call from afterEach together with jest.clearAllMocks(). */
export function resetDom() {
  while (document.body.firstChild) {
    document.body.removeChild(document.body.firstChild);
  }
}

/** Collects the detail of every ShowToastEvent the element dispatches. */
export function collectToasts(element) {
  const toasts = [];
  element.addEventListener('lightning__showtoast', (event) => toasts.push(event.detail));
  return toasts;
}

const byOperation = (operationName) => (config) => config && config.operationName === operationName;

/**
 * Emits a GraphQL response (the `data` member) to the graphql wires of that operation only. Wires
 * receive their config in a microtask after connecting, so this waits for pending work first and
 * again after emitting, so the DOM is rendered when it resolves.
 */
export async function emitGraphql(operationName, data) {
  await flushPromises();
  graphql.emit(data, byOperation(operationName));
  await flushPromises();
}

/** Emits GraphQL errors (`[{ message, … }]`) to the graphql wires of that operation only. */
export async function emitGraphqlErrors(operationName, errors) {
  await flushPromises();
  graphql.emitErrors(errors, byOperation(operationName));
  await flushPromises();
}

/** The current config of the graphql wire of that operation (undefined when it is not connected). */
export function graphqlConfig(operationName) {
  return graphql.configs().find(byOperation(operationName));
}

/** All text of the element's shadow tree with whitespace collapsed, for readable assertions. */
export function textOf(element) {
  return (element.shadowRoot ? element.shadowRoot.textContent : element.textContent)
    .replace(/\s+/g, ' ')
    .trim();
}

/** querySelectorAll on the shadow root as an array. */
export function all(element, selector) {
  return Array.from(element.shadowRoot.querySelectorAll(selector));
}

/** The config of every connected wire of an LDS/test adapter (getRecord…), in creation order. */
export function wireConfigs(adapter) {
  return Array.from(adapter._wireInstances || [], (instance) => instance.getConfig());
}
