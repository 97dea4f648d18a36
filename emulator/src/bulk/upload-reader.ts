import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { CsvRowReader } from './csv-rows';
import { COLUMN_DELIMITERS, type ColumnDelimiter, type LineEnding } from './types';

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
  const reader = new CsvRowReader(COLUMN_DELIMITERS[opts.columnDelimiter], opts.lineEnding);
  const decoder = new StringDecoder('utf8');
  try {
    for await (const chunk of source) {
      for (const row of reader.push(decoder.write(chunk as Buffer))) yield row;
    }
    for (const row of reader.end(decoder.end())) yield row;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    throw new UploadError(`InvalidBatch : Failed to parse CSV: ${message}`);
  } finally {
    source.destroy();
  }
}
