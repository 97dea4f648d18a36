/**
 * The one error type of the embedded org. Every failure a client can cause is an SfError carrying
 * Salesforce's status code and error code, so the HTTP layer can render it in the dialect of the
 * endpoint (REST array, collection item, Bulk 2.0 array, OAuth object, SOAP fault).
 */
export class SfError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string,
    message: string,
    readonly fields: string[] = [],
  ) {
    super(message);
    this.name = errorCode;
  }

  /** REST body: always a one-element array. */
  toRestBody(): Array<{ message: string; errorCode: string; fields?: string[] }> {
    return [
      {
        message: this.message,
        errorCode: this.errorCode,
        ...(this.fields.length ? { fields: this.fields } : {}),
      },
    ];
  }

  /** Collection and per-row shape, where Salesforce says statusCode instead of errorCode. */
  toRowError(): RowError {
    return { statusCode: this.errorCode, message: this.message, fields: this.fields };
  }
}

export interface RowError {
  statusCode: string;
  message: string;
  fields: string[];
}

export const notFound = (): SfError => new SfError(404, 'NOT_FOUND', 'The requested resource does not exist');

export const malformedQuery = (message: string): SfError => new SfError(400, 'MALFORMED_QUERY', message);

export const invalidField = (message: string, fields: string[] = []): SfError =>
  new SfError(400, 'INVALID_FIELD', message, fields);

export const invalidType = (objectName: string): SfError =>
  new SfError(
    400,
    'INVALID_TYPE',
    `sObject type '${objectName}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`,
  );

export const invalidSession = (): SfError =>
  new SfError(401, 'INVALID_SESSION_ID', 'Session expired or invalid');
