import type { Connection } from 'jsforce';
import { HttpApi } from 'jsforce/lib/http-api';
import type { HttpResponse } from 'jsforce/lib/types';

/** The org's daily API allocation as last reported in `Sforce-Limit-Info`. */
export interface ApiUsage {
  used: number;
  limit: number;
}

export interface ApiMeter {
  /** API requests this client made (each HTTP round trip, retries included). */
  calls: number;
  usage: ApiUsage | null;
  /** The org's clock (HTTP `Date` of the last response), epoch ms, second precision. */
  orgTime: number | null;
}

export interface ApiRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** `/query?...` (under the versioned root), `/services/...` or an absolute URL. */
  url: string;
  body?: unknown;
  /** A body sent as is (a Bulk ingest CSV upload), with its own Content-Type header. */
  rawBody?: string | Buffer;
  /** Force a parser: `text/plain` keeps a CSV body as text for our own parsing. */
  responseType?: string;
  headers?: Record<string, string>;
}

export interface ApiResponse<T> {
  body: T;
  headers: Record<string, string>;
}

const LIMIT_INFO = /api-usage=(\d+)\/(\d+)/;

/**
 * Every call the sync makes goes through here, on top of the jsforce Connection (so session
 * refresh on 401 stays jsforce's, with our single-flight login behind it). jsforce's own HTTP
 * retries are switched off: the sync retries with jittered backoff itself, and so sees and counts
 * every request. Each response updates the meter: call count, Sforce-Limit-Info, the org's clock.
 */
export class CrmApi {
  readonly meter: ApiMeter = { calls: 0, usage: null, orgTime: null };

  /** Called before every request; throws to stop (the sync's API budget lives there). */
  beforeRequest: () => void = () => undefined;

  constructor(
    readonly conn: Connection,
    readonly apiVersion: string,
  ) {}

  async request<T>(req: ApiRequest): Promise<ApiResponse<T>> {
    const api = new HttpApi(this.conn, {
      responseType: req.responseType,
      retry: { maxRetries: 0, statusCodes: [], errorCodes: [], methods: [] },
    });
    this.beforeRequest();
    let headers: Record<string, string> = {};
    let status: number | undefined;
    api.on('response', (res: HttpResponse) => {
      headers = normalizeHeaders(res.headers);
      status = res.statusCode;
      this.observe(headers);
    });
    try {
      const body = await api.request<T>({
        method: req.method,
        url: this.absolute(req.url),
        headers: {
          ...(req.body === undefined ? {} : { 'Content-Type': 'application/json; charset=utf-8' }),
          ...req.headers,
        },
        body: req.rawBody ?? (req.body === undefined ? undefined : JSON.stringify(req.body)),
      });
      return { body, headers };
    } catch (err) {
      // jsforce's errors do not carry the HTTP status; retry decisions need it.
      if (err && typeof err === 'object' && status !== undefined) Object.assign(err, { status });
      throw err;
    }
  }

  async get<T>(url: string, responseType?: string): Promise<T> {
    return (await this.request<T>({ method: 'GET', url, responseType })).body;
  }

  private observe(headers: Record<string, string>): void {
    this.meter.calls++;
    const m = LIMIT_INFO.exec(headers['sforce-limit-info'] ?? '');
    if (m) this.meter.usage = { used: Number(m[1]), limit: Number(m[2]) };
    const date = Date.parse(headers.date ?? '');
    if (!Number.isNaN(date)) this.meter.orgTime = date;
  }

  private absolute(url: string): string {
    if (/^https?:\/\//.test(url)) return url;
    const origin = this.conn.instanceUrl.replace(/\/$/, '');
    if (url.startsWith('/services/')) return origin + url;
    return `${origin}/services/data/v${this.apiVersion}${url}`;
  }
}

function normalizeHeaders(raw: HttpResponse['headers'] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw ?? {})) {
    if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : String(v);
  }
  return out;
}
