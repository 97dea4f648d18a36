import type { WritebackConfig } from '../config/writeback-config';
import type { ResultSet } from '../crm/writeback/result-set';
import type { Snapshot } from '../domain';
import { AppError } from '../shared/errors';
import type { Logger } from '../shared/logger';
import type { CycleRunStatus, SyncStore, WritebackStore } from '../store';
import { loadStoreSnapshot, type StoreSnapshotReader } from './load-store-snapshot';
import type { SyncReport } from './sync-run';
import { renderCycleSummary } from './run-cycle-summary';
import { startWriteback, type WritebackReport } from './writeback-run';
import type { JobRecorderPort, JobStart, ResultWriterPort } from './writeback-ports';

/** The engines of the cycle: results as record sets (server/src/crm/writeback/maps/*). */
export type ComputeResults = (
  snapshot: Snapshot,
  asOf: string,
  env?: ComputeEnv,
) => ResultSet[] | Promise<ResultSet[]>;

export interface ComputeEnv {
  /** The cycle's store, where an engine may keep state between cycles (the statistical model). */
  store: SyncStore;
  /**
   * Hands finished sets to the write-back while later engines still run (each object's sets in
   * one call, parents' objects before their children's). Sets handed over here are not returned.
   */
  emit?: (sets: ResultSet[]) => Promise<void>;
}

export type CyclePhase = 'sync' | 'compute' | 'writeback';

export interface CycleDeps {
  /** The sync step (omitted by `salesops writeback`, which works on what the store holds). */
  runSync?: () => Promise<SyncReport>;
  store: SyncStore;
  results: WritebackStore;
  readSnapshot: StoreSnapshotReader;
  computeResults: ComputeResults;
  writer: ResultWriterPort;
  /** Null: no SalesOps_Job__c record (a dry run writes nothing to the org). */
  jobs: JobRecorderPort | null;
  config: WritebackConfig;
  now: () => number;
  log: Logger;
  sleep?: (ms: number) => Promise<void>;
  onPhase?: (phase: CyclePhase) => void;
  onProgress?: (p: { object: string; done: number; total: number }) => void;
}

export interface CycleInput {
  runId: string;
  asOf: string;
  trigger: JobStart['trigger'];
  dryRun?: boolean;
  retryDeadLetters?: boolean;
}

export interface CycleReport {
  runId: string;
  kind: 'cycle' | 'writeback';
  status: CycleRunStatus | 'paused';
  asOf: string;
  /** Seconds per phase. */
  phases: Record<CyclePhase, number>;
  sync: SyncReport | null;
  /** Rows the engines produced per object, what the snapshot mapping left out, where the time went. */
  compute: { rows: Record<string, number>; notes: string[]; steps: ComputeStep[] } | null;
  writeback: WritebackReport | null;
  /** Every API call of the run: sync, write-back and the job record. */
  apiCalls: number;
  minimumApiCalls: number;
  jobRecordId: string | null;
  /** Why the job record could not be written, when it could not (the cycle still ran). */
  jobRecordError: string | null;
  error: { code: string; message: string } | null;
  seconds: number;
}

/**
 * A part of the compute phase: `snapshot` (reading and validating the synced records), then each
 * engine's work up to the moment it handed its results over, named by the objects it produced.
 * The write-back's planning of those results is not in these; the write-back report has it.
 */
export interface ComputeStep {
  step: string;
  seconds: number;
}

/** The job record's two calls (start, finish) are part of every run's minimum. */
const JOB_RECORD_CALLS = 2;

/**
 * `salesops run`: sync → engines → write-back, recorded as a SalesOps_Job__c (Running at the start,
 * its outcome at the end) and as a run in the store. A failure in one phase ends the cycle there and
 * is recorded; write-back only runs on a snapshot the sync completed.
 */
