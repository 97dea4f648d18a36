import type { Org } from '../org';
import type { ObjectDef } from '../schema/types';
import { storageClass, toSecond } from '../store/codec';
import { formatDateTime } from '../store/codec';
import { RowWriter } from '../store/row-writer';
import { badRestrictedPicklist } from './row-errors';
import { prepare } from './sql';
import type { Stored, StoredRow } from './types';

/**
 * What Salesforce derives on an Opportunity: stage defaults (probability, forecast category),
 * closed/won flags, expected revenue, fiscal period and the stage-change date; and the history
 * rows it writes for each change (OpportunityHistory, OpportunityFieldHistory). History objects
 * may be absent from the schema, in which case no history is kept.
 */
interface StageRow {
  ApiName: string;
  IsClosed: number;
  IsWon: number;
  ForecastCategoryName: string | null;
  DefaultProbability: number | null;
}

const FORECAST_CATEGORY_BY_NAME: Record<string, string> = {
  pipeline: 'Pipeline',
  'best case': 'BestCase',
  'most likely': 'MostLikely',
  commit: 'Forecast',
  closed: 'Closed',
  omitted: 'Omitted',
};

export function isOpportunity(obj: ObjectDef): boolean {
  return obj.name === 'Opportunity';
}

/**
 * Fills the derived fields of `row` (the record as it will be stored). `given` holds the fields the
 * client set in this write: a client-set Probability survives a stage change, a defaulted one not.
 */
export function applyOpportunityRules(
  org: Org,
  obj: ObjectDef,
  before: StoredRow | null,
  row: StoredRow,
  given: Set<string>,
  now: number,
): void {
  const stageName = row.StageName;
  const stageField = obj.fields.find((f) => f.name === 'StageName');
  if (typeof stageName === 'string' && stageField && org.schema.find('OpportunityStage')) {
    const stage = prepare(
      org,
      'SELECT ApiName, IsClosed, IsWon, ForecastCategoryName, DefaultProbability FROM "OpportunityStage" WHERE (ApiName = ? OR MasterLabel = ?) AND IsActive = 1 AND IsDeleted = 0 LIMIT 1',
    ).get(stageName, stageName) as StageRow | undefined;
    if (!stage) throw badRestrictedPicklist(stageField, stageName);
    row.StageName = stage.ApiName;
    const stageChanged = before === null || before.StageName !== stage.ApiName;
    if (stageChanged) {
      if (!given.has('Probability')) row.Probability = stage.DefaultProbability;
      if (!given.has('ForecastCategoryName')) row.ForecastCategoryName = stage.ForecastCategoryName;
      row.IsClosed = stage.IsClosed ? 1 : 0;
      row.IsWon = stage.IsWon ? 1 : 0;
      if (before !== null) row.LastStageChangeDate = toSecond(now);
    }
  }
  const categoryName = row.ForecastCategoryName;
  row.ForecastCategory =
    typeof categoryName === 'string' ? (FORECAST_CATEGORY_BY_NAME[categoryName.toLowerCase()] ?? null) : null;
  const amount = row.Amount;
  const probability = row.Probability;
  row.ExpectedRevenue =
    typeof amount === 'number' && typeof probability === 'number'
      ? Math.round(amount * probability) / 100
      : null;
  Object.assign(row, fiscalPeriod(row.CloseDate, org.settings.fiscalYearStartMonth));
}

/**
 * Standard fiscal year starting in `startMonth`, named after the calendar year it ends in
 * (Salesforce's default, "based on the ending month").
 */
export function fiscalPeriod(closeDate: Stored | undefined, startMonth: number): StoredRow {
  if (typeof closeDate !== 'string') return { FiscalYear: null, FiscalQuarter: null, Fiscal: null };
  const year = Number(closeDate.slice(0, 4));
  const month = Number(closeDate.slice(5, 7));
  const offset = (month - startMonth + 12) % 12;
  const fiscalYear = startMonth === 1 || month < startMonth ? year : year + 1;
  const quarter = Math.floor(offset / 3) + 1;
  return { FiscalYear: fiscalYear, FiscalQuarter: quarter, Fiscal: `${fiscalYear} ${quarter}` };
}

