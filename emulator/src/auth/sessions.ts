import { randomBytes } from 'node:crypto';
import type { Db } from '../store/database';

export interface Session {
  token: string;
  userId: string;
  /** Set for refresh tokens: the access tokens they mint belong to the same grant. */
  refreshToken?: string;
  clientId?: string;
  issuedAt: number;
  /** Null: valid until revoked. */
  expiresAt: number | null;
}

/**
 * Access and refresh tokens. Every token the org issues stays valid until it is revoked or expires,
 * because jsforce re-issues a request after refreshing and would loop on a token the API rejects.
 */
export class SessionStore {
  private readonly insert;
  private readonly lookup;
  private readonly revokeOne;

  constructor(
    private readonly db: Db,
    private readonly now: () => number,
  ) {
    db.exec(`CREATE TABLE IF NOT EXISTS _session (
      token TEXT PRIMARY KEY, kind TEXT NOT NULL, user_id TEXT NOT NULL, client_id TEXT,
      refresh_token TEXT, issued_at INTEGER NOT NULL, expires_at INTEGER, revoked INTEGER NOT NULL DEFAULT 0
    )`);
    this.insert = db.prepare(
      'INSERT OR REPLACE INTO _session (token, kind, user_id, client_id, refresh_token, issued_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    this.lookup = db.prepare('SELECT * FROM _session WHERE token = ? AND kind = ? AND revoked = 0');
    this.revokeOne = db.prepare('UPDATE _session SET revoked = 1 WHERE token = ? OR refresh_token = ?');
  }

  /**
   * `pinned` marks a development token (the org's static token): it resolves like any access token
   * but no expiry (admin "expire all", injected session expiry) ends it; only an explicit revoke does.
   */
  issueAccessToken(
    userId: string,
    opts: { clientId?: string; refreshToken?: string; ttlMs?: number; token?: string; pinned?: boolean } = {},
  ): Session {
    const token = opts.token ?? `00D!${randomBytes(24).toString('base64url')}`;
    const issuedAt = this.now();
    const expiresAt = opts.ttlMs && !opts.pinned ? issuedAt + opts.ttlMs : null;
    const kind = opts.pinned ? 'pinned' : 'access';
    this.insert.run(
      token,
      kind,
      userId,
      opts.clientId ?? null,
      opts.refreshToken ?? null,
      issuedAt,
      expiresAt,
    );
    return { token, userId, clientId: opts.clientId, refreshToken: opts.refreshToken, issuedAt, expiresAt };
  }

  issueRefreshToken(userId: string, clientId?: string): string {
    const token = `5Aep${randomBytes(32).toString('base64url')}`;
    this.insert.run(token, 'refresh', userId, clientId ?? null, null, this.now(), null);
    return token;
  }

  /** The live session behind an access token, or null when unknown, revoked or expired. */
  resolve(token: string): Session | null {
    return this.resolveKind(token, 'access') ?? this.resolveKind(token, 'pinned');
  }

  resolveRefreshToken(token: string): Session | null {
    return this.resolveKind(token, 'refresh');
  }

  private resolveKind(token: string, kind: string): Session | null {
    const row = this.lookup.get(token, kind) as
      | {
          token: string;
          user_id: string;
          client_id: string | null;
          refresh_token: string | null;
          issued_at: number;
          expires_at: number | null;
        }
      | undefined;
    if (!row) return null;
    if (row.expires_at !== null && row.expires_at <= this.now()) return null;
    return {
      token: row.token,
      userId: row.user_id,
      clientId: row.client_id ?? undefined,
      refreshToken: row.refresh_token ?? undefined,
      issuedAt: row.issued_at,
      expiresAt: row.expires_at,
    };
  }

  /** True for any token the org issued and has not revoked, live or expired (revoke accepts both). */
  isKnown(token: string): boolean {
    return this.db.prepare('SELECT 1 FROM _session WHERE token = ? AND revoked = 0').get(token) !== undefined;
  }

  /** Revokes a token; revoking a refresh token also ends the access tokens it minted. */
  revoke(token: string): void {
    this.revokeOne.run(token, token);
  }

  /** Expires every access token now (fault injection: "session expiry"); returns how many were live. */
  expireAllAccessTokens(): number {
    const now = this.now();
    return this.db
      .prepare(
        "UPDATE _session SET expires_at = ? WHERE kind = 'access' AND revoked = 0 AND (expires_at IS NULL OR expires_at > ?)",
      )
      .run(now, now).changes;
  }

  /** Expires one access token now; false when it is unknown, pinned, revoked or already expired. */
  expire(token: string): boolean {
    const now = this.now();
    return (
      this.db
        .prepare(
          "UPDATE _session SET expires_at = ? WHERE token = ? AND kind = 'access' AND revoked = 0 AND (expires_at IS NULL OR expires_at > ?)",
        )
        .run(now, token, now).changes > 0
    );
  }
}
