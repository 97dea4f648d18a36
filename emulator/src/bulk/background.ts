import type { Logger } from '../logger';

/** Request bodies of Bulk uploads being received now (all orgs of this process). */
let uploadsReceiving = 0;

/**
 * Counts a Bulk upload's body while it is being received. One turn of the event loop reads about
 * 2 MB of a socket, and a job works for a chunk (a fraction of a second) between turns, so a large
 * upload that arrives while a job runs would crawl; jobs give such uploads more turns (below), as
 * a real org takes uploads on other servers than the ones that process jobs.
 */
export function receivingUpload(req: { once(event: 'end' | 'close', listener: () => void): unknown }): void {
  uploadsReceiving++;
  let done = false;
  const end = (): void => {
    if (done) return;
    done = true;
    uploadsReceiving--;
  };
  req.once('end', end);
  req.once('close', end);
}

/** Turns a job gives the event loop between chunks while an upload is being received. */
const TURNS_FOR_UPLOADS = 32;

/**
 * Resolves on the next turn of the event loop, after pending I/O: lets requests in between work
 * chunks. While an upload is being received, after up to TURNS_FOR_UPLOADS turns.
 */
export async function yieldToEventLoop(): Promise<void> {
  await new Promise<void>((resolve) => setImmediate(resolve));
  for (let turn = 1; turn < TURNS_FOR_UPLOADS && uploadsReceiving > 0; turn++)
    await new Promise<void>((resolve) => setImmediate(resolve));
}

/**
 * Jobs run here, outside the request that started them. A job is an async function that awaits
 * `yieldToEventLoop()` between chunks of work, so several jobs interleave and the HTTP server keeps
 * answering while they run.
 */
export class BackgroundWork {
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly log: Logger) {}

  start(jobId: string, task: () => Promise<void>): void {
    const run: Promise<void> = yieldToEventLoop()
      .then(task)
      .catch((err: unknown) => this.log.error({ err, jobId }, 'bulk job crashed'))
      .finally(() => this.running.delete(run));
    this.running.add(run);
  }

  /** Resolves once no job is running (tests, orderly shutdown). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }
}
