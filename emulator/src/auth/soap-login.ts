import { XMLParser } from 'fast-xml-parser';
import { checkPassword } from '../bootstrap';
import type { Org } from '../org';
import { authConfigOf } from './config';
import {
  faultEnvelope,
  invalidLoginFault,
  invalidSessionFault,
  loginResponseEnvelope,
  logoutResponseEnvelope,
} from './soap-envelopes';
import { findUserByUsername, organizationName } from './users';

/** A SOAP answer: 200 with a response envelope, or 500 with a fault (Salesforce's status for faults). */
export interface SoapAnswer {
  status: 200 | 500;
  body: string;
}

// Values stay strings (a password of digits is not a number) and keep their spaces; numeric
// character references (&#45;) are XML, so they are decoded too (fast-xml-parser files them under HTML).
const parser = new XMLParser({
  removeNSPrefix: true,
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: false,
  htmlEntities: true,
});

/** sessionSecondsValid when tokens do not expire: Salesforce's default session timeout of two hours. */
const DEFAULT_SESSION_SECONDS = 7200;

type XmlNode = Record<string, unknown>;

const asNode = (value: unknown): XmlNode | null =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as XmlNode) : null;
const asText = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/**
 * The partner API calls the embedded org answers: login (username + password → session) and
 * logout (SessionHeader → the session ends). Anything else is a client fault.
 */
export function handleSoapCall(org: Org, version: string, xml: unknown): SoapAnswer {
  let envelope: XmlNode | null = null;
  try {
    envelope = typeof xml === 'string' && xml.trim() ? asNode(asNode(parser.parse(xml))?.Envelope) : null;
  } catch {
    envelope = null;
  }
  const body = asNode(envelope?.Body);
  if (!envelope || !body) return clientFault('Unable to find a SOAP envelope with a body in the request');
  const operation = Object.keys(body).find((k) => !k.startsWith('#'));
  if (operation === 'login') return login(org, version, asNode(body.login) ?? {});
  if (operation === 'logout') {
    const sessionId = asText(asNode(asNode(envelope.Header)?.SessionHeader)?.sessionId);
    const session = sessionId ? org.sessions.resolve(sessionId.trim()) : null;
    if (!session) return { status: 500, body: invalidSessionFault() };
    org.sessions.revoke(session.token);
    return { status: 200, body: logoutResponseEnvelope() };
  }
  return clientFault(`No operation available for request {urn:partner.soap.sforce.com}${operation ?? ''}`);
}

function login(org: Org, version: string, args: XmlNode): SoapAnswer {
  const username = asText(args.username)?.trim();
  const password = asText(args.password);
  const user = username ? findUserByUsername(org, username) : null;
  if (!user || !user.isActive || password === undefined || !checkPassword(org, user.username, password)) {
    return { status: 500, body: invalidLoginFault() };
  }
  const ttlMs = authConfigOf(org).accessTokenTtlMs;
  const session = org.sessions.issueAccessToken(user.id, { ttlMs: ttlMs ?? undefined });
  return {
    status: 200,
    body: loginResponseEnvelope({
      org,
      user,
      version,
      sessionId: session.token,
      sessionSecondsValid: ttlMs ? Math.floor(ttlMs / 1000) : DEFAULT_SESSION_SECONDS,
      organizationName: organizationName(org),
    }),
  };
}

function clientFault(message: string): SoapAnswer {
  return { status: 500, body: faultEnvelope('soapenv:Client', message) };
}
