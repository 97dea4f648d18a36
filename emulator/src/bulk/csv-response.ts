import type { Response } from 'express';

/**
 * Streams CSV lines to a response in blocks of about 64 KB, waiting for the socket to drain, so
 * a 200k-row result never becomes one giant string. Stops writing if the client goes away.
 */
export class CsvResponseWriter {
  private buffer = '';
  private closed = false;

  constructor(
    private readonly res: Response,
    private readonly lineEnding: string,
  ) {
    res.once('close', () => (this.closed = true));
  }

  /** Sets the status and headers; call once, before the first line. */
  start(status: number, headers: Record<string, string> = {}): void {
    // setHeader, not express's set(): set() would append `; charset=utf-8` to the type.
    this.res.status(status);
    this.res.setHeader('Content-Type', 'text/csv');
    for (const [name, value] of Object.entries(headers)) this.res.setHeader(name, value);
  }

  get aborted(): boolean {
    return this.closed;
  }

  async line(text: string): Promise<void> {
    this.buffer += text + this.lineEnding;
    if (this.buffer.length >= 64 * 1024) await this.flush();
  }

  /** Stored lines, already rendered and ended. */
  async bytes(data: Buffer): Promise<void> {
    await this.flush();
    if (this.closed || data.length === 0) return;
    if (!this.res.write(data)) await this.drained();
  }

  async end(): Promise<void> {
    if (this.closed) return;
    if (this.buffer) this.res.write(this.buffer);
    this.buffer = '';
    this.res.end();
  }

  private async flush(): Promise<void> {
    const chunk = this.buffer;
    this.buffer = '';
    if (this.closed || chunk === '') return;
    if (!this.res.write(chunk)) await this.drained();
  }

  private drained(): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        this.res.off('drain', done);
        this.res.off('close', done);
        resolve();
      };
      this.res.on('drain', done);
      this.res.on('close', done);
    });
  }
}
