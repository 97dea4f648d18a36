import { parseQuery, type Query } from '@jetstreamapp/soql-parser-js';
import type { Logger } from '../logger';
import type { Org } from '../org';
import { runQuery } from '../soql';
import type { RecordChange } from './change-feed';

/** An active PushTopic row, with its query taken apart once. */
interface Topic {
  name: string;
  object: string;
  selectText: string;
  whereText: string | null;
  selectFields: Set<string>;
  whereFields: Set<string>;
  notifyForFields: 'All' | 'Referenced' | 'Select' | 'Where';
  onCreate: boolean;
  onUpdate: boolean;
}

interface TopicRow {
  Name: string;
  Query: string;
  NotifyForFields: string | null;
  NotifyForOperationCreate: number;
  NotifyForOperationUpdate: number;
}

/** What a matching change publishes on `/topic/<name>`. */
export interface TopicMatch {
  topic: string;
  type: RecordChange['kind'];
  sobject: Record<string, unknown>;
}

const ID = /^[a-zA-Z0-9]{18}$/;
// PushTopic queries allow no ORDER BY, LIMIT or OFFSET, so WHERE (if any) is the query's tail.
const WHERE_TAIL = /\sWHERE\s([\s\S]+)$/i;

/**
 * Which PushTopics a batch of committed changes triggers, Salesforce's way: the record must match
 * the topic's query after the change, the operation must be one the topic notifies for, and an
 * update must touch a field the topic's NotifyForFields names (Referenced: SELECT or WHERE fields).
 * The match is decided by the org's own SOQL engine, running the topic's query narrowed to the id.
 */
export function matchPushTopics(org: Org, changes: RecordChange[], log: Logger): TopicMatch[] {
  const topics = loadTopics(org, log);
  if (topics.length === 0) return [];
  const matches: TopicMatch[] = [];
  for (const change of changes) {
    for (const topic of topics) {
      if (topic.object.toLowerCase() !== change.object.toLowerCase()) continue;
      if (change.kind === 'created' ? !topic.onCreate : !topic.onUpdate) continue;
      if (change.kind === 'updated' && !touches(topic, change.changedFields)) continue;
      if (!ID.test(change.id)) continue;
      const where = topic.whereText ? ` AND (${topic.whereText})` : '';
      const page = runQuery(
        org,
        `SELECT ${topic.selectText} FROM ${topic.object} WHERE Id = '${change.id}'${where}`,
      );
      const record = page.records[0];
      if (!record) continue;
      const { attributes: _attributes, ...sobject } = record as Record<string, unknown>;
      matches.push({ topic: topic.name, type: change.kind, sobject });
    }
  }
  return matches;
}

/**
 * The objects active PushTopics watch (lower-cased), plus PushTopic itself so that a new or
 * changed topic refreshes the set.
 */
export function watchedObjects(org: Org, log: Logger): Set<string> {
  const objects = new Set(['pushtopic']);
  for (const t of loadTopics(org, log)) objects.add(t.object.toLowerCase());
  return objects;
}

/** Whether the topic exists and is active (subscribing to any other `/topic/` channel fails). */
export function topicExists(org: Org, name: string): boolean {
  return (
    org.db
      .prepare('SELECT 1 FROM "PushTopic" WHERE Name = ? AND IsActive = 1 AND IsDeleted = 0')
      .get(name) !== undefined
  );
}

function touches(topic: Topic, changed: string[]): boolean {
  if (topic.notifyForFields === 'All') return true;
  const lower = changed.map((f) => f.toLowerCase());
  const select = lower.some((f) => topic.selectFields.has(f));
  const where = lower.some((f) => topic.whereFields.has(f));
  if (topic.notifyForFields === 'Select') return select;
  if (topic.notifyForFields === 'Where') return where;
  return select || where;
}

function loadTopics(org: Org, log: Logger): Topic[] {
  const rows = org.db
    .prepare(
      'SELECT Name, Query, NotifyForFields, NotifyForOperationCreate, NotifyForOperationUpdate FROM "PushTopic" WHERE IsActive = 1 AND IsDeleted = 0',
    )
    .all() as TopicRow[];
  const topics: Topic[] = [];
  for (const row of rows) {
    try {
      topics.push(toTopic(row));
    } catch (err) {
      log.warn({ topic: row.Name, err: (err as Error).message }, 'PushTopic query not usable; skipped');
    }
  }
  return topics;
}

function toTopic(row: TopicRow): Topic {
  const parsed: Query = parseQuery(row.Query);
  if (parsed.orderBy || parsed.limit !== undefined || parsed.offset !== undefined || parsed.groupBy)
    throw new Error('PushTopic queries take no ORDER BY, LIMIT, OFFSET or GROUP BY');
  if (!parsed.sObject) throw new Error('no FROM object');
  const selectFields = new Set<string>();
  for (const f of parsed.fields ?? []) {
    if (f.type !== 'Field') throw new Error('PushTopic queries select plain fields only');
    selectFields.add(f.field.toLowerCase());
  }
  const whereFields = new Set<string>();
  collectFields(parsed.where, whereFields);
  const selectText = /^\s*SELECT\s([\s\S]+?)\sFROM\s/i.exec(row.Query)?.[1]?.trim();
  if (!selectText) throw new Error('no SELECT list');
  const mode = row.NotifyForFields ?? 'Referenced';
  return {
    name: row.Name,
    object: parsed.sObject,
    selectText,
    whereText: WHERE_TAIL.exec(row.Query)?.[1]?.trim() ?? null,
    selectFields,
    whereFields,
    notifyForFields: (['All', 'Referenced', 'Select', 'Where'].includes(mode)
      ? mode
      : 'Referenced') as Topic['notifyForFields'],
    onCreate: row.NotifyForOperationCreate === 1,
    onUpdate: row.NotifyForOperationUpdate === 1,
  };
}

function collectFields(node: unknown, into: Set<string>): void {
  if (!node || typeof node !== 'object') return;
  const n = node as Record<string, unknown>;
  if (typeof n.field === 'string') into.add(n.field.toLowerCase());
  for (const key of ['left', 'right']) collectFields(n[key], into);
}