export async function runCycle(deps: CycleDeps, input: CycleInput): Promise<CycleReport> {
  const { now, log } = deps;
  const started = now();
  const kind = deps.runSync ? 'cycle' : 'writeback';
  const job: JobStart = {
    runId: input.runId,
    type: kind === 'cycle' ? 'Cycle' : 'Writeback',
    trigger: input.trigger,
    startedAt: started,
  };
  const report: CycleReport = {
    runId: input.runId,
    kind,
    status: 'running',
    asOf: input.asOf,
    phases: { sync: 0, compute: 0, writeback: 0 },
    sync: null,
    compute: null,
    writeback: null,
    apiCalls: 0,
    minimumApiCalls: 0,
    jobRecordId: null,
    jobRecordError: null,
    error: null,
    seconds: 0,
  };
  const callsAtStart = deps.writer.usage().calls;
  const jobs = input.dryRun ? null : deps.jobs;
  await deps.results.saveCycleRun({
    runId: input.runId,
    kind,
    trigger: input.trigger,
    startedAt: started,
    finishedAt: null,
    status: 'running',
    jobRecordId: null,
    report: {},
  });
  if (jobs) {
    try {
      report.jobRecordId = await jobs.start(job);
    } catch (err) {
      // The run matters more than its record: go on, and say so in the report.
      report.jobRecordError = (err as Error).message;
      log.warn(
        { runId: input.runId, err: report.jobRecordError },
        'could not create the SalesOps_Job__c record',
      );
    }
  }

  try {
    if (deps.runSync) {
      deps.onPhase?.('sync');
      const t = now();
      report.sync = await deps.runSync();
      report.phases.sync = (now() - t) / 1000;
      if (report.sync.status === 'failed') {
        throw new AppError(
          'SYNC_FAILED',
          report.sync.errors.map((e) => (e.object ? `${e.object}: ${e.message}` : e.message)).join('\n'),
        );
      }
    }
    deps.onPhase?.('compute');
    let t = now();
    // Each engine's sets go to the write-back as soon as it is done: the org ingests them while
    // the next engine computes. The compute phase ends with the last engine; the write-back phase
    // is what is left after it.
    const writeback = startWriteback(
      {
        writer: deps.writer,
        store: deps.results,
        config: deps.config,
        now,
        log,
        sleep: deps.sleep,
        onProgress: deps.onProgress,
      },
      { runId: input.runId, dryRun: input.dryRun ?? false, retryDeadLetters: input.retryDeadLetters },
    );
    const rows: Record<string, number> = {};
    const count = (sets: ResultSet[]) => {
      for (const s of sets) rows[s.sobject] = (rows[s.sobject] ?? 0) + s.records.length;
    };
    const steps: ComputeStep[] = [];
    let mark = now();
    const lap = (step: string) => {
      const at = now();
      steps.push({ step, seconds: (at - mark) / 1000 });
      mark = at;
    };
    // The snapshot stays inside computeSets: only the record sets live on into write-back.
    let computed: { sets: ResultSet[]; notes: string[] };
    try {
      computed = await computeSets(
        deps,
        input.asOf,
        () => lap('snapshot'),
        async (emitted) => {
          lap(producedObjects(emitted));
          count(emitted);
          await writeback.add(emitted);
          // The next engine's time starts after the hand-over: planning is the write-back's.
          mark = now();
        },
      );
    } catch (err) {
      // Writes already under way end and are checkpointed; nothing else is written or retracted.
      report.writeback = await writeback.abort(`the engines failed: ${(err as Error).message}`);
      throw err;
    }
    const { sets, notes } = computed;
    if (sets.length > 0) lap(producedObjects(sets));
    count(sets);
    await writeback.add(sets);
    report.compute = { rows, notes, steps };
    report.phases.compute = (now() - t) / 1000;

    deps.onPhase?.('writeback');
    t = now();
    report.writeback = await writeback.finish();
    report.phases.writeback = (now() - t) / 1000;
    report.status = report.writeback.status;
    if (report.sync && report.sync.status !== 'succeeded' && report.status === 'succeeded')
      report.status = 'partial';
  } catch (err) {
    report.status = 'failed';
    report.error =
      err instanceof AppError
        ? { code: err.code, message: err.message }
        : { code: 'INTERNAL', message: (err as Error).message ?? String(err) };
    log.error({ runId: input.runId, code: report.error.code }, report.error.message);
  }

  report.seconds = (now() - started) / 1000;
  const finish = async () => {
    report.apiCalls = (report.sync?.apiCalls ?? 0) + deps.writer.usage().calls - callsAtStart;
    report.minimumApiCalls =
      (report.sync ? report.sync.minimumApiCalls : 0) +
      (report.writeback?.minimumApiCalls ?? 0) +
      (jobs ? JOB_RECORD_CALLS : 0);
  };
  // The finish call is counted in the figures it writes.
  await finish();
  if (jobs && report.jobRecordError === null) {
    const usage = deps.writer.usage();
    report.apiCalls += 1;
    try {
      await jobs.finish(job, {
        status: report.status === 'succeeded' ? 'Succeeded' : 'Failed',
        finishedAt: now(),
        rowsRead: report.sync?.rowsRead ?? 0,
        rowsWritten: report.writeback?.rowsWritten ?? 0,
        rowsFailed: report.writeback?.rowsFailed ?? 0,
        apiCalls: report.apiCalls,
        apiCallsMinimum: report.minimumApiCalls,
        budgetUsed: usage.used !== null && usage.limit ? usage.used / usage.limit : null,
        summary: renderCycleSummary(report),
        errors: errorSummary(report),
      });
    } catch (err) {
      report.jobRecordError = (err as Error).message;
      log.warn(
        { runId: input.runId, err: report.jobRecordError },
        'could not complete the SalesOps_Job__c record',
      );
    }
    await finish();
  }
  await deps.results.saveCycleRun({
    runId: input.runId,
    kind,
    trigger: input.trigger,
    startedAt: started,
    finishedAt: now(),
    status: report.status === 'paused' ? 'partial' : report.status,
    jobRecordId: report.jobRecordId,
    report,
  });
  return report;
}

/** Loads the snapshot and runs the engines; the snapshot is unreachable once this returns. */
async function computeSets(
  deps: Pick<CycleDeps, 'store' | 'readSnapshot' | 'computeResults'>,
  asOf: string,
  onLoaded: () => void,
  emit: (sets: ResultSet[]) => Promise<void>,
): Promise<{ sets: ResultSet[]; notes: string[] }> {
  const { snapshot, notes } = await loadStoreSnapshot(deps.store, deps.readSnapshot);
  onLoaded();
  return { sets: await deps.computeResults(snapshot, asOf, { store: deps.store, emit }), notes };
}

/** The objects of an engine's sets, in the order they came. */
function producedObjects(sets: ResultSet[]): string {
  return [...new Set(sets.map((s) => s.sobject))].join(' + ');
}

/** Errors__c: the failure, then dead letters by reason. */
function errorSummary(r: CycleReport): string {
  const lines: string[] = [];
  if (r.error) lines.push(`${r.error.code}: ${r.error.message}`);
  if (r.writeback?.note) lines.push(r.writeback.note);
  const letters = Object.entries(r.writeback?.deadLetters ?? {});
  if (letters.length > 0) {
    lines.push('Dead letters by reason:');
    for (const [code, n] of letters.sort((a, b) => b[1] - a[1])) lines.push(`  ${code}: ${n}`);
  }
  for (const [object, s] of Object.entries(r.writeback?.objects ?? {}))
    if (s.error) lines.push(`${object}: ${s.error.code}: ${s.error.message}`);
  return lines.join('\n');
}
