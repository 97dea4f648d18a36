import fs from 'node:fs';
import path from 'node:path';
import type { ForecastRow, KpiRow } from '../../server/src/domain';
import type { CrmApi } from '../../server/src/crm/api-client';
import { SYNC_CATALOG, type TypedColumn } from '../../server/src/crm/sync-catalog';
import { OrgJobRecorder } from '../../server/src/crm/writeback/job-record';
import { commissionRecords } from '../../server/src/crm/writeback/maps/commission';
import { forecastRecords } from '../../server/src/crm/writeback/maps/forecast';
import { kpiRecords } from '../../server/src/crm/writeback/maps/kpi';
import { changeRequestRecords, territoryRecords } from '../../server/src/crm/writeback/maps/territory';
import type { CommissionLineRow, CommissionStatementRow } from '../../server/src/domain/commission/types';
import { KpiDefinitionSchema } from '../../server/src/domain/kpi/config';
import { COMMISSION_LINE_TYPES, CREDIT_ROLES } from '../../server/src/domain/snapshot/schema-commission';
import { DECIDED_BY } from '../../server/src/domain/territory/assign-accounts';
import { MODEL_STATES } from '../../server/src/domain/territory/config';
import type { AssignmentRow, TerritoryRow } from '../../server/src/domain/territory/rows';
import { readCrmObjectsDoc, type DocObject } from '../../scripts/metadata/crm-objects-doc';
import type { MetadataIndex } from '../../scripts/metadata/metadata-index';
import { recordProblems, writtenFields } from '../../scripts/metadata/record-contract';
import { validateMetadata } from '../../scripts/metadata/validate-metadata';
import { all, elements, isTrue, text, type Xml } from '../../scripts/metadata/xml';

const ROOT = path.resolve(__dirname, '..', '..');
const DOC = readCrmObjectsDoc(path.join(ROOT, 'docs', 'crm-objects.md'));
const MAPS_DIR = path.join(ROOT, 'server', 'src', 'crm', 'writeback', 'maps');

let index: MetadataIndex;
let integration: Xml;

beforeAll(async () => {
  const report = await validateMetadata({ projectDir: ROOT, convert: false });
  if (!report.index) throw new Error(`metadata does not resolve: ${JSON.stringify(report.problems)}`);
  index = report.index;
  const ps = index.byType('PermissionSet').find((c) => c.fullName === 'SalesOps_Integration');
  if (!ps?.doc) throw new Error('SalesOps_Integration permission set is missing');
  integration = ps.doc.body;
});

const docObjects = [...DOC.values()];
const resultObjects = docObjects.filter((o) => o.result && o.name.endsWith('__c'));
const documentedFields = docObjects.flatMap((o) => o.fields.map((f) => [`${o.name}.${f.name}`, f] as const));

function fieldPermission(ps: Xml, ref: string): { readable: boolean; editable: boolean } {
  const fp = elements(ps, 'fieldPermissions').find(
    (f) => text(f, 'field')?.toLowerCase() === ref.toLowerCase(),
  );
  return { readable: fp ? isTrue(fp, 'readable') : false, editable: fp ? isTrue(fp, 'editable') : false };
}

function objectPermission(ps: Xml, object: string): Record<string, boolean> {
  const op = elements(ps, 'objectPermissions').find((o) => text(o, 'object') === object);
  const flags = [
    'allowCreate',
    'allowRead',
    'allowEdit',
    'allowDelete',
    'viewAllRecords',
    'modifyAllRecords',
  ];
  return Object.fromEntries(flags.map((f) => [f, op ? isTrue(op, f) : false]));
}

