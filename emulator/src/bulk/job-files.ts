import {
  appendFileSync,
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Db } from '../store/database';

/**
 * Files of Bulk jobs: big uploads and every job's result lines. They live next to the org's
 * SQLite file (`<db>.bulk/`), or under the OS temp folder for an in-memory org, so result sets of
 * hundreds of megabytes neither bloat the org's database nor cost a SQLite write and read.
 */
export class JobFiles {
  readonly dir: string;
  private readonly temporary: boolean;
  private ready = false;

  constructor(db: Db) {
    this.temporary = db.memory;
    this.dir = db.memory ? path.join(os.tmpdir(), `salesops-bulk-${process.pid}`) : `${db.name}.bulk`;
  }

  writeUpload(id: string, data: Buffer): string {
    const file = this.file(id, 'upload.csv');
    writeFileSync(file, data);
    return file;
  }

  /** Appends bytes to the job's results file and returns the offset they start at. */
  appendResults(id: string, data: Buffer): number {
    const file = this.file(id, 'results.csv');
    const start = existsSync(file) ? statSync(file).size : 0;
    appendFileSync(file, data);
    return start;
  }

  readResults(id: string, start: number, length: number): Buffer {
    if (length <= 0) return Buffer.alloc(0);
    const fd = openSync(this.file(id, 'results.csv'), 'r');
    try {
      const buf = Buffer.allocUnsafe(length);
      let read = 0;
      while (read < length) {
        const n = readSync(fd, buf, read, length - read, start + read);
        if (n === 0) break;
        read += n;
      }
      return buf.subarray(0, read);
    } finally {
      closeSync(fd);
    }
  }

  remove(id: string): void {
    rmSync(path.join(this.dir, `${id}.upload.csv`), { force: true });
    rmSync(path.join(this.dir, `${id}.results.csv`), { force: true });
  }

  private file(id: string, suffix: string): string {
    if (!this.ready) {
      mkdirSync(this.dir, { recursive: true });
      // An in-memory org forgets its jobs at exit; their files should not outlive it either.
      if (this.temporary) removeAtExit(this.dir);
      this.ready = true;
    }
    return path.join(this.dir, `${id}.${suffix}`);
  }
}

const exitCleanup = new Set<string>();

function removeAtExit(dir: string): void {
  if (exitCleanup.size === 0) {
    process.once('exit', () => {
      for (const d of exitCleanup) rmSync(d, { recursive: true, force: true });
    });
  }
  exitCleanup.add(dir);
}
