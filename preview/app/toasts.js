// Toasts raised by ShowToastEvent, in SLDS markup. Sticky ones stay until closed; others go after
// a few seconds as on the platform ('dismissible' is the platform's default mode).

function region() {
  let r = document.getElementById('preview-toasts');
  if (!r) {
    r = document.createElement('div');
    r.id = 'preview-toasts';
    r.className = 'slds-notify_container preview-toasts';
    r.setAttribute('role', 'status');
    r.setAttribute('aria-live', 'polite');
    document.body.append(r);
  }
  return r;
}

function fill(template, data) {
  if (!Array.isArray(data)) return template || '';
  return (template || '').replace(/\{(\d+)\}/g, (m, i) => {
    const d = data[Number(i)];
    if (d === undefined) return m;
    return typeof d === 'object' ? d.label || d.url || '' : String(d);
  });
}

export function showToast({ title, message, messageData, variant = 'info', mode = 'dismissible' }) {
  const theme = ['success', 'warning', 'error', 'info'].includes(variant) ? variant : 'info';
  const toast = document.createElement('div');
  toast.className = `slds-notify slds-notify_toast slds-theme_${theme}`;
  toast.dataset.variant = theme;
  toast.setAttribute('role', theme === 'error' ? 'alert' : 'status');
  const body = document.createElement('div');
  body.className = 'slds-notify__content';
  const h = document.createElement('h2');
  h.className = 'slds-text-heading_small';
  h.textContent = fill(title, messageData);
  body.append(h);
  if (message) {
    const p = document.createElement('p');
    p.textContent = fill(message, messageData);
    body.append(p);
  }
  const close = document.createElement('button');
  close.className = 'slds-button slds-button_icon slds-notify__close slds-button_icon-inverse';
  close.type = 'button';
  close.textContent = '×';
  close.setAttribute('aria-label', 'Close');
  close.addEventListener('click', () => toast.remove());
  toast.append(body, close);
  region().append(toast);
  if (mode !== 'sticky') setTimeout(() => toast.remove(), mode === 'pester' ? 3000 : 8000);
}