describe('docs/crm-objects.md and the metadata agree', () => {
  it('the page describes every object issue #7 adds', () => {
    expect(resultObjects.map((o) => o.name).sort()).toEqual([
      'Commission_Line__c',
      'Commission_Statement__c',
      'Forecast_Snapshot__c',
      'Sales_KPI__c',
      'Sales_Territory__c',
      'Territory_Assignment__c',
    ]);
    expect(documentedFields.length).toBeGreaterThan(150);
  });

  it.each(documentedFields)('%s exists with the documented type', (ref, doc) => {
    const [object, name] = ref.split('.');
    const field = index.field(object, name);
    expect(field).toBeDefined();
    if (!field) return;
    const actual: Record<string, unknown> = { type: field.type };
    const expected: Record<string, unknown> = { type: doc.type };
    if (doc.length !== undefined) [actual.length, expected.length] = [field.length, doc.length];
    if (doc.precision !== undefined) {
      [actual.precision, expected.precision] = [field.precision, doc.precision];
      [actual.scale, expected.scale] = [field.scale, doc.scale];
    }
    if (doc.referenceTo) [actual.referenceTo, expected.referenceTo] = [field.referenceTo, [doc.referenceTo]];
    if (doc.externalId) [actual.externalId, expected.externalId] = [field.externalId, true];
    if (doc.unique) [actual.unique, expected.unique] = [field.unique, true];
    if (doc.values) [actual.values, expected.values] = [field.picklistValues, doc.values];
    expect(actual).toEqual(expected);
  });

  it.each(docObjects.filter((o) => o.fields.length > 0 && o.name.endsWith('__c')))(
    'every custom field of $name in the metadata is on the page',
    (doc: DocObject) => {
      const object = index.object(doc.name);
      const inMetadata = [...(object?.fields.values() ?? [])].filter((f) => f.custom).map((f) => f.name);
      expect(inMetadata.sort()).toEqual(doc.fields.map((f) => f.name).sort());
    },
  );

  it.each(resultObjects)('$name has the documented sharing model and name field', (doc: DocObject) => {
    const x = index.object(doc.name)?.component?.doc?.body ?? {};
    const nameField = elements(x, 'nameField')[0];
    expect({
      sharingModel: text(x, 'sharingModel'),
      nameType: text(nameField, 'type'),
      displayFormat: text(nameField, 'displayFormat'),
    }).toEqual({
      sharingModel: doc.sharingModel,
      nameType: doc.nameField?.type,
      displayFormat: doc.nameField?.displayFormat,
    });
  });

  it.each([...resultObjects.map((o) => o.name), 'Territory_Change_Request__c', 'SalesOps_Job__c'])(
    '%s has a unique, case-sensitive external id External_Key__c (Text 255)',
    (object) => {
      const f = index.field(object, 'External_Key__c');
      expect(
        f && {
          type: f.type,
          length: f.length,
          externalId: f.externalId,
          unique: f.unique,
          caseSensitive: f.caseSensitive,
        },
      ).toEqual({
        type: 'Text',
        length: 255,
        externalId: true,
        unique: true,
        caseSensitive: true,
      });
    },
  );

  it('money is Currency(18,2) and lookups are optional with SetNull, as the conventions say', () => {
    const fields = documentedFields.map(([ref]) => ref.split('.')).map(([o, f]) => index.field(o, f)!);
    const money = fields.filter((f) => f.type === 'Currency');
    expect(
      money.filter((f) => f.precision !== 18 || f.scale !== 2).map((f) => `${f.object}.${f.name}`),
    ).toEqual([]);
    const lookups = fields.filter((f) => f.type === 'Lookup');
    const badLookups = lookups.filter((f) => {
      const x = f.component?.doc?.body ?? {};
      return f.required || text(x, 'deleteConstraint') !== 'SetNull';
    });
    expect(badLookups.map((f) => `${f.object}.${f.name}`)).toEqual([]);
    expect(lookups.length).toBeGreaterThan(15);
  });
});

