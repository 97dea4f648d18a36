/**
 * The schema of the embedded org as plain data. Standard objects are declared in
 * `standard-objects.ts`; custom objects come from SFDX source folders (`metadata-loader.ts`).
 * Describe, validation, storage and SOQL all read this one model, so they cannot disagree.
 */
export type FieldType =
  | 'id'
  | 'string'
  | 'textarea'
  | 'picklist'
  | 'multipicklist'
  | 'combobox'
  | 'boolean'
  | 'int'
  | 'double'
  | 'currency'
  | 'percent'
  | 'date'
  | 'datetime'
  | 'time'
  | 'reference'
  | 'email'
  | 'phone'
  | 'url';

export interface PicklistValue {
  value: string;
  label: string;
  defaultValue?: boolean;
  active?: boolean;
}

export interface FieldDef {
  /** Canonical API name, e.g. `AccountId`, `Amount`, `External_Key__c`. */
  name: string;
  label: string;
  type: FieldType;
  /** Characters for text types. */
  length?: number;
  /** Total digits and digits after the point for number types. */
  precision?: number;
  scale?: number;
  /** Must be given on create (describe: nillable=false, createable, not defaulted). */
  required?: boolean;
  /** Can be null (describe `nillable`). Defaults to !required; booleans are never nillable. */
  nillable?: boolean;
  unique?: boolean;
  caseSensitive?: boolean;
  externalId?: boolean;
  /** Writable on insert / update by API clients. System and formula fields are neither. */
  createable?: boolean;
  updateable?: boolean;
  /** The server fills a value when none is given (Id, audit fields, OwnerId, auto-numbers). */
  defaultedOnCreate?: boolean;
  /** The default value for a new record when the client gives none. */
  defaultValue?: string | number | boolean | null;
  nameField?: boolean;
  /** Usable as an upsert key (Id, external ids, and a few standard fields). */
  idLookup?: boolean;
  autoNumber?: boolean;
  /** Display format of an auto-number, e.g. `Q-{00000}`. */
  autoNumberFormat?: string;
  calculated?: boolean;
  custom?: boolean;
  /** Lookups and master-detail. */
  referenceTo?: string[];
  relationshipName?: string;
  /** The name the parent uses for the children (`Opportunities`, `Quotas__r`); none means not navigable. */
  childRelationshipName?: string;
  /** Master-detail: children are deleted with the parent, and the parent is required. */
  cascadeDelete?: boolean;
  /** Lookups with deleteConstraint SetNull (the default for optional lookups). */
  restrictedDelete?: boolean;
  picklistValues?: PicklistValue[];
  restrictedPicklist?: boolean;
  /** Filterable/sortable/groupable in SOQL; textarea (long) fields are not filterable. */
  filterable?: boolean;
  sortable?: boolean;
  groupable?: boolean;
  description?: string;
  inlineHelpText?: string;
  /** Rich text (metadata type Html): describe says `htmlFormatted` and extraTypeInfo `richtextarea`. */
  htmlFormatted?: boolean;
}

export type SharingModel =
  'Private' | 'Read' | 'ReadWrite' | 'ControlledByParent' | 'FullAccess' | 'ReadSelect';

export interface ObjectDef {
  /** Canonical API name, e.g. `Opportunity`, `Sales_Quota__c`. */
  name: string;
  label: string;
  labelPlural: string;
  /** Three characters; custom objects get one assigned by the org and stored. */
  keyPrefix: string;
  custom: boolean;
  /** Fields in describe order. Id first. */
  fields: FieldDef[];
  /** True when the object has an OwnerId (defaulted to the running user). */
  hasOwner?: boolean;
  sharingModel?: SharingModel;
  createable?: boolean;
  updateable?: boolean;
  deletable?: boolean;
  queryable?: boolean;
  /** Objects written only by the org itself (OpportunityHistory): not createable through the API. */
  readOnly?: boolean;
  description?: string;
  /** Describe flags; when absent describe derives them (read-only objects are none of these). */
  searchable?: boolean;
  triggerable?: boolean;
  layoutable?: boolean;
  replicateable?: boolean;
  mergeable?: boolean;
}

export interface ChildRelationship {
  childSObject: string;
  field: string;
  relationshipName: string | null;
  cascadeDelete: boolean;
  restrictedDelete: boolean;
}
