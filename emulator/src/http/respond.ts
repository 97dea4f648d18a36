import type { Request, Response } from 'express';
import { SfError } from '../errors';

// Bodies go out as Buffers: express rewrites the charset of string bodies to lower case.

/**
 * jsforce picks its body parser from the response Content-Type, so every JSON answer states it
 * exactly as Salesforce does.
 */
export function sendJson(res: Response, status: number, body: unknown): void {
  res
    .status(status)
    .set('Content-Type', 'application/json;charset=UTF-8')
    .send(Buffer.from(JSON.stringify(body)));
}

export function sendCsv(res: Response, status: number, body: string): void {
  res.status(status).set('Content-Type', 'text/csv').send(Buffer.from(body));
}

export function sendXml(res: Response, status: number, body: string): void {
  res.status(status).set('Content-Type', 'text/xml;charset=UTF-8').send(Buffer.from(body));
}

/** The parsed JSON body of a write, or Salesforce's answer to a body that is not JSON. */
export function jsonBody(req: Request): unknown {
  const type = req.headers['content-type'] ?? '';
  if (!/^application\/json/i.test(type)) {
    throw new SfError(
      415,
      'UNSUPPORTED_MEDIA_TYPE',
      `Content type '${type || 'none'}' not supported for this resource`,
    );
  }
  if (
    req.body === undefined ||
    (typeof req.body === 'object' && req.body !== null && Buffer.isBuffer(req.body))
  ) {
    throw new SfError(400, 'JSON_PARSER_ERROR', 'The request body is empty or is not valid JSON');
  }
  return req.body;
}

/** A JSON object body (records, collection requests); arrays and scalars are rejected. */
export function jsonObjectBody(req: Request): Record<string, unknown> {
  const body = jsonBody(req);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new SfError(
      400,
      'JSON_PARSER_ERROR',
      'Expected a JSON object at the top level of the request body',
    );
  }
  return body as Record<string, unknown>;
}