/** The field types a typed store column can be filled from. */
const TYPED_COMPATIBLE: Record<TypedColumn, string[]> = {
  ownerId: ['Lookup', 'MasterDetail'],
  parentId: ['Lookup', 'MasterDetail'],
  accountId: ['Lookup', 'MasterDetail'],
  name: ['Text', 'AutoNumber'],
  amount: ['Currency', 'Number'],
  closeDate: ['Date'],
  stage: ['Picklist', 'Text'],
  category: ['Picklist', 'Text'],
  isClosed: ['Checkbox'],
  isWon: ['Checkbox'],
  currency: ['Picklist'],
};

describe('every field the sync reads', () => {
  const customReads = SYNC_CATALOG.flatMap((e) =>
    e.fields.filter((f) => f.endsWith('__c')).map((f) => [e.object, f] as const),
  );

  it('reads custom fields of the project objects', () => {
    expect(customReads.length).toBeGreaterThan(20);
  });

  it.each(customReads)('%s.%s exists and SalesOps_Integration may read it', (object, field) => {
    const info = index.field(object, field);
    expect(info).toBeDefined();
    // Required fields carry no field permissions: everyone with object access reads them.
    if (!info?.required) expect(fieldPermission(integration, `${object}.${field}`).readable).toBe(true);
  });

  it.each(SYNC_CATALOG.filter((e) => e.object.endsWith('__c')))(
    'typed columns of $object come from fields of a compatible type',
    (entry) => {
      for (const [column, field] of Object.entries(entry.typed) as [TypedColumn, string][]) {
        if (!field.endsWith('__c')) continue;
        const type = index.field(entry.object, field)?.type;
        expect({ column, field, type, ok: TYPED_COMPATIBLE[column].includes(type ?? '') }).toMatchObject({
          ok: true,
        });
      }
    },
  );

  it.each(
    SYNC_CATALOG.map((e) => e.object).filter(
      (o) => o.endsWith('__c') || ['Account', 'Opportunity', 'Product2'].includes(o),
    ),
  )('SalesOps_Integration reads every %s record', (object) => {
    const p = objectPermission(integration, object);
    expect({ read: p.allowRead, viewAll: p.viewAllRecords }).toEqual({ read: true, viewAll: true });
  });
});

const REP = '005000000000001AAA';
const MANAGER = '005000000000002AAA';

const forecastRow = (over: Partial<ForecastRow>): ForecastRow => ({
  externalKey: 'FS|2026-04-06|Opportunity Revenue|FY2026-Q2|user:005000000000001AAA||commit',
  snapshotDate: '2026-04-06',
  asOf: '2026-04-08',
  forecastType: 'Opportunity Revenue',
  periodType: 'quarter',
  periodKey: 'FY2026-Q2',
  periodStart: '2026-04-01',
  periodEnd: '2026-06-30',
  ownerType: 'user',
  ownerId: REP,
  viaRoleId: null,
  parentKey: `user:${MANAGER}`,
  productFamily: null,
  category: 'commit',
  unit: 'currency',
  currency: 'USD',
  amountUnadjusted: '120000.125',
  amountOwnerAdjusted: '125000',
  amountAdjusted: '130000.5',
  entryCount: 4,
  quota: '100000',
  quotaSource: 'own',
  attainment: '1.3000',
  definitionVersion: 'forecast@2026-11',
  ...over,
});

const kpiRow = (over: Partial<KpiRow>): KpiRow => ({
  externalKey: `KPI|win_rate_count|v1|FY2026-M04|rep:${REP}|-`,
  asOf: '2026-04-30',
  definitionsVersion: '2026.1',
  kpiId: 'win_rate_count',
  kpiVersion: 1,
  label: 'Win rate (count)',
  unit: 'ratio',
  currency: null,
  periodType: 'month',
  periodKey: 'FY2026-M04',
  periodStart: '2026-04-01',
  periodEnd: '2026-04-30',
  periodComplete: true,
  scopeType: 'rep',
  scopeId: REP,
  dimension: null,
  value: '0.33333333',
  numerator: '1',
  denominator: '3',
  ...over,
});

