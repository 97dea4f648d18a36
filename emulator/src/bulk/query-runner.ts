import { performance } from 'node:perf_hooks';
import { SfError } from '../errors';
import { renderLine } from './csv-cells';
import type { BulkQueryCursor } from './ports';
import { INJECTED_FAILURE, type RunnerDeps } from './runner-deps';
import { COLUMN_DELIMITERS } from './types';

/** Result rows are stored in fixed-size chunks, so a locator offset maps straight to a chunk. */
export const QUERY_CHUNK_ROWS = 1000;

/**
 * Runs a query job that is UploadComplete: reads every row once and stores the rendered CSV lines,
 * so that pages served later are consistent with each other whatever is written meanwhile.
 *
 * The cursor is read to the end in one go: the SOQL engine may hold a statement open on the org's
 * only connection, and another request touching the database mid-iteration would find it busy.
 */
export async function runQueryJob(deps: RunnerDeps, jobId: string, prepared?: BulkQueryCursor): Promise<void> {
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
  const chunks: string[][] = [];
  let columns: string[];
  let count = 0;
  try {
    const cursor = prepared ?? deps.ports.query.open(org, job.query, { scanAll: job.operation === 'queryAll' });
    columns = cursor.columns;
    let current: string[] = [];
    for (const row of cursor.rows()) {
      current.push(renderLine(row, delimiter));
      count++;
      if (current.length === QUERY_CHUNK_ROWS) {
        chunks.push(current);
        current = [];
      }
    }
    if (current.length > 0) chunks.push(current);
  } catch (err) {
    if (!store.isOpen()) return;
    if (!(err instanceof SfError)) deps.log.error({ err, jobId }, 'bulk query job crashed');
    const message = err instanceof SfError ? `${err.errorCode} : ${err.message}` : `InternalServerError : ${String(err)}`;
    store.update(jobId, { state: 'Failed', errorMessage: message }, org.now());
    return;
  }

  if (!store.isOpen() || store.get(jobId)?.state !== 'InProgress') return;
  org.db.transaction(() => {
    chunks.forEach((lines, seq) => store.addChunk(jobId, 'rows', seq, seq * QUERY_CHUNK_ROWS, lines));
    store.update(
      jobId,
      {
        state: 'JobComplete',
        columns,
        numberRecordsProcessed: count,
        totalProcessingTime: Math.round(performance.now() - started),
      },
      org.now(),
    );
  })();
}
