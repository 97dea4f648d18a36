import fs from 'node:fs';
import { XMLParser, XMLValidator } from 'fast-xml-parser';

/** A parsed XML element: child elements by tag (repeated tags become arrays), text as strings. */
export type Xml = Record<string, unknown>;

const PARSER = new XMLParser({ ignoreAttributes: true, parseTagValue: false, trimValues: true });

/** Undefined when the text is well-formed, else a message with line and column. */
export function wellFormednessError(text: string): string | undefined {
  const result = XMLValidator.validate(text);
  if (result === true) return undefined;
  return `malformed XML at line ${result.err.line}, column ${result.err.col}: ${result.err.msg}`;
}

export interface XmlDocument {
  /** The name of the document element (`CustomField`, `PermissionSet`…). */
  root: string;
  body: Xml;
}

/** Parses a file already known to be well-formed. */
export function readXmlDocument(file: string): XmlDocument {
  const doc = PARSER.parse(fs.readFileSync(file, 'utf8')) as Xml;
  const root = Object.keys(doc).find((k) => k !== '?xml') ?? '';
  const body = doc[root];
  return { root, body: typeof body === 'object' && body !== null ? (body as Xml) : {} };
}

/** Every occurrence of a child element, whether it appeared once or many times. */
export function all(parent: unknown, tag: string): unknown[] {
  if (typeof parent !== 'object' || parent === null) return [];
  const v = (parent as Xml)[tag];
  if (v === undefined) return [];
  return Array.isArray(v) ? v : [v];
}

/** Child elements that are themselves elements (not text). */
export function elements(parent: unknown, tag: string): Xml[] {
  return all(parent, tag).filter((v): v is Xml => typeof v === 'object' && v !== null);
}

/** The text of a child element; undefined when it is absent or empty. */
export function text(parent: unknown, tag: string): string | undefined {
  const v = all(parent, tag)[0];
  if (v === undefined || v === null || v === '' || typeof v === 'object') return undefined;
  return String(v);
}

export function texts(parent: unknown, tag: string): string[] {
  return all(parent, tag)
    .filter((v) => v !== '' && typeof v !== 'object')
    .map(String);
}

export const isTrue = (parent: unknown, tag: string): boolean => text(parent, tag) === 'true';