/** What the write-back maps produce for representative rows of each engine that has a map today. */
function sampleResultSets() {
  return [
    ...forecastRecords({
      snapshotDate: '2026-04-06',
      rows: [
        forecastRow({}),
        forecastRow({
          externalKey: 'FS|t',
          ownerType: 'territory',
          ownerId: 'EMEA-DACH',
          parentKey: 'org',
          category: 'closed',
        }),
        forecastRow({
          externalKey: 'FS|o',
          ownerType: 'org',
          ownerId: 'org',
          parentKey: null,
          quota: null,
          attainment: null,
          quotaSource: null,
        }),
        forecastRow({
          externalKey: 'FS|q',
          unit: 'quantity',
          currency: null,
          productFamily: 'Hardware',
          periodType: 'week',
        }),
      ],
      traces: [],
      territoryManagers: new Map([['EMEA-DACH', MANAGER]]),
    }),
    ...kpiRecords({
      rows: [
        kpiRow({}),
        kpiRow({
          externalKey: 'KPI|a',
          kpiId: 'average_deal_size',
          unit: 'currency',
          currency: 'EUR',
          value: '45210.123456',
          scopeType: 'org',
          scopeId: 'org',
        }),
        kpiRow({
          externalKey: 'KPI|d',
          kpiId: 'days_in_stage',
          unit: 'days',
          dimension: 'Negotiation',
          scopeType: 'manager',
          scopeId: MANAGER,
        }),
        kpiRow({
          externalKey: 'KPI|v',
          kpiId: 'sales_velocity',
          unit: 'currencyPerDay',
          value: null,
          numerator: null,
          denominator: '0',
          scopeType: 'territory',
          scopeId: 'EMEA',
        }),
      ],
      traces: [],
    }),
  ];
}

const ACCOUNT = '001000000000001AAA';
const OPPORTUNITY = '006000000000001AAA';

const territoryRow = (over: Partial<TerritoryRow>): TerritoryRow => ({
  externalKey: 'TERR|FY26|EMEA-DACH',
  modelKey: 'FY26',
  modelState: 'Active',
  territoryKey: 'EMEA-DACH',
  name: 'DACH',
  typeName: 'Geo',
  typePriority: 10,
  parentKey: 'EMEA',
  parentExternalKey: 'TERR|FY26|EMEA',
  ownerUserId: MANAGER,
  members: [{ userId: REP, name: 'Rita Rep', role: 'Owner' }],
  figures: {
    accountCount: 42,
    openPipeline: '1250000.5',
    closedWon: '800000',
    quota: '1000000',
    coverageRatio: '3.13',
  },
  currency: 'EUR',
  effectiveStart: '2026-02-01',
  effectiveEnd: null,
  asOf: '2026-11-27',
  trace: ['DACH: accounts with BillingCountry in (DE, AT, CH).', 'rule r1 matched 42 accounts'],
  ...over,
});

const assignmentRow = (over: Partial<AssignmentRow>): AssignmentRow => ({
  externalKey: `TA|FY26|${ACCOUNT}|EMEA-DACH|2026-02-01`,
  modelKey: 'FY26',
  assignmentType: 'Account',
  accountId: ACCOUNT,
  opportunityId: null,
  territoryKey: 'EMEA-DACH',
  territoryExternalKey: 'TERR|FY26|EMEA-DACH',
  effectiveStart: '2026-02-01',
  effectiveEnd: null,
  isCurrent: true,
  ruleMatched: 'r1: BillingCountry in (DE, AT, CH)',
  decidedBy: 'Tie-Break',
  trace: ['2 rules matched; the tie-break decided.'],
  ...over,
});

