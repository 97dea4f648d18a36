import type { Request, Response } from 'express';
import { apiUsageOf } from '../../auth/api-usage';
import type { Org } from '../../org';
import { quoteIdent } from '../../store/codec';
import { sendJson } from '../respond';
import type { RouteModule } from './route-module';

type Limit = { Max: number; Remaining: number };

/** Limits an Enterprise Edition org reports, at their usual allocations and untouched. */
const STATIC_LIMITS: Record<string, number> = {
  ActiveScratchOrgs: 0,
  AnalyticsExternalDataSizeMB: 40960,
  ConcurrentAsyncGetReportInstances: 200,
  ConcurrentEinsteinDataInsightsStoryCreation: 5,
  ConcurrentEinsteinDiscoveryStoryCreation: 2,
  ConcurrentSyncReportRuns: 20,
  DailyAnalyticsDataflowJobExecutions: 60,
  DailyAnalyticsUploadedFilesSizeMB: 51200,
  DailyAsyncApexExecutions: 250000,
  DailyAsyncApexTests: 500,
  DailyBulkApiBatches: 15000,
  DailyBulkV2QueryFileStorageMB: 976562,
  DailyBulkV2QueryJobs: 10000,
  DailyDeliveredPlatformEvents: 50000,
  DailyDurableGenericStreamingApiEvents: 10000,
  DailyDurableStreamingApiEvents: 10000,
  DailyEinsteinDataInsightsStoryCreation: 1000,
  DailyEinsteinDiscoveryPredictAPICalls: 50000,
  DailyEinsteinDiscoveryPredictionsByCDC: 5000000,
  DailyEinsteinDiscoveryStoryCreation: 100,
  DailyGenericStreamingApiEvents: 10000,
  DailyScratchOrgs: 0,
  DailyStandardVolumePlatformEvents: 10000,
  DailyStreamingApiEvents: 10000,
  DailyWorkflowEmails: 2000,
  DurableStreamingApiConcurrentClients: 20,
  FileStorageMB: 20480,
  HourlyAsyncReportRuns: 1200,
  HourlyDashboardRefreshes: 200,
  HourlyDashboardResults: 5000,
  HourlyDashboardStatuses: 999999999,
  HourlyLongTermIdMapping: 100000,
  HourlyManagedContentPublicRequests: 50000,
  HourlyODataCallout: 10000,
  HourlyPublishedPlatformEvents: 250000,
  HourlyPublishedStandardVolumePlatformEvents: 100000,
  HourlyShortTermIdMapping: 100000,
  HourlySyncReportRuns: 500,
  HourlyTimeBasedWorkflow: 1000,
  MassEmail: 5000,
  MonthlyEinsteinDiscoveryStoryCreation: 500,
  Package2VersionCreates: 0,
  Package2VersionCreatesWithoutValidation: 0,
  PermissionTypes: 30000,
  SingleEmail: 5000,
  StreamingApiConcurrentClients: 20,
};

const DATA_STORAGE_MB = 10240;
/** Salesforce counts most records as 2 KB of data storage. */
const KB_PER_RECORD = 2;

/** Data storage in use: live and recycle-bin rows of every object, at 2 KB a record. */
function dataStorageUsedMb(org: Org): number {
  let rows = 0;
  for (const obj of org.schema.list()) {
    const row = org.db.prepare(`SELECT count(*) AS n FROM ${quoteIdent(obj.name)}`).get() as { n: number };
    rows += row.n;
  }
  return Math.ceil((rows * KB_PER_RECORD) / 1024);
}

/**
 * GET /limits: DailyApiRequests from the same counter as Sforce-Limit-Info (this request included,
 * the guard having counted it), DataStorageMB from the rows stored, the rest at their allocations.
 */
export const registerLimitsRoutes: RouteModule = (router, ctx) => {
  router.get('/limits', (_req: Request, res: Response) => {
    const limits: Record<string, Limit> = {};
    for (const [name, max] of Object.entries(STATIC_LIMITS)) limits[name] = { Max: max, Remaining: max };
    const usage = apiUsageOf(ctx.org).current();
    limits.DailyApiRequests = { Max: usage.limit, Remaining: Math.max(0, usage.limit - usage.used) };
    limits.DataStorageMB = {
      Max: DATA_STORAGE_MB,
      Remaining: Math.max(0, DATA_STORAGE_MB - dataStorageUsedMb(ctx.org)),
    };
    const sorted = Object.fromEntries(Object.entries(limits).sort(([a], [b]) => a.localeCompare(b)));
    sendJson(res, 200, sorted);
  });
};
