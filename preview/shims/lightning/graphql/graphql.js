// `lightning/graphql` for the preview: `gql`, the `graphql` wire adapter and `refreshGraphQL`,
// backed by the embedded org's UI API GraphQL endpoint called with the viewing user's token.
// The wire first emits `{data: undefined, errors: undefined}`, then `{data, errors}`.
import { orgFetch, errorMessages } from '../../../app/session';
import { configKey, track, untrack } from '../../wire-registry';

/** The platform parses the query at compile time; the text is all the endpoint needs. */
export function gql(strings, ...values) {
  let text = '';
  strings.forEach((s, i) => {
    text += s + (i < values.length ? values[i] : '');
  });
  return text;
}

const adapterOfResult = new WeakMap();

export class graphql {
  constructor(dataCallback) {
    this.dataCallback = dataCallback;
    this.config = undefined;
    this.connected = false;
    this.loadedKey = undefined;
    this.sequence = 0;
    this.lastText = '';
    this.emit({ data: undefined, errors: undefined });
  }

  emit(value) {
    adapterOfResult.set(value, this);
    this.dataCallback(value);
  }

  update(config) {
    this.config = config;
    if (this.connected && configKey(config) !== this.loadedKey) this.load();
  }

  connect() {
    this.connected = true;
    track(this);
    if (this.config && configKey(this.config) !== this.loadedKey) this.load();
  }

  disconnect() {
    this.connected = false;
    untrack(this);
  }

  /** A record changed by a write is shown by this wire when its last answer carries the record's Id. */
  showsAnyOf(ids) {
    for (const id of ids) if (this.lastText.includes(`"${id}`)) return true;
    return false;
  }

  refresh() {
    return this.config ? this.load() : Promise.resolve();
  }

  async load() {
    const config = this.config || {};
    // A query given as a reactive '$property' stays undefined until the component sets it.
    if (!config.query) return;
    this.loadedKey = configKey(config);
    const sequence = ++this.sequence;
    const body = { query: config.query, variables: config.variables || {} };
    if (config.operationName) body.operationName = config.operationName;
    const res = await orgFetch('/graphql', { method: 'POST', body });
    if (sequence !== this.sequence || !this.connected) return;
    if (res.ok && res.body && typeof res.body === 'object' && !Array.isArray(res.body)) {
      this.lastText = JSON.stringify(res.body.data || null);
      const errors = res.body.errors && res.body.errors.length ? res.body.errors : undefined;
      this.emit({ data: res.body.data || undefined, errors });
    } else {
      this.lastText = '';
      const messages = errorMessages(res.body);
      const errors = (messages.length ? messages : [res.statusText || 'The request failed']).map(
        (message) => ({
          message,
        }),
      );
      this.emit({ data: undefined, errors });
    }
  }
}

/** Re-runs the query of the wire that produced `result`; resolves once the new answer is out. */
export function refreshGraphQL(result) {
  const adapter = result && adapterOfResult.get(result);
  return adapter ? adapter.refresh() : Promise.resolve();
}