const statementRow: CommissionStatementRow = {
  externalKey: `CS|${REP}|FY2026-Q2`,
  repId: REP,
  repName: 'Rita Rep',
  planKey: 'ae-2026',
  planVersion: 3,
  periodKey: 'FY2026-Q2',
  periodStart: '2026-04-01',
  periodEnd: '2026-06-30',
  periodStatus: 'Open',
  currency: 'USD',
  earned: '4800.00',
  payable: '4000.00',
  paidToDate: '12000.00',
  held: '800.00',
  draw: '0.00',
  drawRecovered: '0.00',
  adjustments: '-150.25',
  clawbacks: '-500.00',
  credited: '60000.00',
  quota: '50000.00',
  attainment: '1.2000',
  attainmentBasis: 'Year to date',
  tierReached: 'Tier 2: 100–150%',
  tierThresholds: '0,100,150',
  projectedCommit: '1200.00',
  projectedBestCase: '2400.00',
  projectedPipeline: '3600.00',
  lineCount: 2,
  asOf: '2026-05-15',
  trace: 'Rita Rep earned $4,800.00 in FY2026-Q2.\n2 lines',
};

const lineRow = (over: Partial<CommissionLineRow>): CommissionLineRow => ({
  externalKey: `CL|${REP}|FY2026-Q2|deal|${OPPORTUNITY}|1`,
  statementKey: statementRow.externalKey,
  repId: REP,
  periodKey: 'FY2026-Q2',
  lineType: 'Commission',
  opportunityId: OPPORTUNITY,
  creditDate: '2026-05-10',
  creditRole: 'Revenue Split',
  splitPercent: '50',
  creditedAmount: '60000.00',
  ratePercent: '8.0000',
  tier: 'Tier 2: 100–150%',
  amount: '4800.00',
  payable: '4000.00',
  currency: 'USD',
  holdReason: 'awaiting payment',
  forecastCategory: null,
  originalLineKey: null,
  reason: null,
  planKey: 'ae-2026',
  planVersion: 3,
  trace: '$120,000.00 × 50% split × 8% (tier 2: 100–150% attainment) = $4,800.00',
  traceInputs: { amount: '120000.00' },
  ...over,
});

/** What the territory and commission maps produce for representative rows. */
function moreSampleResultSets() {
  return [
    ...territoryRecords({
      territoryRows: [
        territoryRow({
          externalKey: 'TERR|FY26|EMEA',
          territoryKey: 'EMEA',
          name: 'EMEA',
          parentKey: null,
          parentExternalKey: null,
        }),
        territoryRow({}),
        territoryRow({
          externalKey: 'TERR|FY25|EMEA',
          modelKey: 'FY25',
          modelState: 'Archived',
          figures: null,
        }),
        territoryRow({
          externalKey: 'TERR|FY26|EMEA-NORDICS',
          figures: { accountCount: 0, openPipeline: '0', closedWon: '0', quota: '0', coverageRatio: null },
        }),
      ],
      assignmentRows: [
        assignmentRow({}),
        assignmentRow({
          externalKey: `TA|FY26|${OPPORTUNITY}|EMEA|2026-03-01`,
          assignmentType: 'Opportunity',
          opportunityId: OPPORTUNITY,
          territoryKey: 'EMEA',
          territoryExternalKey: null,
          effectiveEnd: '2026-03-31',
          isCurrent: false,
          ruleMatched: null,
          decidedBy: 'Account Territory',
        }),
      ],
      accountTerritories: [
        { accountId: ACCOUNT, territoryExternalKey: 'TERR|FY26|EMEA-DACH' },
        { accountId: '001000000000002AAA', territoryExternalKey: null },
      ],
    }),
    ...changeRequestRecords([
      {
        externalKey: `TCR|FY26|${ACCOUNT}|2026-12-01`,
        accountId: ACCOUNT,
        fromTerritoryKey: 'EMEA-DACH',
        toTerritoryKey: 'EMEA-NORDICS',
        fromTerritoryExternalKey: 'TERR|FY26|EMEA-DACH',
        toTerritoryExternalKey: 'TERR|FY26|EMEA-NORDICS',
        effectiveDate: '2026-12-01',
        reason: 'Balance coverage: DACH 3.1×, Nordics 0.4×',
        source: 'Balancing',
        pipelineMoved: '125000.5',
        quotaMoved: '40000',
        impactSummary: 'EMEA-DACH: −1 account, −125,000.50 pipeline',
        currency: 'EUR',
      },
    ]),
    ...commissionRecords({
      statements: [
        statementRow,
        {
          ...statementRow,
          externalKey: `CS|${REP}|FY2026-Q1`,
          planKey: null,
          planVersion: null,
          quota: null,
          attainment: null,
          tierReached: null,
          tierThresholds: null,
        },
      ],
      lines: [
        lineRow({}),
        lineRow({
          externalKey: 'CL|c',
          lineType: 'Clawback',
          amount: '-500.00',
          payable: '-500.00',
          originalLineKey: 'CL|x',
          reason: 'deal cancelled',
          creditRole: null,
          splitPercent: null,
          ratePercent: null,
        }),
        lineRow({ externalKey: 'CL|o', creditRole: 'Overlay', splitPercent: '1000' }),
        lineRow({
          externalKey: 'CL|p',
          lineType: 'Projected',
          forecastCategory: 'Commit',
          opportunityId: null,
          creditDate: null,
        }),
      ],
    }),
  ];
}

