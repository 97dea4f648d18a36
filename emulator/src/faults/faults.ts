/**
 * Fault injection: what the org is told to get wrong, and the seeded dice that decide when.
 * The HTTP guard asks `beforeRequest`; the DML layer asks `lockRow` per row; Bulk asks
 * `bulkJobOutcome` per job. The same seed and request order give the same faults.
 */
export interface FaultPlan {
  seed: number;
  /** Share (0–1) of API requests answered 503 SERVER_UNAVAILABLE. */
  serverErrorRate: number;
  /** Share of API requests answered 429 (or 420 when `rateLimitStatus` is 420). */
  rateLimitRate: number;
  rateLimitStatus: 420 | 429;
  /** Share of API requests answered 403 REQUEST_LIMIT_EXCEEDED (besides the real daily counter). */
  requestLimitRate: number;
  /** Share of rows in collection and Bulk writes that fail with UNABLE_TO_LOCK_ROW. */
  lockRowRate: number;
  /** Share of API requests whose session is expired first (401 INVALID_SESSION_ID, then a refresh works). */
  sessionExpiryRate: number;
  /** Added latency per API request, in milliseconds. */
  latencyMs: number;
  /** Share of successful writes whose connection is dropped after the commit, before the answer. */
  dropAfterCommitRate: number;
  /** Share of Bulk jobs that end Failed, and of those left InProgress for ever. */
  bulkFailRate: number;
  bulkStuckRate: number;
}

export const NO_FAULTS: FaultPlan = {
  seed: 1,
  serverErrorRate: 0,
  rateLimitRate: 0,
  rateLimitStatus: 429,
  requestLimitRate: 0,
  lockRowRate: 0,
  sessionExpiryRate: 0,
  latencyMs: 0,
  dropAfterCommitRate: 0,
  bulkFailRate: 0,
  bulkStuckRate: 0,
};

export type BulkOutcome = 'ok' | 'fail' | 'stuck';

export interface Faults {
  plan(): FaultPlan;
  /** Replaces the plan (admin endpoint); the dice restart from the plan's seed. */
  configure(plan: Partial<FaultPlan>): FaultPlan;
  /** True when this row of a collection or Bulk write should fail with UNABLE_TO_LOCK_ROW. */
  lockRow(): boolean;
  /** True when this successful write should lose its connection after the commit. */
  dropAfterCommit(): boolean;
  bulkJobOutcome(): BulkOutcome;
  /** Request-level faults (see `RequestFaults`); optional so test doubles may leave them out. */
  beforeRequest?(): RequestFault;
  injected?(): FaultCounters;
}

/** What the API guard is told to do with one request, decided before the route runs. */
export type RequestFaultKind = 'serverError' | 'rateLimit' | 'requestLimit' | 'sessionExpiry';

export interface RequestFault {
  /** Delay before answering (the plan's latency). */
  latencyMs: number;
  /** The fault to answer with instead of running the route, or null to run it. */
  fault: RequestFaultKind | null;
}

/** How many of each fault were injected since the plan was last configured. */
export interface FaultCounters {
  /** API requests that were asked about (`beforeRequest` calls). */
  requests: number;
  serverError: number;
  rateLimit: number;
  requestLimit: number;
  sessionExpiry: number;
  lockRow: number;
  dropAfterCommit: number;
  bulkFail: number;
  bulkStuck: number;
}

export const ZERO_COUNTERS: FaultCounters = {
  requests: 0,
  serverError: 0,
  rateLimit: 0,
  requestLimit: 0,
  sessionExpiry: 0,
  lockRow: 0,
  dropAfterCommit: 0,
  bulkFail: 0,
  bulkStuck: 0,
};

/**
 * The request-level half of fault injection, used by `routes/api-guard.ts`. Declared apart from
 * `Faults` (where its members are optional) so test doubles of `Faults` need not implement it.
 */
export interface RequestFaults {
  /** One decision per API request, in request order; the rolls come from the plan's seed. */
  beforeRequest(): RequestFault;
  /** Counters of injected faults (admin endpoint, tests). */
  injected(): FaultCounters;
}
