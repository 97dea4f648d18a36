import { parse } from 'csv-parse';
import { pipeline, type Readable } from 'node:stream';
import { COLUMN_DELIMITERS, LINE_ENDINGS, type ColumnDelimiter, type LineEnding } from './types';

/** A fault in the uploaded data that fails the whole job (Salesforce's ClientInputError / InvalidBatch). */
export class UploadError extends Error {}

/**
 * Salesforce fails a job whose data does not end its lines the way the job said; catching it on
 * the header line is enough, and saves a confusing parse error later.
 */
export function checkLineEnding(head: Buffer, lineEnding: LineEnding): void {
  const nl = head.indexOf(0x0a);
  if (nl < 0) return;
  const crlf = nl > 0 && head[nl - 1] === 0x0d;
  if (crlf !== (lineEnding === 'CRLF')) {
    throw new UploadError(
      `ClientInputError : LineEnding is invalid on user data. Current LineEnding setting is ${lineEnding}`,
    );
  }
}

/**
 * The rows of an upload, header first, parsed as the bytes stream in. The consumer awaits
 * between chunks of rows, so a large upload never holds the event loop for long.
 */
export async function* readUploadRows(
  source: Readable,
  opts: { columnDelimiter: ColumnDelimiter; lineEnding: LineEnding },
): AsyncGenerator<string[]> {
  const parser = parse({
    delimiter: COLUMN_DELIMITERS[opts.columnDelimiter],
    record_delimiter: LINE_ENDINGS[opts.lineEnding],
    bom: true,
    skip_empty_lines: true,
  });
  pipeline(source, parser, () => undefined);
  try {
    for await (const row of parser) yield row as string[];
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    throw new UploadError(`InvalidBatch : Failed to parse CSV: ${message}`);
  }
}