/**
 * Fields a helper declared as written (`export const WRITTEN_FIELDS`) in a write-back map, as
 * `Object.Field` — either a list of those or a record of object → field names.
 */
function declaredWrittenFields(): string[] {
  if (!fs.existsSync(MAPS_DIR)) return [];
  const out: string[] = [];
  for (const file of fs.readdirSync(MAPS_DIR).filter((f) => f.endsWith('.ts'))) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const declared = (require(path.join(MAPS_DIR, file)) as { WRITTEN_FIELDS?: unknown }).WRITTEN_FIELDS;
    if (Array.isArray(declared)) out.push(...declared.map(String));
    else if (declared && typeof declared === 'object') {
      for (const [object, fields] of Object.entries(declared))
        out.push(
          ...all({ f: fields }, 'f')
            .flat()
            .map((f) => `${object}.${String(f)}`),
        );
    }
  }
  return out;
}

describe('every field the write-back writes', () => {
  // Until every map declares what it writes, the page is the list: all fields of the result objects and
  // the territory on Account, plus what the server writes on change requests and jobs.
  const fromDoc = [
    ...resultObjects.flatMap((o) => o.fields.map((f) => `${o.name}.${f.name}`)),
    'Account.Sales_Territory__c',
    ...[
      'Status__c',
      'Applied_At__c',
      'Error__c',
      'Outcome__c',
      'Source__c',
      'Accounts_Moved__c',
      'Pipeline_Moved__c',
    ]
      .concat([
        'Quota_Moved__c',
        'Impact_Summary__c',
        'From_Territory__c',
        'To_Territory__c',
        'External_Key__c',
      ])
      .map((f) => `Territory_Change_Request__c.${f}`),
    ...(DOC.get('SalesOps_Job__c')?.fields ?? []).map((f) => `SalesOps_Job__c.${f.name}`),
  ];
  const fromMaps = () =>
    sampleResultSets().flatMap((set) =>
      set.records.flatMap((r) => writtenFields(r).map((f) => `${set.sobject}.${f}`)),
    );

  it('the maps write only documented fields', () => {
    expect([...new Set(fromMaps())].filter((f) => !fromDoc.includes(f))).toEqual([]);
  });

  it.each([...new Set(fromDoc)].filter((f) => !f.endsWith('.Type__c')))(
    'SalesOps_Integration may edit %s',
    (ref) => {
      expect(fieldPermission(integration, ref)).toEqual({ readable: true, editable: true });
    },
  );

  it('fields declared in the maps (WRITTEN_FIELDS) exist and SalesOps_Integration may edit them', () => {
    const declared = declaredWrittenFields();
    const problems = declared.filter((ref) => {
      const [object, field] = ref.split('.');
      const info = index.field(object, field);
      return !info || (!info.required && !fieldPermission(integration, ref).editable);
    });
    expect(problems).toEqual([]);
  });

  it.each(resultObjects.map((o) => o.name))(
    'SalesOps_Integration creates, edits and deletes every %s',
    (object) => {
      expect(objectPermission(integration, object)).toEqual({
        allowCreate: true,
        allowRead: true,
        allowEdit: true,
        allowDelete: true,
        viewAllRecords: true,
        modifyAllRecords: true,
      });
    },
  );

  it('records the forecast and KPI maps produce fit the metadata field by field', () => {
    const sets = sampleResultSets();
    expect(sets.map((s) => [s.sobject, s.records.length])).toEqual([
      ['Forecast_Snapshot__c', 4],
      ['Sales_KPI__c', 4],
    ]);
    const problems = sets.flatMap((s) => s.records.flatMap((r) => recordProblems(index, s.sobject, r)));
    expect(problems).toEqual([]);
  });

  it('records the territory, change request and commission maps produce fit the metadata', () => {
    const sets = moreSampleResultSets();
    expect(sets.map((s) => [s.sobject, s.records.length])).toEqual([
      ['Sales_Territory__c', 4],
      ['Territory_Assignment__c', 2],
      ['Account', 2],
      ['Territory_Change_Request__c', 1],
      ['Commission_Statement__c', 2],
      ['Commission_Line__c', 4],
    ]);
    const problems = sets.flatMap((s) => s.records.flatMap((r) => recordProblems(index, s.sobject, r)));
    expect(problems).toEqual([]);
    const written = sets.flatMap((set) =>
      set.records.flatMap((r) => writtenFields(r).map((f) => `${set.sobject}.${f}`)),
    );
    const notEditable = [...new Set(written)].filter((ref) => !fieldPermission(integration, ref).editable);
    expect(notEditable).toEqual([]);
  });

  it('the engines produce only values the picklists hold', () => {
    const values = (object: string, field: string) => index.field(object, field)?.picklistValues ?? [];
    const missing = (domain: readonly string[], object: string, field: string) =>
      domain.filter((v) => !values(object, field).includes(v)).map((v) => `${object}.${field}: ${v}`);
    expect([
      ...missing(DECIDED_BY, 'Territory_Assignment__c', 'Decided_By__c'),
      ...missing(MODEL_STATES, 'Sales_Territory__c', 'Model_State__c'),
      ...missing(COMMISSION_LINE_TYPES, 'Commission_Line__c', 'Line_Type__c'),
      ...missing(KpiDefinitionSchema.shape.unit.options, 'Sales_KPI__c', 'Unit__c'),
    ]).toEqual([]);
    // Credit roles are Text(40), not a picklist: the longest must fit.
    expect(Math.max(...CREDIT_ROLES.map((r) => r.length))).toBeLessThanOrEqual(
      index.field('Commission_Line__c', 'Credit_Role__c')?.length ?? 0,
    );
  });

  it('the record check itself rejects what the org would reject', () => {
    expect(
      recordProblems(index, 'Sales_KPI__c', {
        Unit__c: 'furlongs',
        Value__c: '1.123456',
        Period_Start__c: '01/04/2026',
        KPI_Id__c: 'x'.repeat(81),
        Scope_User__c: 'not-an-id',
        Nope__c: 1,
      }),
    ).toEqual([
      'Sales_KPI__c.Unit__c: furlongs is not one of currency, percent, ratio, count, days, currencyPerDay',
      'Sales_KPI__c.Value__c: 1.123456 has more than 4 decimal places',
      'Sales_KPI__c.Period_Start__c: expects YYYY-MM-DD, got "01/04/2026"',
      'Sales_KPI__c.KPI_Id__c: 81 characters exceed 80',
      'Sales_KPI__c.Scope_User__c: expects a record Id, got "not-an-id"',
      'Sales_KPI__c.Nope__c does not exist',
    ]);
    expect(
      recordProblems(index, 'Commission_Line__c', {
        Statement__r: { External_Key__c: 'CS|1' },
        Rep__r: { Id: 'x' },
      }),
    ).toEqual(['Commission_Line__c.Rep__r: User.Id is not an external id']);
  });
});

