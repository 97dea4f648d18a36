import { readFileSync } from 'node:fs';
import { AppError } from '../shared/errors';

/** A JSON input file (snapshot, proposed model): unreadable or invalid files name the file and why. */
export function readJsonFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new AppError(
      'INPUT_INVALID',
      `${file}: cannot be read (${(err as Error).message})`,
      { file },
      { cause: err },
    );
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new AppError(
      'INPUT_INVALID',
      `${file}: not valid JSON (${(err as Error).message})`,
      { file },
      { cause: err },
    );
  }
}
