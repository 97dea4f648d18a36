// The preview's pages follow the project's flexipages (force-app/main/default/flexipages, compiled
// in as `preview:flexipages`): the same widgets, in the same order, with the same properties.
// Record pages hand each widget `recordId` and `objectApiName`, as a record page does. The list
// below only says which flexipage (or which tab of the console) each preview page shows; the
// fallback widgets are used while a flexipage does not exist.
import flexipages from 'preview:flexipages';

const SOURCES = [
  {
    id: 'home',
    label: 'Home',
    title: 'Home',
    flexipage: 'SalesOps_Home_Page',
    fallback: [['repCoverage'], ['commissionStatement'], ['kpiTiles', { scopeType: 'rep' }]],
  },
  {
    id: 'account',
    label: 'Account',
    record: 'Account',
    flexipage: 'SalesOps_Account_Record_Page',
    fallback: [['repCoverage']],
  },
  {
    id: 'opportunity',
    label: 'Opportunity',
    record: 'Opportunity',
    flexipage: 'SalesOps_Opportunity_Record_Page',
    fallback: [['opportunityCommission']],
  },
  {
    id: 'team',
    label: 'Team',
    title: "Manager's team view",
    flexipage: 'SalesOps_Console',
    facet: 'managerTabContent',
    fallback: [['forecastSummary'], ['territoryChangeApprovals'], ['kpiTiles', { scopeType: 'team' }]],
  },
  {
    id: 'ops',
    label: 'Ops console',
    title: 'Ops console',
    flexipage: 'SalesOps_Console',
    facet: 'opsTabContent',
    fallback: [['salesOpsJobs'], ['kpiTiles', { scopeType: 'org' }]],
  },
];

/** Regions of the page: the flexipage's `sidebar` region on the right, everything else on the left. */
function regionsOf(source) {
  const layout = flexipages[source.flexipage];
  if (!layout) {
    return [{ name: 'main', size: 12, widgets: source.fallback.map(([name, props]) => ({ name, props })) }];
  }
  const regions = layout.regions.filter((r) => {
    if (source.facet) return r.name === source.facet;
    return r.type === 'Region';
  });
  const toWidgets = (list) => list.flatMap((r) => r.components);
  const side = regions.filter((r) => r.name === 'sidebar');
  const main = regions.filter((r) => r.name !== 'sidebar');
  const out = [];
  if (toWidgets(main).length)
    out.push({ name: 'main', size: side.length ? 8 : 12, widgets: toWidgets(main) });
  if (toWidgets(side).length) out.push({ name: 'sidebar', size: 4, widgets: toWidgets(side) });
  return out;
}

export const PAGES = SOURCES.map((source) => ({ ...source, regions: regionsOf(source) }));

export function pageById(id) {
  return PAGES.find((p) => p.id === id);
}