describe('the job record the server writes', () => {
  it('fits SalesOps_Job__c at the start and at the end of a run', async () => {
    const bodies: Record<string, unknown>[] = [];
    const api = {
      request: async (req: { body?: unknown }) => {
        bodies.push(req.body as Record<string, unknown>);
        return { body: { id: 'a0J000000000001AAA' } };
      },
    } as unknown as CrmApi;
    const recorder = new OrgJobRecorder(api);
    const job = {
      runId: 'run-20261127-0001',
      type: 'Cycle' as const,
      trigger: 'CLI' as const,
      startedAt: Date.UTC(2026, 10, 27, 9),
    };
    await recorder.start(job);
    await recorder.finish(job, {
      status: 'Failed',
      finishedAt: Date.UTC(2026, 10, 27, 9, 5),
      rowsRead: 120_000,
      rowsWritten: 8_000,
      rowsFailed: 3,
      apiCalls: 57,
      apiCallsMinimum: 52,
      budgetUsed: 0.0125,
      summary: 'Forecast_Snapshot__c 4000 written',
      errors: 'UNABLE_TO_LOCK_ROW: 3',
    });
    expect(bodies).toHaveLength(2);
    expect(bodies.flatMap((b) => recordProblems(index, 'SalesOps_Job__c', b))).toEqual([]);
    expect(bodies[1].Api_Budget_Used__c).toBe('1.25');
  });
});

