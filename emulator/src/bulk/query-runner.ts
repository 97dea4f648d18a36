import { performance } from 'node:perf_hooks';
import { SfError } from '../errors';
import { yieldToEventLoop } from './background';
import { renderLine } from './csv-cells';
import type { BulkQueryCursor } from './ports';
import { INJECTED_FAILURE, type RunnerDeps } from './runner-deps';
import { COLUMN_DELIMITERS, LINE_ENDINGS } from './types';

/** Result rows are stored in fixed-size chunks, so a locator offset maps straight to a chunk. */
export const QUERY_CHUNK_ROWS = 1000;

/** Rows between turns of the event loop while a query job runs. */
const ROWS_PER_TURN = 20_000;

/**
 * Runs a query job that is UploadComplete: reads every row once and stores the rendered CSV lines,
 * so that pages served later are consistent with each other whatever is written meanwhile. The
 * SOQL engine materialises the result before the first row and holds no statement open between
 * rows, so the run can give the event loop a turn every few thousand rows.
 */
export async function runQueryJob(
  deps: RunnerDeps,
  jobId: string,
  prepared?: BulkQueryCursor,
): Promise<void> {
  const { org, store } = deps;
  const job = store.get(jobId);
  if (!job || job.state !== 'UploadComplete' || job.query === null) return;
  const started = performance.now();
  store.update(jobId, { state: 'InProgress' }, org.now());

  const outcome = deps.faults.bulkJobOutcome();
  if (outcome === 'stuck') return;
  if (outcome === 'fail') {
    store.update(jobId, { state: 'Failed', errorMessage: INJECTED_FAILURE }, org.now());
    return;
  }

  const delimiter = COLUMN_DELIMITERS[job.columnDelimiter];
  const lineEnding = LINE_ENDINGS[job.lineEnding];
  let rows: IterableIterator<(string | null)[]> | null = null;
  let count = 0;
  try {
    const cursor =
      prepared ??
      deps.ports.query.open(org, job.query, {
        scanAll: job.operation === 'queryAll',
        userId: job.createdById,
      });
    rows = cursor.rows();
    let lines: string[] = [];
    for (let next = rows.next(); !next.done; next = rows.next()) {
      lines.push(renderLine(next.value, delimiter));
      count++;
      if (lines.length === QUERY_CHUNK_ROWS) {
        store.addChunk(
          jobId,
          'rows',
          count / QUERY_CHUNK_ROWS - 1,
          count - QUERY_CHUNK_ROWS,
          lines,
          lineEnding,
        );
        lines = [];
      }
      if (count % ROWS_PER_TURN === 0) {
        // Progress, as a real org shows it while a query job runs: clients pace their polls on it.
        store.update(jobId, { numberRecordsProcessed: count }, org.now());
        await yieldToEventLoop();
        if (!store.isOpen() || store.get(jobId)?.state !== 'InProgress') return;
      }
    }
    rows = null;
    if (lines.length > 0)
      store.addChunk(
        jobId,
        'rows',
        Math.floor(count / QUERY_CHUNK_ROWS),
        count - lines.length,
        lines,
        lineEnding,
      );
    store.update(
      jobId,
      {
        state: 'JobComplete',
        columns: cursor.columns,
        numberRecordsProcessed: count,
        totalProcessingTime: Math.round(performance.now() - started),
      },
      org.now(),
    );
  } catch (err) {
    if (!store.isOpen() || store.get(jobId)?.state !== 'InProgress') return;
    if (!(err instanceof SfError)) deps.log.error({ err, jobId }, 'bulk query job crashed');
    const message =
      err instanceof SfError ? `${err.errorCode} : ${err.message}` : `InternalServerError : ${String(err)}`;
    store.update(jobId, { state: 'Failed', errorMessage: message }, org.now());
  } finally {
    // An abandoned run lets the engine release what it materialised.
    if (rows && store.isOpen()) rows.return?.();
  }
}
