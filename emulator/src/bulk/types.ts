/**
 * Bulk API 2.0 jobs as the embedded org stores and reports them. Names and enum values are
 * Salesforce's, because clients send them back to us verbatim.
 */
export type JobKind = 'ingest' | 'query';

export const INGEST_OPERATIONS = ['insert', 'update', 'upsert', 'delete', 'hardDelete'] as const;
export type IngestOperation = (typeof INGEST_OPERATIONS)[number];

export const QUERY_OPERATIONS = ['query', 'queryAll'] as const;
export type QueryOperation = (typeof QUERY_OPERATIONS)[number];

export type JobOperation = IngestOperation | QueryOperation;

export type JobState = 'Open' | 'UploadComplete' | 'InProgress' | 'JobComplete' | 'Failed' | 'Aborted';

/** States a job never leaves. */
export const FINAL_STATES: ReadonlySet<JobState> = new Set(['JobComplete', 'Failed', 'Aborted']);

export const COLUMN_DELIMITERS = {
  BACKQUOTE: '`',
  CARET: '^',
  COMMA: ',',
  PIPE: '|',
  SEMICOLON: ';',
  TAB: '\t',
} as const;
export type ColumnDelimiter = keyof typeof COLUMN_DELIMITERS;

export const LINE_ENDINGS = { LF: '\n', CRLF: '\r\n' } as const;
export type LineEnding = keyof typeof LINE_ENDINGS;

/** One job as stored in `_bulk_job`. */
export interface JobRecord {
  id: string;
  kind: JobKind;
  operation: JobOperation;
  object: string;
  externalIdFieldName: string | null;
  lineEnding: LineEnding;
  columnDelimiter: ColumnDelimiter;
  state: JobState;
  createdById: string;
  createdDate: number;
  systemModstamp: number;
  /** `59.0`, from the URL the job was created on. */
  apiVersion: string;
  /** Query jobs: the SOQL. */
  query: string | null;
  errorMessage: string | null;
  numberRecordsProcessed: number;
  numberRecordsFailed: number;
  retries: number;
  totalProcessingTime: number;
  apiActiveProcessingTime: number;
  /** Ingest jobs: the upload's header row as the client wrote it (result files echo it). */
  columns: string[] | null;
  /** Ingest jobs: true once data was uploaded (Salesforce takes one upload per job). */
  uploaded: boolean;
}
