// `lightning/uiRecordApi` for the preview: the same exports and wire behaviour as the platform's
// (first `{data: undefined, error: undefined}`, then data or an error), backed by the embedded
// org's UI API and REST API called with the viewing user's token.
import { orgFetch, errorMessages } from '../../../app/session';
import { configKey, refreshRecords, track, untrack } from '../../wire-registry';

function fieldName(field) {
  if (typeof field === 'string') return field;
  if (field && field.objectApiName && field.fieldApiName)
    return `${field.objectApiName}.${field.fieldApiName}`;
  throw new Error(`Not a field: ${JSON.stringify(field)}`);
}

function fieldList(fields) {
  if (fields === undefined || fields === null) return [];
  return (Array.isArray(fields) ? fields : [fields]).map(fieldName);
}

/** The platform's error value: a fetch response with the API's error body. */
function fetchError(res) {
  return { ok: false, status: res.status, statusText: res.statusText, body: res.body };
}

async function loadRecord(recordId, fields, optionalFields) {
  const params = new URLSearchParams();
  if (fields.length) params.set('fields', fields.join(','));
  if (optionalFields.length) params.set('optionalFields', optionalFields.join(','));
  const query = params.toString();
  return orgFetch(`/ui-api/records/${encodeURIComponent(recordId)}${query ? `?${query}` : ''}`);
}

export class getRecord {
  constructor(dataCallback) {
    this.dataCallback = dataCallback;
    this.config = undefined;
    this.connected = false;
    this.loadedKey = undefined;
    this.sequence = 0;
    this.dataCallback({ data: undefined, error: undefined });
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
    const id = this.config && this.config.recordId;
    return typeof id === 'string' && (ids.has(id) || ids.has(id.slice(0, 15)));
  }

  refresh() {
    return this.config ? this.load() : Promise.resolve();
  }

  async load() {
    const config = this.config || {};
    // The platform waits until a reactive recordId has a value.
    if (!config.recordId) return;
    this.loadedKey = configKey(config);
    const sequence = ++this.sequence;
    const res = await loadRecord(config.recordId, fieldList(config.fields), fieldList(config.optionalFields));
    // A newer config or refresh has started meanwhile: its answer is the one to show.
    if (sequence !== this.sequence || !this.connected) return;
    if (res.ok) this.dataCallback({ data: res.body, error: undefined });
    else this.dataCallback({ data: undefined, error: fetchError(res) });
  }
}

function fieldPath(field) {
  // 'Account.Owner.Name' -> ['Owner', 'Name']: the first part names the object.
  return fieldName(field).split('.').slice(1);
}

function fieldNode(record, field) {
  let node = record;
  const parts = fieldPath(field);
  for (let i = 0; i < parts.length; i++) {
    const f = node && node.fields ? node.fields[parts[i]] : undefined;
    if (f === undefined) return undefined;
    if (i === parts.length - 1) return f;
    node = f.value;
  }
  return undefined;
}

export function getFieldValue(record, field) {
  const f = fieldNode(record, field);
  return f === undefined ? undefined : f.value;
}

export function getFieldDisplayValue(record, field) {
  const f = fieldNode(record, field);
  return f === undefined ? undefined : f.displayValue;
}

export function getRecordNotifyChange(items) {
  return notifyRecordUpdateAvailable(items);
}

/** Tells the wires showing these records to reload them (after a change made elsewhere). */
export function notifyRecordUpdateAvailable(items) {
  return refreshRecords((items || []).map((i) => i && i.recordId));
}

let keyPrefixes;

/** Object name of a record Id, from the org's key prefixes (describeGlobal), read once. */
async function objectOfId(recordId) {
  if (!keyPrefixes) {
    keyPrefixes = orgFetch('/sobjects').then((res) => {
      const map = new Map();
      if (res.ok) for (const o of res.body.sobjects || []) if (o.keyPrefix) map.set(o.keyPrefix, o.name);
      return map;
    });
  }
  return (await keyPrefixes).get(String(recordId).slice(0, 3));
}

/** A write error the way the platform rejects: `{ body: { message, output }, status }`. */
function writeError(res) {
  const list = Array.isArray(res.body) ? res.body : res.body ? [res.body] : [];
  const fieldErrors = {};
  const errors = [];
  for (const e of list) {
    const fields = (e && e.fields) || [];
    if (fields.length) {
      for (const f of fields)
        (fieldErrors[f] = fieldErrors[f] || []).push({
          errorCode: e.errorCode,
          message: e.message,
          field: f,
        });
    } else {
      errors.push({ errorCode: e && e.errorCode, message: e && e.message });
    }
  }
  const message = errorMessages(res.body).join(' ') || res.statusText || 'The request failed';
  return {
    ok: false,
    status: res.status,
    statusText: res.statusText,
    body: { message, statusCode: res.status, output: { errors, fieldErrors } },
  };
}

/** The record as the UI API returns it after a write, with the fields the caller sent. */
async function recordAfterWrite(apiName, id, fieldNames) {
  const fields = fieldNames.filter((f) => f !== 'Id').map((f) => `${apiName}.${f}`);
  const res = await loadRecord(id, [], fields);
  if (res.ok) return res.body;
  return { apiName, id, fields: {} };
}

export async function createRecord(recordInput) {
  const { apiName, fields = {} } = recordInput || {};
  const res = await orgFetch(`/sobjects/${encodeURIComponent(apiName)}`, { method: 'POST', body: fields });
  if (!res.ok) throw writeError(res);
  const id = res.body.id;
  return recordAfterWrite(apiName, id, Object.keys(fields));
}

export async function updateRecord(recordInput) {
  const { fields = {} } = recordInput || {};
  const { Id: id, ...values } = fields;
  if (!id)
    throw writeError({
      status: 400,
      statusText: 'Bad Request',
      body: [{ message: 'updateRecord needs fields.Id' }],
    });
  const apiName = await objectOfId(id);
  if (!apiName)
    throw writeError({
      status: 404,
      statusText: 'Not Found',
      body: [{ message: `No object for record ${id}` }],
    });
  const res = await orgFetch(`/sobjects/${encodeURIComponent(apiName)}/${encodeURIComponent(id)}`, {
    method: 'PATCH',
    body: values,
  });
  if (!res.ok) throw writeError(res);
  const record = await recordAfterWrite(apiName, id, Object.keys(values));
  await refreshRecords([id]);
  return record;
}

export async function deleteRecord(recordId) {
  const apiName = await objectOfId(recordId);
  if (!apiName)
    throw writeError({
      status: 404,
      statusText: 'Not Found',
      body: [{ message: `No object for record ${recordId}` }],
    });
  const res = await orgFetch(`/sobjects/${encodeURIComponent(apiName)}/${encodeURIComponent(recordId)}`, {
    method: 'DELETE',
  });
  if (!res.ok) throw writeError(res);
  await refreshRecords([recordId]);
}

/** Record-create defaults are not modelled; callers get the input back so a form can start. */
export function generateRecordInputForCreate(record) {
  return { apiName: record && record.apiName, fields: {} };
}
