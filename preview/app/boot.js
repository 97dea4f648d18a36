// Entry of the preview page: synthetic shadow first (as in Lightning Experience, so the SLDS
// classes in the widgets' templates apply), then the viewing user's session, then the shell.
import '@lwc/synthetic-shadow';
import { previewBase, setSession } from './session';

const VIEWER_KEY = 'salesops-preview-viewer';

function chosenViewer() {
  const fromUrl = new URLSearchParams(window.location.search).get('as');
  if (fromUrl) return fromUrl;
  try {
    return window.localStorage.getItem(VIEWER_KEY) || '';
  } catch {
    return '';
  }
}

function showFatal(message) {
  const box = document.createElement('div');
  box.className = 'slds-notify slds-notify_alert slds-alert_error';
  box.setAttribute('role', 'alert');
  box.dataset.previewFatal = 'true';
  box.textContent = message;
  document.body.replaceChildren(box);
}

async function main() {
  const res = await fetch(new URL('session', previewBase), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ viewer: chosenViewer() }),
  });
  const body = await res.json().catch(() => ({}));
  if (!res.ok) {
    showFatal(`The preview cannot log in: ${(body && body.message) || res.statusText}`);
    return;
  }
  try {
    window.localStorage.setItem(VIEWER_KEY, body.viewer.key);
  } catch {
    // Private windows may refuse storage; the URL still carries the viewer.
  }
  setSession(body);
  const { startShell } = await import('./shell');
  startShell();
}

main().catch((err) => showFatal(`The preview failed to start: ${err && err.message}`));
