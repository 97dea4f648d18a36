import { parentPort } from 'node:worker_threads';
import type { CsvPagePlan, PageReply, PageRequest } from './sync-page-parser';
import { parseCsvPage } from './sync-page-parser';
import { packPage, transferablesOf } from './sync-page-codec';
import { RecordNormalizer } from './record-normalizer';

/**
 * The sync's page worker (a worker thread of the syncing process, started by `PageParser`): parses
 * Bulk CSV result pages and normalises their records, so the main thread only fetches and stores.
 * Normalisers are compiled once per object and field list, as in the main thread.
 */
const normalizers = new Map<string, RecordNormalizer>();

function normalizerFor(plan: CsvPagePlan): RecordNormalizer {
  const key = JSON.stringify(plan);
  let n = normalizers.get(key);
  if (!n) {
    n = new RecordNormalizer(plan.object, plan.fields, plan.types, plan.typed);
    normalizers.set(key, n);
  }
  return n;
}

parentPort?.on('message', (req: PageRequest) => {
  let reply: PageReply;
  try {
    const page = packPage(req.plan.object, parseCsvPage(normalizerFor(req.plan), req.text));
    reply = { seq: req.seq, page };
    parentPort?.postMessage(reply, transferablesOf(page));
  } catch (err) {
    const e = err as Error & { code?: unknown; details?: unknown };
    reply = {
      seq: req.seq,
      error: {
        message: e?.message ?? String(err),
        code: typeof e?.code === 'string' ? e.code : undefined,
        details:
          e?.details && typeof e.details === 'object' ? (e.details as Record<string, unknown>) : undefined,
      },
    };
    parentPort?.postMessage(reply);
  }
});
