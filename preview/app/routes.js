// Page references <-> the preview's hash URLs. The shell and the navigation shim share this, so a
// widget's NavigationMixin call lands on the same page a user would reach from the page menu.

const OBJECT_PAGES = { Account: 'account', Opportunity: 'opportunity' };
const NAV_ITEMS = { team: 'SalesOps_Team', ops: 'SalesOps_Ops_Console' };

/** `#/account/001…?x=y` -> { page: 'account', id: '001…', state: { x: 'y' } } */
export function parseHash(hash = window.location.hash) {
  const [pathPart, queryPart] = hash.replace(/^#\/?/, '').split('?');
  const [page = 'home', id] = pathPart.split('/').filter(Boolean).map(decodeURIComponent);
  const state = Object.fromEntries(new URLSearchParams(queryPart || ''));
  return { page, id, state };
}

export function currentPageReference() {
  const { page, id, state } = parseHash();
  if (page === 'account' || page === 'opportunity' || page === 'record') {
    const objectApiName = Object.keys(OBJECT_PAGES).find((k) => OBJECT_PAGES[k] === page);
    return {
      type: 'standard__recordPage',
      attributes: { recordId: id, objectApiName, actionName: 'view' },
      state,
    };
  }
  if (page === 'team' || page === 'ops') {
    return { type: 'standard__navItemPage', attributes: { apiName: NAV_ITEMS[page] }, state };
  }
  if (page === 'widget') return { type: 'preview__widget', attributes: { name: id }, state };
  return { type: 'standard__namedPage', attributes: { pageName: 'home' }, state };
}

function withState(path, state) {
  const query = new URLSearchParams(state || {}).toString();
  return query ? `${path}?${query}` : path;
}

/** The preview URL (a hash) of a page reference, or null when the preview has no such page. */
export function pageUrl(ref) {
  const a = (ref && ref.attributes) || {};
  switch (ref && ref.type) {
    case 'standard__recordPage': {
      const page = OBJECT_PAGES[a.objectApiName] || 'record';
      return withState(`#/${page}/${encodeURIComponent(a.recordId)}`, ref.state);
    }
    case 'standard__namedPage':
      return a.pageName === 'home' ? '#/home' : null;
    case 'standard__navItemPage': {
      const page = Object.keys(NAV_ITEMS).find((k) => NAV_ITEMS[k] === a.apiName);
      return page ? withState(`#/${page}`, ref.state) : null;
    }
    case 'preview__widget':
      return withState(`#/widget/${encodeURIComponent(a.name)}`, ref.state);
    default:
      return null;
  }
}

/** Navigates, or tells the user (a toast) that the page is outside what the preview shows. */
export function navigateTo(ref, replace) {
  const url = pageUrl(ref);
  if (!url) {
    window.dispatchEvent(
      new CustomEvent('lightning__showtoast', {
        detail: {
          title: 'Not in the preview',
          message: `The preview has no page for ${JSON.stringify(ref)}`,
          variant: 'warning',
        },
      }),
    );
    return;
  }
  if (replace) window.location.replace(url);
  else window.location.hash = url;
}

export function onPageChange(listener) {
  window.addEventListener('hashchange', listener);
  return () => window.removeEventListener('hashchange', listener);
}
