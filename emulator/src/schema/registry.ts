import { invalidType } from '../errors';
import type { ChildRelationship, FieldDef, ObjectDef } from './types';

/**
 * Case-insensitive access to the org's objects, fields and relationships. Built once per org from
 * the standard definitions plus any loaded metadata; read-only afterwards.
 */
export class Schema {
  private readonly objects = new Map<string, ObjectDef>();
  private readonly byPrefix = new Map<string, ObjectDef>();
  private readonly fieldIndex = new Map<string, Map<string, FieldDef>>();
  private readonly parentRelIndex = new Map<string, Map<string, FieldDef>>();
  private readonly childRels = new Map<string, ChildRelationship[]>();

  constructor(objects: ObjectDef[]) {
    for (const obj of objects) this.add(obj);
    this.indexChildRelationships();
  }

  private add(obj: ObjectDef): void {
    const key = obj.name.toLowerCase();
    if (this.objects.has(key)) throw new Error(`object ${obj.name} is defined twice`);
    if (this.byPrefix.has(obj.keyPrefix)) {
      throw new Error(
        `key prefix ${obj.keyPrefix} of ${obj.name} is already used by ${this.byPrefix.get(obj.keyPrefix)?.name}`,
      );
    }
    this.objects.set(key, obj);
    this.byPrefix.set(obj.keyPrefix, obj);
    const fields = new Map<string, FieldDef>();
    const rels = new Map<string, FieldDef>();
    for (const f of obj.fields) {
      fields.set(f.name.toLowerCase(), f);
      if (f.type === 'reference' && f.relationshipName) rels.set(f.relationshipName.toLowerCase(), f);
    }
    this.fieldIndex.set(key, fields);
    this.parentRelIndex.set(key, rels);
  }

  private indexChildRelationships(): void {
    for (const obj of this.objects.values()) this.childRels.set(obj.name.toLowerCase(), []);
    for (const child of this.objects.values()) {
      for (const f of child.fields) {
        if (f.type !== 'reference' || !f.referenceTo) continue;
        for (const parentName of f.referenceTo) {
          const list = this.childRels.get(parentName.toLowerCase());
          if (!list) continue;
          list.push({
            childSObject: child.name,
            field: f.name,
            relationshipName: f.childRelationshipName ?? null,
            cascadeDelete: Boolean(f.cascadeDelete),
            restrictedDelete: Boolean(f.restrictedDelete),
          });
        }
      }
    }
  }

  list(): ObjectDef[] {
    return [...this.objects.values()];
  }

  find(name: string): ObjectDef | undefined {
    return this.objects.get(name.toLowerCase());
  }

  /** The object, or Salesforce's INVALID_TYPE error. */
  get(name: string): ObjectDef {
    const obj = this.find(name);
    if (!obj) throw invalidType(name);
    return obj;
  }

  byKeyPrefix(prefix: string): ObjectDef | undefined {
    return this.byPrefix.get(prefix);
  }

  field(objectName: string, fieldName: string): FieldDef | undefined {
    return this.fieldIndex.get(objectName.toLowerCase())?.get(fieldName.toLowerCase());
  }

  /** The lookup field behind a parent relationship name (`Owner` → OwnerId, `Account__r` → Account__c). */
  parentRelationship(objectName: string, relationshipName: string): FieldDef | undefined {
    return this.parentRelIndex.get(objectName.toLowerCase())?.get(relationshipName.toLowerCase());
  }

  childRelationships(objectName: string): ChildRelationship[] {
    return this.childRels.get(objectName.toLowerCase()) ?? [];
  }

  childRelationship(objectName: string, relationshipName: string): ChildRelationship | undefined {
    const wanted = relationshipName.toLowerCase();
    return this.childRelationships(objectName).find((r) => r.relationshipName?.toLowerCase() === wanted);
  }
}
