import type { z } from 'zod';
import { AppError } from '../shared/errors';

/** Parses a body or query with zod; the 400 lists every issue with its path. */
export function parseInput<S extends z.ZodType>(
  schema: S,
  input: unknown,
  where: 'body' | 'query' | 'path',
): z.infer<S> {
  const r = schema.safeParse(input ?? {});
  if (r.success) return r.data;
  const issues = r.error.issues.map((i) => ({
    path: [where, ...i.path.map(String)].join('.'),
    message: i.message,
  }));
  throw new AppError(
    'INPUT_INVALID',
    `invalid ${where}: ${issues.map((i) => `${i.path} ${i.message}`).join('; ')}`,
    {
      issues,
    },
  );
}
