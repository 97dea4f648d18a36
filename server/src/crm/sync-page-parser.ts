import { Worker } from 'node:worker_threads';
import { AppError, type ErrorCode } from '../shared/errors';
import type { Logger } from '../shared/logger';
import type { SyncedRecord } from '../store';
import { parseCsvRows } from './csv-rows';
import { RecordNormalizer, type FieldTypes } from './record-normalizer';
import type { TypedColumn } from './sync-catalog';
import { unpackRange, type PackedPage } from './sync-page-codec';
import { workerEntry } from '../shared/worker-entry';

/** What the worker needs to compile the same normaliser the main thread has. */
export interface CsvPagePlan {
  object: string;
  fields: string[];
  types: FieldTypes;
  typed: Partial<Record<TypedColumn, string>>;
}

export interface PageRequest {
  seq: number;
  plan: CsvPagePlan;
  text: string;
}

export type PageReply =
  | { seq: number; page: PackedPage; error?: undefined }
  | {
      seq: number;
      page?: undefined;
      error: { message: string; code?: string; details?: Record<string, unknown> };
    };

/** A parsed page, handed out in slices: records are built only for the slice being stored. */
export interface ParsedPage {
  count: number;
  slice(from: number, to: number): SyncedRecord[];
}

function inThread(records: SyncedRecord[]): ParsedPage {
  return { count: records.length, slice: (from, to) => records.slice(from, to) };
}

function packed(page: PackedPage): ParsedPage {
  return { count: page.count, slice: (from, to) => unpackRange(page, from, to) };
}

/** One Bulk CSV page (header first) into normalised records: the same code in both threads. */
export function parseCsvPage(normalizer: RecordNormalizer, text: string): SyncedRecord[] {
  return normalizer.fromCsv(parseCsvRows(text));
}

/**
 * Below this many characters a page is parsed on the main thread: the round trip to the worker
 * costs more than it saves (a page this small is a few hundred rows).
 */
export const MIN_WORKER_CHARS = 64 * 1024;

/**
 * The worker's heap. The syncing process runs with a 64 MiB semi-space (cli/node-flags.ts), which
 * a worker would otherwise take too, and its old generation grew with each page's garbage: the
 * sync's peak RSS went over its 1 GiB target. Capped, V8 collects sooner; a page's live set (its
 * text, cells, records and packed form) stays well below the cap for pages up to
 * MAX_WORKER_CHARS, and larger pages (a much larger `bulkPageSize`) are parsed on the main thread.
 * A worker that runs out of memory anyway is replaced by main-thread parsing (see `fail`).
 */
const WORKER_YOUNG_GENERATION_MB = 32;
const WORKER_OLD_GENERATION_MB = 256;
export const MAX_WORKER_CHARS = 32 * 1024 * 1024;

interface Pending {
  resolve: (page: ParsedPage) => void;
  reject: (err: unknown) => void;
  normalizer: RecordNormalizer;
  text: string;
}

/**
 * Parses and normalises Bulk CSV result pages on a worker thread, so the syncing process uses a
 * second core: while the main thread stores one page, the worker parses the next. The worker runs
 * while at least one Bulk read holds it (`acquire`/`release`) and is ended when none does, so an
 * idle sync source holds no thread. Pages come back in the order they were sent. If the worker
 * cannot start or dies, its pages and all later ones are parsed on the main thread instead: the
 * records are the same either way, only slower.
 */
export class PageParser {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, Pending>();
  private seq = 0;
  private holders = 0;
  private broken = false;
  /** Pages the worker answered (the rest were parsed on the main thread). */
  workerPages = 0;

  constructor(
    private readonly log: Logger,
    private readonly minWorkerChars = MIN_WORKER_CHARS,
  ) {}

  acquire(): void {
    this.holders++;
  }

  release(): void {
    this.holders = Math.max(0, this.holders - 1);
    if (this.holders === 0 && this.pending.size === 0) this.stop();
  }

  /** Records of one page; rejects with the error the main thread would have thrown. */
  parse(plan: CsvPagePlan, normalizer: RecordNormalizer, text: string): Promise<ParsedPage> {
    const worker =
      text.length >= this.minWorkerChars && text.length <= MAX_WORKER_CHARS ? this.start() : null;
    if (!worker) {
      try {
        return Promise.resolve(inThread(parseCsvPage(normalizer, text)));
      } catch (err) {
        return Promise.reject(err);
      }
    }
    const seq = ++this.seq;
    return new Promise<ParsedPage>((resolve, reject) => {
      if (this.pending.size === 0) worker.ref();
      this.pending.set(seq, { resolve, reject, normalizer, text });
      const req: PageRequest = { seq, plan, text };
      worker.postMessage(req);
    });
  }

  /** Ends the worker now (pending pages are finished on the main thread). */
  close(): Promise<void> {
    this.holders = 0;
    const w = this.worker;
    this.worker = null;
    this.rescuePending();
    return w ? w.terminate().then(() => undefined) : Promise.resolve();
  }

  private start(): Worker | null {
    if (this.worker || this.broken) return this.worker;
    let worker: Worker;
    try {
      worker = new Worker(workerEntry(__filename, 'sync-page-worker'), {
        eval: true,
        resourceLimits: {
          maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB,
          maxOldGenerationSizeMb: WORKER_OLD_GENERATION_MB,
        },
      });
    } catch (err) {
      this.fail(err);
      return null;
    }
    worker.on('message', (reply: PageReply) => this.settle(reply));
    worker.on('error', (err) => {
      if (this.worker === worker) this.fail(err);
    });
    worker.on('exit', (code) => {
      if (this.worker === worker) this.fail(new Error(`page worker exited with code ${code}`));
    });
    // An idle worker never keeps the process alive; one with pages to answer does (see parse).
    // After the listeners: adding a 'message' listener refs the worker again.
    worker.unref();
    this.worker = worker;
    return worker;
  }

  private settle(reply: PageReply): void {
    const p = this.pending.get(reply.seq);
    if (!p) return;
    this.pending.delete(reply.seq);
    if (this.pending.size === 0) this.worker?.unref();
    if (reply.error) p.reject(rebuildError(reply.error));
    else {
      this.workerPages++;
      p.resolve(packed(reply.page));
    }
    if (this.holders === 0 && this.pending.size === 0) this.stop();
  }

  private stop(): void {
    const w = this.worker;
    this.worker = null;
    if (w) void w.terminate();
  }

  /** The worker is gone for good: what it had not answered is parsed here, and so is all that follows. */
  private fail(err: unknown): void {
    this.broken = true;
    this.worker = null;
    this.log.warn(
      { err: (err as Error)?.message ?? String(err) },
      'sync page worker unavailable; parsing pages on the main thread',
    );
    this.rescuePending();
  }

  private rescuePending(): void {
    const left = [...this.pending.values()];
    this.pending.clear();
    for (const p of left) {
      try {
        p.resolve(inThread(parseCsvPage(p.normalizer, p.text)));
      } catch (err) {
        p.reject(err);
      }
    }
  }
}

function rebuildError(e: { message: string; code?: string; details?: Record<string, unknown> }): Error {
  if (e.code) return new AppError(e.code as ErrorCode, e.message, e.details ?? {});
  return new Error(e.message);
}
