import pino from 'pino';

export type Logger = pino.Logger;

/**
 * Structured logs go to stderr so that stdout carries only command output (and `--json` stays
 * machine-readable). Secrets are redacted wherever they appear in a log object.
 */
export function createLogger(level: string, name = 'salesops'): Logger {
  return pino(
    {
      name,
      level,
      redact: {
        paths: [
          'password',
          'accessToken',
          'token',
          'clientSecret',
          '*.password',
          '*.accessToken',
          '*.clientSecret',
          '*.token',
        ],
        censor: '[redacted]',
      },
    },
    pino.destination(2),
  );
}