/**
 * Custom names the server mentions that are not in this project's metadata on purpose: an org may add
 * them and name them in config/sync.yaml.
 */
const OPTIONAL_NAMES: Record<string, string> = {
  Cost__c: 'line cost on OpportunityLineItem, read when an org has one',
  Region__c: 'example in a config error message',
};

describe('every custom API name in the server code', () => {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const f = path.join(dir, e.name);
      if (e.isDirectory()) walk(f);
      else if (f.endsWith('.ts')) files.push(f);
    }
  };
  walk(path.join(ROOT, 'server', 'src'));
  // Comments name hypothetical fields in examples; only code counts.
  const code = (file: string) =>
    fs
      .readFileSync(file, 'utf8')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/^\s*\/\/.*$/gm, '');
  const names = new Map<string, string>();
  for (const file of files) {
    for (const m of code(file).matchAll(/\b[A-Za-z][A-Za-z0-9_]*__[cr]\b/g)) {
      if (!names.has(m[0])) names.set(m[0], path.relative(ROOT, file));
    }
  }

  it('finds the names the maps and the sync use', () => {
    expect(names.size).toBeGreaterThan(100);
  });

  it.each([...names].filter(([n]) => !(n in OPTIONAL_NAMES)))(
    '%s (first in %s) exists in the metadata',
    (name) => {
      const everyField = [...index.objects.values()].flatMap((o) => [...o.fields.values()]);
      if (name.endsWith('__r')) {
        const lookup = `${name.slice(0, -3)}__c`.toLowerCase();
        const childRelationships = everyField.map((f) => text(f.component?.doc?.body, 'relationshipName'));
        const found =
          everyField.some((f) => f.name.toLowerCase() === lookup && f.referenceTo.length > 0) ||
          childRelationships.some((r) => r !== undefined && `${r}__r`.toLowerCase() === name.toLowerCase());
        expect({ name, found }).toEqual({ name, found: true });
      } else {
        const found =
          index.object(name)?.component !== undefined || everyField.some((f) => f.custom && f.name === name);
        expect({ name, found }).toEqual({ name, found: true });
      }
    },
  );
});
