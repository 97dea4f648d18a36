// The preview's pages, placed like the flexipages place the widgets (force-app/main/default/
// flexipages; a test checks that every widget a flexipage places is on the matching page here).
// Record pages hand each widget `recordId` and `objectApiName`, as a record page does.

export const PAGES = [
  {
    id: 'home',
    label: 'Home',
    title: 'Home',
    flexipageType: 'HomePage',
    regions: [
      { name: 'main', size: 8, widgets: [{ name: 'repCoverage' }, { name: 'commissionStatement' }] },
      { name: 'sidebar', size: 4, widgets: [{ name: 'kpiTiles', props: { scopeType: 'rep' } }] },
    ],
  },
  {
    id: 'account',
    label: 'Account',
    record: 'Account',
    flexipageType: 'RecordPage',
    regions: [{ name: 'main', size: 12, widgets: [{ name: 'repCoverage' }] }],
  },
  {
    id: 'opportunity',
    label: 'Opportunity',
    record: 'Opportunity',
    flexipageType: 'RecordPage',
    regions: [{ name: 'main', size: 12, widgets: [{ name: 'opportunityCommission' }] }],
  },
  {
    id: 'team',
    label: 'Team',
    title: "Manager's team view",
    flexipageType: 'AppPage',
    regions: [
      { name: 'main', size: 8, widgets: [{ name: 'forecastSummary' }, { name: 'territoryChangeApprovals' }] },
      { name: 'sidebar', size: 4, widgets: [{ name: 'kpiTiles', props: { scopeType: 'team' } }] },
    ],
  },
  {
    id: 'ops',
    label: 'Ops console',
    title: 'Ops console',
    flexipageType: 'AppPage',
    regions: [
      { name: 'main', size: 8, widgets: [{ name: 'salesOpsJobs' }] },
      { name: 'sidebar', size: 4, widgets: [{ name: 'kpiTiles', props: { scopeType: 'org' } }] },
    ],
  },
];

export function pageById(id) {
  return PAGES.find((p) => p.id === id);
}
