import { makeId } from '../ids';
import type { Db } from './database';

/**
 * Hands out record ids per key prefix. Sequences live in SQLite so a reopened org file keeps
 * counting; callers inside a transaction get ids that roll back with it.
 */
export class IdAllocator {
  private readonly bump;

  constructor(db: Db) {
    this.bump = db.prepare(
      'INSERT INTO _id_sequence (prefix, last) VALUES (?, ?) ON CONFLICT(prefix) DO UPDATE SET last = last + excluded.last RETURNING last',
    );
  }

  next(prefix: string): string {
    const { last } = this.bump.get(prefix, 1) as { last: number };
    return makeId(prefix, last);
  }

  /** Reserves `count` ids at once (bulk loads and the demo generator). */
  reserve(prefix: string, count: number): string[] {
    if (count <= 0) return [];
    const { last } = this.bump.get(prefix, count) as { last: number };
    const ids: string[] = new Array(count);
    for (let i = 0; i < count; i++) ids[i] = makeId(prefix, last - count + 1 + i);
    return ids;
  }
}
