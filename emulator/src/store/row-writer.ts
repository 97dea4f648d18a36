import type { Org } from '../org';
import type { ObjectDef } from '../schema/types';
import { quoteIdent, toSecond } from './codec';

/**
 * Writes already-validated rows straight into an object's table, filling the system fields the way
 * the org does (ids, audit fields, IsDeleted, OwnerId). Used by bootstrap and the demo generator,
 * which produce trusted data in volume; API writes go through the DML layer's validation instead.
 * Values must already be in storage form (see codec.ts).
 */
export class RowWriter {
  private readonly obj: ObjectDef;
  private readonly columns: string[];
  private readonly stmt;
  private readonly booleans: boolean[];

  constructor(
    private readonly org: Org,
    objectName: string,
  ) {
    this.obj = org.schema.get(objectName);
    this.columns = this.obj.fields.map((f) => f.name);
    this.booleans = this.obj.fields.map((f) => f.type === 'boolean');
    const cols = this.columns.map(quoteIdent).join(', ');
    const params = this.columns.map(() => '?').join(', ');
    this.stmt = org.db.prepare(`INSERT INTO ${quoteIdent(this.obj.name)} (${cols}) VALUES (${params})`);
  }

  /**
   * Inserts one row and returns its id. `asUserId` is the creator (and default owner);
   * `at` the creation time in ms (defaults to the org clock).
   */
  insert(values: Record<string, unknown>, asUserId: string | null, at?: number): string {
    const stamp = toSecond(at ?? this.org.now());
    const id = (values.Id as string | undefined) ?? this.org.ids.next(this.obj.keyPrefix);
    const row: Record<string, unknown> = {
      IsDeleted: 0,
      CreatedDate: stamp,
      LastModifiedDate: stamp,
      SystemModstamp: stamp,
      CreatedById: asUserId,
      LastModifiedById: asUserId,
      ...(this.obj.hasOwner ? { OwnerId: asUserId } : {}),
      ...values,
      Id: id,
    };
    this.stmt.run(this.columns.map((c, i) => normalise(row[c], this.booleans[i])));
    return id;
  }
}

function normalise(value: unknown, isBoolean: boolean): unknown {
  if (value === undefined || value === null) return isBoolean ? 0 : null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  return value;
}
