import { setTimeout as sleep } from 'node:timers/promises';
import { AppError } from '../shared/errors';

export interface RetryPolicy {
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/** What a failed call means for the sync. */
export type Failure =
  | { kind: 'transient' }
  | { kind: 'limit' }
  | { kind: 'auth' }
  | { kind: 'field'; errorCode: string }
  | { kind: 'locator' }
  | { kind: 'permanent' };

const TRANSIENT_STATUS = new Set([420, 429, 500, 502, 503, 504]);
const TRANSIENT_CODES = new Set([
  'SERVER_UNAVAILABLE',
  'TOO_MANY_REQUESTS',
  'UNABLE_TO_LOCK_ROW',
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'ECONNABORTED',
  'EAI_AGAIN',
]);

interface ErrorLike {
  errorCode?: string;
  code?: string;
  name?: string;
  message?: string;
  status?: number;
}

/** Sorts an error from jsforce (or the socket under it) into what the sync should do about it. */
export function classifyFailure(err: unknown): Failure {
  const e = (err ?? {}) as ErrorLike;
  const code = e.errorCode ?? e.code ?? e.name ?? '';
  const message = e.message ?? '';
  if (code === 'REQUEST_LIMIT_EXCEEDED' || /REQUEST_LIMIT_EXCEEDED/.test(message)) return { kind: 'limit' };
  if (code === 'INVALID_SESSION_ID' || /Unable to refresh session/.test(message)) return { kind: 'auth' };
  if (code === 'INVALID_FIELD' || code === 'INVALID_TYPE' || code === 'INSUFFICIENT_ACCESS')
    return { kind: 'field', errorCode: code };
  if (code === 'INVALID_QUERY_LOCATOR') return { kind: 'locator' };
  if (TRANSIENT_CODES.has(code) || (e.status !== undefined && TRANSIENT_STATUS.has(e.status)))
    return { kind: 'transient' };
  if (/^ERROR_HTTP_(5\d\d|420|429)$/.test(code) || /socket hang up|network|fetch failed/i.test(message))
    return { kind: 'transient' };
  return { kind: 'permanent' };
}

/** Exponential backoff with full jitter: a random wait up to base·2^attempt, capped. */
export function backoffDelay(
  attempt: number,
  policy: RetryPolicy,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return Math.floor(random() * ceiling);
}

/**
 * Runs one API call, retrying transient failures with jittered backoff. The daily limit is never
 * retried (that is how retry storms start): it becomes CRM_LIMIT_EXCEEDED at once.
 */
export async function withRetry<T>(
  what: string,
  policy: RetryPolicy,
  call: () => Promise<T>,
  onRetry?: (attempt: number, err: unknown) => void,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      if (err instanceof AppError) throw err;
      const failure = classifyFailure(err);
      if (failure.kind === 'limit') {
        throw new AppError(
          'CRM_LIMIT_EXCEEDED',
          `The org's daily API allocation is used up (${what}); the sync stopped and resumes from its checkpoint next run.`,
          { reason: 'org-limit' },
          { cause: err },
        );
      }
      if (failure.kind === 'auth') {
        throw new AppError(
          'CRM_AUTH_FAILED',
          `The session could not be refreshed during ${what}: ${(err as Error).message}`,
          {},
          { cause: err },
        );
      }
      if (failure.kind !== 'transient' || attempt + 1 >= policy.attempts) throw err;
      onRetry?.(attempt + 1, err);
      await sleep(backoffDelay(attempt, policy));
    }
  }
}
