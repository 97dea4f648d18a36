import type { Org } from '../org';
import { RowWriter } from '../store/row-writer';

/**
 * One object's inserts during generation: a RowWriter plus ids reserved in exact blocks (so ids
 * stay dense and follow insertion order) and a row count for the summary.
 */
export class TableWriter {
  readonly name: string;
  private readonly writer: RowWriter;
  private readonly prefix: string;
  private queue: string[] = [];
  private cursor = 0;
  count = 0;

  constructor(
    private readonly org: Org,
    objectName: string,
  ) {
    const obj = org.schema.get(objectName);
    this.name = obj.name;
    this.prefix = obj.keyPrefix;
    this.writer = new RowWriter(org, obj.name);
  }

  /** Reserves ids for the next `n` inserts; call inside the transaction that writes them. */
  reserve(n: number): void {
    if (this.cursor < this.queue.length)
      throw new Error(`${this.name}: ${this.queue.length - this.cursor} reserved ids unused`);
    this.queue = this.org.ids.reserve(this.prefix, n);
    this.cursor = 0;
  }

  /** The id the next insert will get (parents that refer to it are written first). */
  peekId(offset = 0): string {
    const id = this.queue[this.cursor + offset];
    if (id === undefined) throw new Error(`${this.name}: no reserved id left`);
    return id;
  }

  insert(values: Record<string, unknown>, asUserId: string | null, at: number): string {
    const id = this.peekId();
    this.cursor++;
    this.count++;
    // callers pass fresh literals, so the id can go straight in without another copy
    values.Id = id;
    return this.writer.insert(values, asUserId, at);
  }

  /** Reserves and inserts in one go, for small tables. */
  insertAll(rows: Array<{ values: Record<string, unknown>; by: string | null; at: number }>): string[] {
    this.reserve(rows.length);
    return rows.map((r) => this.insert(r.values, r.by, r.at));
  }
}
