import pino from 'pino';

export type Logger = pino.Logger;

/** Structured logs to stderr, so `--json` output on stdout stays machine-readable. */
export function createLogger(level: string = 'info', name = 'embedded-org'): Logger {
  return pino(
    {
      name,
      level,
      redact: [
        'password',
        'accessToken',
        'token',
        '*.password',
        '*.accessToken',
        'req.headers.authorization',
      ],
    },
    pino.destination(2),
  );
}

export const silentLogger: Logger = pino({ level: 'silent' });
