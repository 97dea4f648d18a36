// The preview shell: a header with the pages and the "view as" switch, the current page with its
// widgets created from the project's own bundles, and the toasts the widgets raise.
import { createElement } from 'lwc';
import widgets from 'preview:widgets';
import { PAGES, pageById } from './pages';
import { onPageChange, parseHash } from './routes';
import { currentSession, orgFetch } from './session';
import { showToast } from './toasts';

const RECORD_QUERIES = {
  Account: {
    mine: 'query accounts($userId: ID) { uiapi { query { Account(where: { OwnerId: { eq: $userId } }, orderBy: { Name: { order: ASC } }, first: 25) { edges { node { Id Name { value } } } } } } }',
    any: 'query accounts { uiapi { query { Account(orderBy: { Name: { order: ASC } }, first: 25) { edges { node { Id Name { value } } } } } } }',
  },
  Opportunity: {
    mine: 'query opportunities($userId: ID) { uiapi { query { Opportunity(where: { and: [{ OwnerId: { eq: $userId } }, { IsClosed: { eq: false } }] }, orderBy: { Amount: { order: DESC } }, first: 25) { edges { node { Id Name { value } } } } } } }',
    any: 'query opportunities { uiapi { query { Opportunity(where: { IsClosed: { eq: false } }, orderBy: { Amount: { order: DESC } }, first: 25) { edges { node { Id Name { value } } } } } } }',
  },
};

let mounted = [];

function el(tag, attrs = {}, children = []) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'text') node.textContent = v;
    else if (k === 'dataset') Object.assign(node.dataset, v);
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v);
  }
  for (const c of children) if (c) node.append(c);
  return node;
}

