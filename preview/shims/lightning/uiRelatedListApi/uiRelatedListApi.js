// `lightning/uiRelatedListApi` for the preview: `getRelatedListRecords` through the embedded org's
// UI API (`/ui-api/related-list-records/{parentRecordId}/{relatedListId}`), with the platform's
// wire behaviour. The project's widgets read related records through GraphQL instead; this is here
// so a bundle that uses it still compiles and shows what the org answers.
import { orgFetch } from '../../../app/session';
import { configKey, track, untrack } from '../../wire-registry';

function names(fields) {
  return (fields || []).map((f) => (typeof f === 'string' ? f : `${f.objectApiName}.${f.fieldApiName}`));
}

export class getRelatedListRecords {
  constructor(dataCallback) {
    this.dataCallback = dataCallback;
    this.config = undefined;
    this.connected = false;
    this.loadedKey = undefined;
    this.sequence = 0;
    this.lastText = '';
    dataCallback({ data: undefined, error: undefined });
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

  showsAnyOf(ids) {
    for (const id of ids) if (this.lastText.includes(`"${id}`)) return true;
    return false;
  }

  refresh() {
    return this.config ? this.load() : Promise.resolve();
  }

  async load() {
    const { parentRecordId, relatedListId, fields, optionalFields, pageSize } = this.config || {};
    if (!parentRecordId || !relatedListId) return;
    this.loadedKey = configKey(this.config);
    const sequence = ++this.sequence;
    const params = new URLSearchParams();
    if (fields) params.set('fields', names(fields).join(','));
    if (optionalFields) params.set('optionalFields', names(optionalFields).join(','));
    if (pageSize) params.set('pageSize', String(pageSize));
    const res = await orgFetch(
      `/ui-api/related-list-records/${encodeURIComponent(parentRecordId)}/${encodeURIComponent(relatedListId)}?${params}`,
    );
    if (sequence !== this.sequence || !this.connected) return;
    this.lastText = res.ok ? JSON.stringify(res.body) : '';
    if (res.ok) this.dataCallback({ data: res.body, error: undefined });
    else
      this.dataCallback({
        data: undefined,
        error: { ok: false, status: res.status, statusText: res.statusText, body: res.body },
      });
  }
}
