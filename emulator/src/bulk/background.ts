import type { Logger } from '../logger';

/** Resolves on the next turn of the event loop, after pending I/O: lets requests in between work chunks. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
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
