import { parseQuery, type Query } from '@jetstreamapp/soql-parser-js';
import { malformedQuery } from '../errors';

export type { Query } from '@jetstreamapp/soql-parser-js';

/**
 * Parses SOQL with @jetstreamapp/soql-parser-js and turns its chevrotain errors into Salesforce's
 * MALFORMED_QUERY, whose message names the offending token the way Salesforce does.
 */
export function parseSoql(soql: string): Query {
  if (!soql.trim()) throw malformedQuery('unexpected token: <EOF>');
  try {
    return parseQuery(soql);
  } catch (err) {
    throw malformedQuery(describeParseError(soql, err instanceof Error ? err.message : String(err)));
  }
}

function describeParseError(soql: string, message: string): string {
  const found = /but found: '([^']*)'/.exec(message);
  const lexed = /unexpected character: ->(.)<- at offset: (\d+)/.exec(message);
  if (lexed)
    return `\n${soql}\n${pointer(Number(lexed[2]))}\nERROR at Row:1:Column:${Number(lexed[2]) + 1}\nunexpected token: '${lexed[1]}'`;
  const token = found ? found[1].trim() : '';
  if (!token) return `\n${soql}\nERROR at Row:1:Column:${soql.length}\nunexpected token: <EOF>`;
  const at = soql.lastIndexOf(token);
  if (at < 0) return `unexpected token: '${token}'`;
  return `\n${soql}\n${pointer(at)}\nERROR at Row:1:Column:${at + 1}\nunexpected token: '${token.split(/\s+/)[0]}'`;
}

const pointer = (offset: number): string => ' '.repeat(offset) + '^';