const HISTORY_TRIGGERS = ['StageName', 'Amount', 'CloseDate', 'Probability', 'ForecastCategory'];
const TRACKED_FIELDS = ['StageName', 'Amount', 'CloseDate', 'Probability', 'ForecastCategoryName', 'OwnerId'];

/** History rows for a created (`before` null) or updated Opportunity; `after` is the stored row. */
export function writeOpportunityHistory(
  org: Org,
  before: StoredRow | null,
  after: StoredRow,
  userId: string,
  now: number,
): void {
  const changed = (f: string): boolean => before !== null && !sameValue(before[f], after[f]);
  if (org.schema.find('OpportunityHistory') && (before === null || HISTORY_TRIGGERS.some(changed))) {
    insertKnown(
      org,
      'OpportunityHistory',
      {
        OpportunityId: after.Id,
        StageName: after.StageName,
        Amount: after.Amount,
        ExpectedRevenue: after.ExpectedRevenue,
        CloseDate: after.CloseDate,
        Probability: after.Probability,
        ForecastCategory: after.ForecastCategory,
        PrevAmount: before ? before.Amount : null,
        PrevCloseDate: before ? before.CloseDate : null,
      },
      userId,
      now,
    );
  }
  if (org.schema.find('OpportunityFieldHistory')) {
    if (before === null) {
      insertKnown(
        org,
        'OpportunityFieldHistory',
        { OpportunityId: after.Id, Field: 'created', OldValue: null, NewValue: null },
        userId,
        now,
      );
      return;
    }
    for (const f of TRACKED_FIELDS.filter(changed)) {
      insertKnown(
        org,
        'OpportunityFieldHistory',
        {
          OpportunityId: after.Id,
          Field: f,
          DataType: dataTypeOf(org, f),
          OldValue: historyValue(org, f, before[f]),
          NewValue: historyValue(org, f, after[f]),
        },
        userId,
        now,
      );
    }
  }
}

function sameValue(a: Stored | undefined, b: Stored | undefined): boolean {
  return (a ?? null) === (b ?? null);
}

/** Field history keeps values as text (Salesforce's anyType), except where the schema says otherwise. */
function historyValue(org: Org, fieldName: string, value: Stored | undefined): Stored {
  if (value === null || value === undefined) return null;
  const source = org.schema.field('Opportunity', fieldName);
  const target = org.schema.field('OpportunityFieldHistory', 'NewValue');
  if (target && storageClass(target.type) !== 'text') return value;
  if (source?.type === 'datetime') return formatDateTime(Number(value));
  return String(value);
}

function dataTypeOf(org: Org, fieldName: string): string {
  const type = org.schema.field('Opportunity', fieldName)?.type;
  switch (type) {
    case 'currency':
      return 'Currency';
    case 'percent':
      return 'Percent';
    case 'date':
      return 'Date';
    case 'reference':
      return 'EntityId';
    case 'picklist':
      return 'DynamicEnum';
    default:
      return 'Text';
  }
}

const writers = new WeakMap<Org, Map<string, RowWriter>>();

/** Inserts the values the target object has fields for; history layouts differ between API versions. */
function insertKnown(org: Org, objectName: string, values: StoredRow, userId: string, now: number): void {
  let byObject = writers.get(org);
  if (!byObject) {
    byObject = new Map();
    writers.set(org, byObject);
  }
  let writer = byObject.get(objectName);
  if (!writer) {
    writer = new RowWriter(org, objectName);
    byObject.set(objectName, writer);
  }
  const known: StoredRow = {};
  for (const [k, v] of Object.entries(values)) {
    const field = org.schema.field(objectName, k);
    if (field) known[field.name] = v ?? null;
  }
  writer.insert(known, userId, now);
}
