import { SfError, type RowError } from '../errors';

/** Row errors that single-record REST answers with another status than 400. */
const STATUS_BY_CODE: Record<string, number> = {
  ENTITY_IS_DELETED: 404,
  NOT_FOUND: 404,
};

/** A row error of a single-record write as the REST error it becomes. */
export function restErrorOf(error: RowError): SfError {
  return new SfError(STATUS_BY_CODE[error.statusCode] ?? 400, error.statusCode, error.message, error.fields);
}
