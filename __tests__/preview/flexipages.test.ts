import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readFlexipages } from '../../server/src/preview/flexipages';

// The preview places widgets where the flexipages do; this reads the placement out of the XML.
describe('readFlexipages', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'flexipages-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps regions in file order with only the project’s components and their typed properties', () => {
    writeFileSync(
      path.join(dir, 'Console.flexipage-meta.xml'),
      `<?xml version="1.0" encoding="UTF-8" ?>
<FlexiPage xmlns="http://soap.sforce.com/2006/04/metadata">
  <flexiPageRegions>
    <itemInstances>
      <componentInstance>
        <componentInstanceProperties><name>scopeType</name><value>team</value></componentInstanceProperties>
        <componentInstanceProperties><name>rowCount</name><value>50</value></componentInstanceProperties>
        <componentInstanceProperties><name>compact</name><value>true</value></componentInstanceProperties>
        <componentInstanceProperties><name>kpiIds</name><value>007,win_rate</value></componentInstanceProperties>
        <componentName>c:kpiTiles</componentName>
        <identifier>c_kpiTiles</identifier>
      </componentInstance>
    </itemInstances>
    <itemInstances>
      <componentInstance>
        <componentName>force:highlightsPanel</componentName>
      </componentInstance>
    </itemInstances>
    <name>managerTabContent</name>
    <type>Facet</type>
  </flexiPageRegions>
  <flexiPageRegions>
    <itemInstances>
      <componentInstance>
        <componentName>c:salesOpsJobs</componentName>
      </componentInstance>
    </itemInstances>
    <name>sidebar</name>
    <type>Region</type>
  </flexiPageRegions>
  <sobjectType>Account</sobjectType>
  <type>RecordPage</type>
</FlexiPage>`,
    );
    writeFileSync(path.join(dir, 'notes.txt'), 'not a flexipage');
    expect(readFlexipages(dir)).toEqual({
      Console: {
        type: 'RecordPage',
        sobjectType: 'Account',
        regions: [
          {
            name: 'managerTabContent',
            type: 'Facet',
            components: [
              {
                name: 'kpiTiles',
                props: { scopeType: 'team', rowCount: 50, compact: true, kpiIds: '007,win_rate' },
              },
            ],
          },
          { name: 'sidebar', type: 'Region', components: [{ name: 'salesOpsJobs', props: {} }] },
        ],
      },
    });
  });

  it('a missing folder gives no pages', () => {
    expect(readFlexipages(path.join(dir, 'absent'))).toEqual({});
  });
});
