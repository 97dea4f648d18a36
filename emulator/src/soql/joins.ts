import { invalidField, malformedQuery } from '../errors';
import type { Schema } from '../schema/registry';
import type { FieldDef, ObjectDef } from '../schema/types';
import { quoteIdent } from '../store/codec';

/** A column reachable from the query's object: its SQL expression and schema. */
export interface ColumnRef {
  sql: string;
  field: FieldDef;
  object: ObjectDef;
  /** Canonical relationship names from the query's object to the field's object. */
  relationships: string[];
  /** SQL alias of the table the field lives in. */
  alias: string;
}

export interface JoinedTable {
  alias: string;
  object: ObjectDef;
  /** Canonical relationship path, e.g. ['Account', 'Owner']. */
  path: string[];
}

const MAX_PARENT_LEVELS = 5;

export const noSuchColumn = (field: string, object: string) =>
  invalidField(
    `No such column '${field}' on entity '${object}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
  );

const unknownRelationship = (name: string) =>
  invalidField(
    `Didn't understand relationship '${name}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`,
  );

/**
 * The parent lookups a query navigates, each a LEFT JOIN added once per relationship path.
 * Deleted parents are joined away for `query` so they read as null, as Salesforce shows them.
 */
export class Joins {
  readonly clauses: string[] = [];
  private readonly tables = new Map<string, JoinedTable>();
  private counter = 0;

  constructor(
    private readonly schema: Schema,
    readonly base: ObjectDef,
    readonly baseAlias: string,
    private readonly scanAll: boolean,
    /** The FROM alias (`FROM Account a`), which field paths may start with. */
    private readonly objectAlias?: string,
  ) {}

  /** Resolves a dotted path such as `Name`, `Owner.Name` or `a.Account.Owner.UserRole.Name`. */
  column(path: string): ColumnRef {
    const parts = path.split('.');
    const fieldName = parts.pop() as string;
    const rels = this.stripPrefix(parts);
    const table = this.table(rels);
    const field = this.schema.field(table.object.name, fieldName);
    if (!field) throw noSuchColumn(fieldName, table.object.name);
    return {
      sql: `${table.alias}.${quoteIdent(field.name)}`,
      field,
      object: table.object,
      relationships: table.path,
      alias: table.alias,
    };
  }

  /** The joined table at the end of a relationship path ([] is the query's own object). */
  table(rels: string[]): JoinedTable {
    if (rels.length > MAX_PARENT_LEVELS) {
      throw malformedQuery(
        `A query can reach at most ${MAX_PARENT_LEVELS} levels of parent relationships: ${rels.join('.')}`,
      );
    }
    let current: JoinedTable = { alias: this.baseAlias, object: this.base, path: [] };
    for (const rel of rels) {
      const lookup = this.schema.parentRelationship(current.object.name, rel);
      const targetName = lookup?.referenceTo?.find((n) => this.schema.find(n));
      if (!lookup || !targetName || !lookup.relationshipName) throw unknownRelationship(rel);
      const path = [...current.path, lookup.relationshipName];
      const key = path.join('.').toLowerCase();
      let next = this.tables.get(key);
      if (!next) {
        const target = this.schema.get(targetName);
        const alias = `${this.baseAlias}p${++this.counter}`;
        const alive = this.scanAll ? '' : ` AND ${alias}."IsDeleted" = 0`;
        this.clauses.push(
          `LEFT JOIN ${quoteIdent(target.name)} ${alias} ON ${alias}."Id" = ${current.alias}.${quoteIdent(lookup.name)}${alive}`,
        );
        next = { alias, object: target, path };
        this.tables.set(key, next);
      }
      current = next;
    }
    return current;
  }

  /** `FROM Account a` lets paths start with `a.`; `Account.Name` on Account means Name too. */
  private stripPrefix(parts: string[]): string[] {
    if (parts.length === 0) return parts;
    const first = parts[0].toLowerCase();
    if (this.objectAlias && first === this.objectAlias.toLowerCase()) return parts.slice(1);
    if (first === this.base.name.toLowerCase() && !this.schema.parentRelationship(this.base.name, parts[0])) {
      return parts.slice(1);
    }
    return parts;
  }

  /** `FROM "Account" t LEFT JOIN …`. */
  fromSql(): string {
    return [`${quoteIdent(this.base.name)} ${this.baseAlias}`, ...this.clauses].join(' ');
  }

  joinSql(): string {
    return this.clauses.join(' ');
  }
}
