import type { Db } from '../store/database';

/** An event as retained for replay: its channel, replay id and the delivered `data`. */
export interface RetainedEvent {
  replayId: number;
  channel: string;
  data: Record<string, unknown>;
}

/** Salesforce keeps streaming events for 72 hours (24 for PushTopic on older orgs); we keep 72. */
export const RETENTION_MS = 72 * 60 * 60 * 1000;

/**
 * The org's event bus log: one monotonic replay id across channels (Salesforce's ids are per
 * channel but only their order matters to clients), kept in the org's database so a restarted
 * org still replays what it announced before.
 */
export class EventLog {
  private readonly insert;
  private readonly since;
  private readonly prune;
  private readonly setData;

  constructor(db: Db) {
    db.exec(`CREATE TABLE IF NOT EXISTS _streaming_event (
      replay_id INTEGER PRIMARY KEY AUTOINCREMENT, channel TEXT NOT NULL, created_at INTEGER NOT NULL, data TEXT NOT NULL
    )`);
    db.exec('CREATE INDEX IF NOT EXISTS _streaming_event_channel ON _streaming_event (channel, replay_id)');
    this.insert = db.prepare('INSERT INTO _streaming_event (channel, created_at, data) VALUES (?, ?, ?)');
    this.since = db.prepare(
      'SELECT replay_id, data FROM _streaming_event WHERE channel = ? AND replay_id > ? AND created_at > ? ORDER BY replay_id',
    );
    this.prune = db.prepare('DELETE FROM _streaming_event WHERE created_at <= ?');
    this.setData = db.prepare('UPDATE _streaming_event SET data = ? WHERE replay_id = ?');
  }

  /** Stores an event; `build` gets the new replay id and returns the data to deliver. */
  append(channel: string, now: number, build: (replayId: number) => Record<string, unknown>): RetainedEvent {
    const info = this.insert.run(channel, now, '{}');
    const replayId = Number(info.lastInsertRowid);
    const data = build(replayId);
    this.setData.run(JSON.stringify(data), replayId);
    return { replayId, channel, data };
  }

  /** Events of a channel after `replayFrom` (-2: everything retained), oldest first. */
  after(channel: string, replayFrom: number, now: number): RetainedEvent[] {
    const from = replayFrom === -2 ? 0 : replayFrom;
    return (
      this.since.all(channel, from, now - RETENTION_MS) as Array<{ replay_id: number; data: string }>
    ).map((r) => ({ replayId: r.replay_id, channel, data: JSON.parse(r.data) as Record<string, unknown> }));
  }

  pruneBefore(cutoff: number): void {
    this.prune.run(cutoff);
  }
}
