import { makeId } from '../ids';
import type { Db } from './database';

/**
 * Hands out record ids per key prefix. Sequences live in SQLite so a reopened org file keeps
 * counting; callers inside a transaction get ids that roll back with it.
 */
export class IdAllocator {
  private readonly bump;
  private readonly step;
  private readonly read;
  private readonly store;
  /** prefix → the last id number handed out by `nextHeld` and not stored yet. */
  private readonly held = new Map<string, number>();

  constructor(db: Db) {
    this.read = db.prepare('SELECT last FROM _id_sequence WHERE prefix = ?');
    this.store = db.prepare(
      'INSERT INTO _id_sequence (prefix, last) VALUES (?, ?) ON CONFLICT(prefix) DO UPDATE SET last = excluded.last',
    );
    this.bump = db.prepare(
      'INSERT INTO _id_sequence (prefix, last) VALUES (?, ?) ON CONFLICT(prefix) DO UPDATE SET last = last + excluded.last RETURNING last',
    );
    // The common case (the prefix has a sequence) as a plain keyed update: cheaper than the upsert.
    this.step = db.prepare('UPDATE _id_sequence SET last = last + 1 WHERE prefix = ? RETURNING last');
  }

  next(prefix: string): string {
    if (this.held.size > 0) this.flush();
    const stepped = this.step.get(prefix) as { last: number } | undefined;
    const { last } = stepped ?? (this.bump.get(prefix, 1) as { last: number });
    return makeId(prefix, last);
  }

  /** Reserves `count` ids at once (bulk loads and the demo generator). */
  reserve(prefix: string, count: number): string[] {
    if (count <= 0) return [];
    if (this.held.size > 0) this.flush();
    const { last } = this.bump.get(prefix, count) as { last: number };
    const ids: string[] = new Array(count);
    for (let i = 0; i < count; i++) ids[i] = makeId(prefix, last - count + 1 + i);
    return ids;
  }

  /**
   * Like `next`, counting in memory: a DML call hands out its rows' ids this way and stores the
   * sequence once, with `flush`, before it commits (or `discard`s it when it rolls back). Any
   * other use of the allocator stores the held sequences first, so the two never disagree.
   */
  nextHeld(prefix: string): string {
    let last = this.held.get(prefix);
    if (last === undefined) last = (this.read.get(prefix) as { last: number } | undefined)?.last ?? 0;
    last++;
    this.held.set(prefix, last);
    return makeId(prefix, last);
  }

  /** Stores the sequences `nextHeld` advanced (inside the caller's transaction). */
  flush(): void {
    for (const [prefix, last] of this.held) this.store.run(prefix, last);
    this.held.clear();
  }

  /** Forgets them: the transaction that used the ids rolled back. */
  discard(): void {
    this.held.clear();
  }
}
