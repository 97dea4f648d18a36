/**
 * The one error type of the companion server. `code` is stable (tests, logs and API clients key on
 * it); `exitCode` follows the CLI contract: 1 a failure the user can act on, 2 bad usage or config.
 */
export type ErrorCode =
  | 'CONFIG_INVALID'
  | 'USAGE'
  | 'NOT_BUILT'
  | 'ORG_START_FAILED'
  | 'CRM_UNREACHABLE'
  | 'CRM_AUTH_FAILED'
  | 'INPUT_INVALID'
  | 'INTERNAL'
  | 'STORE_TOO_NEW'
  | 'CRM_FIELD_MISSING'
  | 'CRM_LIMIT_EXCEEDED'
  | 'CRM_REQUEST_FAILED'
  | 'SYNC_FAILED'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'RATE_LIMITED'
  | 'PAYLOAD_TOO_LARGE'
  | 'PREVIEW_UNAVAILABLE'
  | 'PREVIEW_BUILD_FAILED';

const EXIT_CODES: Record<ErrorCode, 1 | 2> = {
  CONFIG_INVALID: 2,
  USAGE: 2,
  NOT_BUILT: 1,
  ORG_START_FAILED: 1,
  CRM_UNREACHABLE: 1,
  CRM_AUTH_FAILED: 1,
  INPUT_INVALID: 1,
  INTERNAL: 1,
  STORE_TOO_NEW: 1,
  CRM_FIELD_MISSING: 1,
  CRM_LIMIT_EXCEEDED: 1,
  CRM_REQUEST_FAILED: 1,
  SYNC_FAILED: 1,
  UNAUTHENTICATED: 1,
  FORBIDDEN: 1,
  NOT_FOUND: 1,
  CONFLICT: 1,
  RATE_LIMITED: 1,
  PAYLOAD_TOO_LARGE: 1,
  PREVIEW_UNAVAILABLE: 1,
  PREVIEW_BUILD_FAILED: 1,
};

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'AppError';
  }

  get exitCode(): 1 | 2 {
    return EXIT_CODES[this.code];
  }

  toJSON(): { code: ErrorCode; message: string; details: Record<string, unknown> } {
    return { code: this.code, message: this.message, details: this.details };
  }
}
