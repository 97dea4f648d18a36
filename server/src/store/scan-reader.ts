import { Worker } from 'node:worker_threads';
import type { ScanChunk } from './scan-chunks';
import { workerEntry } from '../shared/worker-entry';

export type ScanRequest =
  | {
      kind: 'scan';
      seq: number;
      file: string;
      object: string;
      includeDeleted: boolean;
      ahead: number;
    }
  | { kind: 'more' | 'cancel'; seq: number };

export type ScanReply =
  { seq: number; chunk: ScanChunk } | { seq: number; done: true } | { seq: number; error: string };

/** Chunks the worker reads ahead of the main thread: enough to keep both busy, a few MB each. */
const AHEAD = 4;

/** How a scan through the worker ended: complete, or cut short (the caller knows the last chunk it saw). */
export interface ScanOutcome {
  complete: boolean;
}

/**
 * Whole-object reads of a store file on a worker thread (scan-worker.ts): the worker runs the
 * SQLite queries while this thread parses and maps the chunk before, so a snapshot load takes
 * about the longer of the two instead of their sum. Without a worker (it cannot start, or dies),
 * the scan says where it stopped and the caller reads the rest itself.
 */
export class ScanReader {
  private worker: Worker | null = null;
  private broken = false;
  private seq = 0;
  private active: {
    seq: number;
    onChunk: (c: ScanChunk) => void;
    settle: (outcome: ScanOutcome | { error: unknown }) => void;
  } | null = null;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly file: string) {}

  /** One scan at a time; `onChunk` sees the chunks in id order. A throw from it ends the scan with that error. */
  scan(object: string, includeDeleted: boolean, onChunk: (c: ScanChunk) => void): Promise<ScanOutcome> {
    const run = this.queue.then(() => this.run(object, includeDeleted, onChunk));
    this.queue = run.catch(() => undefined);
    return run;
  }

  close(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    this.broken = true;
    this.stopActive({ complete: false });
    return w ? w.terminate().then(() => undefined) : Promise.resolve();
  }

  private async run(
    object: string,
    includeDeleted: boolean,
    onChunk: (c: ScanChunk) => void,
  ): Promise<ScanOutcome> {
    const worker = this.start();
    if (!worker) return { complete: false };
    const seq = ++this.seq;
    const outcome = await new Promise<ScanOutcome | { error: unknown }>((settle) => {
      this.active = { seq, onChunk, settle };
      worker.ref();
      worker.postMessage({
        kind: 'scan',
        seq,
        file: this.file,
        object,
        includeDeleted,
        ahead: AHEAD,
      } satisfies ScanRequest);
    });
    this.active = null;
    this.worker?.unref();
    if ('error' in outcome) throw outcome.error;
    return outcome;
  }

  private start(): Worker | null {
    if (this.worker || this.broken) return this.worker;
    let worker: Worker;
    try {
      worker = new Worker(workerEntry(__filename, 'scan-worker'), { eval: true });
    } catch {
      this.broken = true;
      return null;
    }
    worker.on('message', (reply: ScanReply) => this.receive(reply));
    const lost = (): void => {
      if (this.worker !== worker) return;
      this.worker = null;
      this.broken = true;
      this.stopActive({ complete: false });
    };
    worker.on('error', lost);
    worker.on('exit', lost);
    worker.unref();
    this.worker = worker;
    return worker;
  }

  private receive(reply: ScanReply): void {
    const a = this.active;
    if (!a || reply.seq !== a.seq) return;
    if ('error' in reply) return this.stopActive({ error: new Error(reply.error) });
    if ('done' in reply) return this.stopActive({ complete: true });
    try {
      a.onChunk(reply.chunk);
    } catch (err) {
      this.worker?.postMessage({ kind: 'cancel', seq: a.seq } satisfies ScanRequest);
      return this.stopActive({ error: err });
    }
    this.worker?.postMessage({ kind: 'more', seq: a.seq } satisfies ScanRequest);
  }

  private stopActive(outcome: ScanOutcome | { error: unknown }): void {
    const a = this.active;
    if (!a) return;
    this.active = null;
    a.settle(outcome);
  }
}
