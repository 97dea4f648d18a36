/**
 * The shape every engine hands to write-back: one sObject and the records to upsert into it.
 * Records carry API field names (docs/crm-objects.md) and always `External_Key__c`; lookups to
 * other result records are external-id references (`{ Parent__r: { External_Key__c: '…' } }`)
 * so parents and children can be written in separate requests without knowing Ids.
 *
 * A set of records that update existing CRM records instead (the territory lookup on Account)
 * carries `Id` and no `External_Key__c`; such sets are updated by Id and never retracted.
 */
export type SObjectRecord = Record<string, unknown>;

export interface ResultSet {
  sobject: string;
  records: SObjectRecord[];
  /**
   * Which previously written records this set replaces. Records the store confirmed earlier whose
   * key starts with this prefix and that are missing from `records` are retracted. Absent: every
   * record of the object (the engine recomputes all of it). Weekly forecast snapshots set their
   * snapshot's prefix so last week's rows stay as history.
   */
  retractScope?: string;
}
