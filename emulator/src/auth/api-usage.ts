import type { Org } from '../org';

export interface ApiUsageSnapshot {
  used: number;
  limit: number;
}

/**
 * The daily API request allocation: one counter per UTC day of the org's clock, kept in the org's
 * database so a restarted org remembers what was spent today. Sforce-Limit-Info, /limits and the
 * REQUEST_LIMIT_EXCEEDED check all read this one counter.
 */
export class ApiUsage {
  private readonly increment;
  private readonly read;
  private readonly write;

  constructor(private readonly org: Org) {
    org.db.exec('CREATE TABLE IF NOT EXISTS _api_usage (day TEXT PRIMARY KEY, used INTEGER NOT NULL)');
    this.increment = org.db.prepare(
      'INSERT INTO _api_usage (day, used) VALUES (?, 1) ON CONFLICT(day) DO UPDATE SET used = used + 1 RETURNING used',
    );
    this.read = org.db.prepare('SELECT used FROM _api_usage WHERE day = ?');
    this.write = org.db.prepare(
      'INSERT INTO _api_usage (day, used) VALUES (?, ?) ON CONFLICT(day) DO UPDATE SET used = excluded.used',
    );
  }

  private today(): string {
    return new Date(this.org.now()).toISOString().slice(0, 10);
  }

  limit(): number {
    return this.org.settings.dailyApiLimit;
  }

  current(): ApiUsageSnapshot {
    const row = this.read.get(this.today()) as { used: number } | undefined;
    return { used: row?.used ?? 0, limit: this.limit() };
  }

  /**
   * Counts one request unless today's allocation is spent; a refused request is not counted,
   * so `used` never passes `limit` by itself.
   */
  tryConsume(): { allowed: boolean } & ApiUsageSnapshot {
    const now = this.current();
    if (now.used >= now.limit) return { allowed: false, ...now };
    const row = this.increment.get(this.today()) as { used: number };
    return { allowed: true, used: row.used, limit: now.limit };
  }

  /** Test hook (admin endpoint): sets today's count, e.g. near the limit to provoke back-off. */
  set(used: number): ApiUsageSnapshot {
    this.write.run(this.today(), used);
    return this.current();
  }
}

const usageByOrg = new WeakMap<Org, ApiUsage>();

/** The org's counter; one instance per org so its prepared statements are made once. */
export function apiUsageOf(org: Org): ApiUsage {
  let usage = usageByOrg.get(org);
  if (!usage) {
    usage = new ApiUsage(org);
    usageByOrg.set(org, usage);
  }
  return usage;
}
