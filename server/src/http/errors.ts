import type { ErrorRequestHandler, Response } from 'express';
import { AppError, type ErrorCode } from '../shared/errors';
import type { Logger } from '../shared/logger';

/** The one error shape of the API: `{ error: { code, message, details? } }`, never a stack. */
export interface ApiErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> };
}

const STATUS: Partial<Record<ErrorCode, number>> = {
  INPUT_INVALID: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  NOT_BUILT: 501,
  CRM_UNREACHABLE: 502,
  CRM_AUTH_FAILED: 502,
  CRM_REQUEST_FAILED: 502,
  CRM_LIMIT_EXCEEDED: 503,
};

export function sendError(res: Response, err: AppError): void {
  const status = STATUS[err.code] ?? 500;
  const body: ApiErrorBody = { error: { code: err.code, message: err.message } };
  // Details are for clients only when they describe their own request (validation issues).
  if (status < 500 && Object.keys(err.details).length > 0) body.error.details = err.details;
  res.status(status).json(body);
}

/** The last handler: known errors keep their code; anything else is INTERNAL with no detail. */
export function errorHandler(log: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    if (res.headersSent) return;
    const e = err as { type?: string; status?: number };
    if (e?.type === 'entity.parse.failed')
      return sendError(res, new AppError('INPUT_INVALID', 'the request body is not valid JSON'));
    if (e?.type === 'entity.too.large')
      return sendError(res, new AppError('PAYLOAD_TOO_LARGE', 'the request body is too large'));
    if (e?.type === 'encoding.unsupported' || e?.type === 'charset.unsupported')
      return sendError(res, new AppError('INPUT_INVALID', 'the request body encoding is not supported'));
    if (err instanceof AppError) {
      if ((STATUS[err.code] ?? 500) >= 500)
        log.error({ code: err.code, err: err.message, path: req.path }, 'request failed');
      return sendError(res, err);
    }
    log.error(
      { err: (err as Error)?.message, stack: (err as Error)?.stack, path: req.path },
      'unexpected error',
    );
    sendError(res, new AppError('INTERNAL', 'internal error'));
  };
}