function kebab(name) {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

function header() {
  const session = currentSession();
  const { page } = parseHash();
  const nav = el(
    'nav',
    { class: 'preview-nav', 'aria-label': 'Preview pages' },
    PAGES.map((p) =>
      el('a', {
        href: `#/${p.id}`,
        class: `slds-button slds-button_neutral${p.id === page ? ' slds-is-selected preview-nav_current' : ''}`,
        'aria-current': p.id === page ? 'page' : 'false',
        text: p.label,
      }),
    ),
  );
  const select = el(
    'select',
    {
      id: 'preview-view-as',
      class: 'slds-select',
      onchange: (e) => {
        const url = new URL(window.location.href);
        url.searchParams.set('as', e.target.value);
        window.location.assign(url.toString());
      },
    },
    session.viewers.map((v) => {
      const o = el('option', { value: v.key, text: `${v.label} (${v.username})` });
      if (v.key === session.viewer.key) o.selected = true;
      return o;
    }),
  );
  const viewAs = el('div', { class: 'slds-form-element preview-view-as' }, [
    el('label', { class: 'slds-form-element__label', for: 'preview-view-as', text: 'View as' }),
    el('div', { class: 'slds-form-element__control' }, [
      el('div', { class: 'slds-select_container' }, [select]),
    ]),
  ]);
  return el('header', { class: 'preview-header slds-global-header_container' }, [
    el('div', { class: 'preview-brand' }, [
      el('span', { class: 'slds-text-heading_small', text: 'SalesOps Companion' }),
      el('span', { class: 'slds-badge', text: 'local preview' }),
    ]),
    nav,
    viewAs,
  ]);
}

function mountWidget(container, spec, recordContext) {
  const Ctor = widgets[spec.name];
  const slot = el('div', { class: 'preview-widget slds-m-bottom_medium', dataset: { widget: spec.name } });
  container.append(slot);
  if (!Ctor) {
    slot.append(
      el('div', {
        class: 'slds-box slds-theme_shade preview-missing',
        text: `c-${kebab(spec.name)} is not in force-app yet.`,
      }),
    );
    return;
  }
  try {
    const element = createElement(`c-${kebab(spec.name)}`, { is: Ctor });
    Object.assign(element, spec.props || {}, recordContext || {});
    slot.append(element);
    mounted.push(element);
  } catch (err) {
    slot.append(
      el('div', {
        class: 'slds-box slds-theme_error',
        role: 'alert',
        text: `c-${kebab(spec.name)} failed to render: ${err && err.message}`,
      }),
    );
  }
}

async function recordChoices(objectApiName) {
  const { userId } = currentSession();
  const queries = RECORD_QUERIES[objectApiName];
  for (const [query, variables] of [
    [queries.mine, { userId }],
    [queries.any, {}],
  ]) {
    // The viewer's own records first; the second query only runs when they own none.
    // eslint-disable-next-line no-await-in-loop
    const res = await orgFetch('/graphql', { method: 'POST', body: { query, variables } });
    const edges = res.ok && res.body && res.body.data && res.body.data.uiapi.query[objectApiName].edges;
    if (edges && edges.length) return edges.map((e) => ({ id: e.node.Id, name: e.node.Name.value }));
    if (!res.ok) return [];
  }
  return [];
}

async function recordPicker(page, recordId) {
  const choices = await recordChoices(page.record);
  const id = recordId || (choices[0] && choices[0].id);
  const picker = el('div', { class: 'slds-form-element preview-record-picker' });
  if (choices.length) {
    const select = el(
      'select',
      {
        id: 'preview-record',
        class: 'slds-select',
        onchange: (e) => {
          window.location.hash = `#/${page.id}/${e.target.value}`;
        },
      },
      choices.map((c) => {
        const o = el('option', { value: c.id, text: c.name });
        if (c.id === id) o.selected = true;
        return o;
      }),
    );
    picker.append(
      el('label', { class: 'slds-form-element__label', for: 'preview-record', text: `${page.record}` }),
      el('div', { class: 'slds-form-element__control' }, [
        el('div', { class: 'slds-select_container' }, [select]),
      ]),
    );
  }
  return { id, picker };
}

async function renderPage(root) {
  for (const m of mounted) m.remove();
  mounted = [];
  const route = parseHash();
  const main = el('main', { class: 'preview-page slds-p-around_medium', id: 'preview-page' });
  root.replaceChildren(header(), main);

  if (route.page === 'widget') {
    // One widget alone, with its properties from the URL: for checking a single bundle.
    main.dataset.page = 'widget';
    const grid = el('div', { class: 'preview-region' });
    main.append(grid);
    mountWidget(grid, { name: route.id, props: route.state });
    return;
  }

  const page = pageById(route.page) || pageById('home');
  main.dataset.page = page.id;
  const titleText = page.title || page.label;
  const title = el('h1', { class: 'slds-text-heading_medium slds-m-bottom_small', text: titleText });
  main.append(title);

  let recordContext;
  if (page.record) {
    const { id, picker } = await recordPicker(page, route.id);
    main.append(picker);
    if (!id) {
      main.append(
        el('div', { class: 'slds-box slds-theme_shade', text: `No ${page.record} is visible to this user.` }),
      );
      return;
    }
    main.dataset.recordId = id;
    recordContext = { recordId: id, objectApiName: page.record };
  }

  const grid = el('div', { class: 'slds-grid slds-wrap slds-gutters' });
  main.append(grid);
  for (const region of page.regions) {
    const col = el('div', {
      class: `slds-col slds-size_1-of-1 slds-large-size_${region.size}-of-12 preview-region`,
      dataset: { region: region.name },
    });
    grid.append(col);
    for (const spec of region.widgets) mountWidget(col, spec, recordContext);
  }
}

export function startShell() {
  const root = document.getElementById('preview-root');
  window.addEventListener('lightning__showtoast', (e) => showToast(e.detail || {}));
  const render = () =>
    renderPage(root).catch((err) =>
      showToast({ title: 'Page failed', message: String(err && err.message), variant: 'error' }),
    );
  onPageChange(render);
  render();
}
