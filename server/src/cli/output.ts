import { AppError } from '../shared/errors';

/**
 * Command output: a human summary on stdout, or exactly one JSON document with `--json`.
 * Logs and progress never go to stdout.
 */
export interface Output {
  json: boolean;
  result(data: unknown, human: string): void;
}

export function createOutput(
  json: boolean,
  write: (s: string) => void = (s) => process.stdout.write(s),
): Output {
  return {
    json,
    result(data, human) {
      write(json ? JSON.stringify(data, null, 2) + '\n' : human.endsWith('\n') ? human : human + '\n');
    },
  };
}

/** Renders any failure for the user and picks the exit code of the CLI contract. */
export function reportFailure(
  err: unknown,
  json: boolean,
  write: (s: string) => void = (s) => process.stderr.write(s),
): 1 | 2 {
  const appErr =
    err instanceof AppError
      ? err
      : new AppError('INTERNAL', err instanceof Error ? err.message : String(err), {}, { cause: err });
  if (json) {
    process.stdout.write(JSON.stringify({ ok: false, error: appErr.toJSON() }, null, 2) + '\n');
  } else {
    write(`salesops: ${appErr.message}\n`);
  }
  return appErr.exitCode;
}
