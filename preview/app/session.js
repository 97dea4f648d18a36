// The viewing user's session: who is looking, and their token for the embedded org's API.
// The preview server logs the demo user in and proxies /preview/org/* to the org, so the page
// talks to the org with that user's token and sees exactly what the user may see.

let current;

/** Base URL of the preview (the folder index.html is served from). */
export const previewBase = new URL('.', document.baseURI);

export function setSession(session) {
  current = session;
}

export function currentSession() {
  if (!current) throw new Error('The preview session has not started');
  return current;
}

/**
 * Calls the org's REST API (`/services/data/vXX.X` + path) as the viewing user. Resolves to a
 * fetch-like response `{ ok, status, statusText, body }` with the JSON body parsed; never throws for
 * HTTP errors, so callers can shape errors the way the platform's adapters do.
 */
export async function orgFetch(path, { method = 'GET', body } = {}) {
  const s = currentSession();
  const url = new URL(`org/services/data/v${s.apiVersion}${path}`, previewBase);
  const headers = { Authorization: `Bearer ${s.accessToken}`, Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let res;
  try {
    res = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (err) {
    return {
      ok: false,
      status: 0,
      statusText: 'Network error',
      body: { message: String(err && err.message) },
    };
  }
  const text = await res.text();
  let parsed = null;
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = { message: text };
    }
  }
  return { ok: res.ok, status: res.status, statusText: res.statusText, body: parsed };
}

/** The messages of a REST or UI API error body (an array of `{message}` or one object). */
export function errorMessages(body) {
  if (Array.isArray(body)) return body.map((e) => (e && e.message) || String(e));
  if (body && typeof body.message === 'string') return [body.message];
  return [];
}
