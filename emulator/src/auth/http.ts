import type { Request, Response } from 'express';
import type { TokenParams } from './grants';

// Request and response helpers of the auth endpoints (OAuth, identity, admin).

/**
 * The parameters of an OAuth request: the form body, with the query string as a fallback because
 * Salesforce's token endpoint accepts both. A repeated parameter counts once (its first value).
 */
export function oauthParams(req: Request): TokenParams {
  const out: TokenParams = {};
  for (const source of [req.query, req.body as unknown]) {
    if (!source || typeof source !== 'object' || Buffer.isBuffer(source)) continue;
    for (const [key, raw] of Object.entries(source as Record<string, unknown>)) {
      const value = Array.isArray(raw) ? raw[0] : raw;
      if (typeof value === 'string') out[key] = value;
    }
  }
  return out;
}

/** A token from `Authorization: Bearer|OAuth x`, else from the named query parameters. */
export function presentedToken(req: Request, queryNames: string[]): string | null {
  const header = req.headers.authorization;
  const m = header ? /^(?:Bearer|OAuth)\s+(.+)$/i.exec(header.trim()) : null;
  if (m) return m[1];
  for (const name of queryNames) {
    const v = req.query[name];
    const value = Array.isArray(v) ? v[0] : v;
    if (typeof value === 'string' && value) return value;
  }
  return null;
}

/** The identity service answers its errors as a bare code in plain text. */
export function sendText(res: Response, status: number, body: string): void {
  res.status(status).set('Content-Type', 'text/plain;charset=UTF-8').send(Buffer.from(body));
}
