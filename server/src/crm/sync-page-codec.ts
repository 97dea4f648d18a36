import type { SyncedRecord } from '../store';

/**
 * A page of normalised records packed for the trip from the page worker to the main thread:
 * every text value in one string, their end offsets, stamps and flags in typed arrays whose
 * buffers are transferred, not copied. Posting the records as objects instead cost the main
 * thread more to deserialise (one heap object per value) than normalising them there had.
 */
export interface PackedPage {
  object: string;
  count: number;
  /** The text columns of every record, one after the other. */
  text: string;
  /** Per record and text column: the value's end offset in `text`, or `~start` for null. */
  ends: Int32Array;
  modstamps: Float64Array;
  /** Per record: deleted, isClosed, isWon (each 0 false, 1 true, 2 null; deleted never null). */
  flags: Uint8Array;
}

/** The text columns, in the order they are packed: id, ownerId, parentId, accountId, name, amount, closeDate, stage, category, currency, raw. */
const WIDTH = 11;
const NULL_FLAG = 2;

/** Packs records that all belong to `object` (one page of one read). */
export function packPage(object: string, records: SyncedRecord[]): PackedPage {
  const count = records.length;
  const ends = new Int32Array(count * WIDTH);
  const modstamps = new Float64Array(count);
  const flags = new Uint8Array(count * 3);
  // Pushed, not preallocated: join over a packed array is several times faster than over a holey one.
  const parts: string[] = [];
  let at = 0;
  let k = 0;
  const put = (v: string | null): void => {
    if (v === null) {
      ends[k++] = ~at;
    } else {
      parts.push(v);
      at += v.length;
      ends[k++] = at;
    }
  };
  for (let r = 0; r < count; r++) {
    const rec = records[r];
    if (rec.object !== object) throw new Error(`a page of ${object} holds a ${rec.object} record`);
    // In packing order (unpackPage reads them back in the same order).
    put(rec.id);
    put(rec.ownerId);
    put(rec.parentId);
    put(rec.accountId);
    put(rec.name);
    put(rec.amount);
    put(rec.closeDate);
    put(rec.stage);
    put(rec.category);
    put(rec.currency);
    put(rec.raw);
    modstamps[r] = rec.modstamp;
    flags[r * 3] = rec.deleted ? 1 : 0;
    flags[r * 3 + 1] = flagOf(rec.isClosed);
    flags[r * 3 + 2] = flagOf(rec.isWon);
  }
  return { object, count, text: parts.join(''), ends, modstamps, flags };
}

/** The records `packPage` was given, equal field for field. */
export function unpackPage(page: PackedPage): SyncedRecord[] {
  return unpackRange(page, 0, page.count);
}

/** Records `from` (inclusive) to `to` (exclusive) of a packed page, equal field for field. */
export function unpackRange(page: PackedPage, from: number, to: number): SyncedRecord[] {
  const { object, text, ends, modstamps, flags } = page;
  const end = Math.min(to, page.count);
  const out = new Array<SyncedRecord>(Math.max(0, end - from));
  let k = from * WIDTH;
  let at = k === 0 ? 0 : ends[k - 1] < 0 ? ~ends[k - 1] : ends[k - 1];
  // One value after another, in packing order; written out so the record keeps one shape.
  const next = (): string | null => {
    const e = ends[k++];
    if (e < 0) return null;
    const v = text.slice(at, e);
    at = e;
    return v;
  };
  for (let r = from; r < end; r++) {
    const id = next() as string;
    const ownerId = next();
    const parentId = next();
    const accountId = next();
    const name = next();
    const amount = next();
    const closeDate = next();
    const stage = next();
    const category = next();
    const currency = next();
    const raw = next() as string;
    out[r - from] = {
      object,
      id,
      modstamp: modstamps[r],
      deleted: flags[r * 3] === 1,
      ownerId,
      parentId,
      accountId,
      name,
      amount,
      closeDate,
      stage,
      category,
      isClosed: boolOf(flags[r * 3 + 1]),
      isWon: boolOf(flags[r * 3 + 2]),
      currency,
      raw,
    };
  }
  return out;
}

/** The buffers `postMessage` can hand over instead of copying. */
export function transferablesOf(page: PackedPage): ArrayBuffer[] {
  return [page.ends.buffer, page.modstamps.buffer, page.flags.buffer] as ArrayBuffer[];
}

function flagOf(v: boolean | null): number {
  return v === null ? NULL_FLAG : v ? 1 : 0;
}

function boolOf(f: number): boolean | null {
  return f === NULL_FLAG ? null : f === 1;
}
