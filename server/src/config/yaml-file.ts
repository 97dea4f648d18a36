import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { AppError } from '../shared/errors';

/**
 * Reads one committed YAML config file and validates it. Every problem is reported at once, each
 * naming the file, the path inside it (`budget.stopAt`, `stages[2].category`) and the reason.
 */
export function loadYamlFile<S extends z.ZodType>(file: string, schema: S, what: string): z.infer<S> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new AppError(
      'CONFIG_INVALID',
      `${file}: cannot be read (${(err as Error).message})`,
      { file },
      { cause: err },
    );
  }
  return parseYamlText(text, file, schema, what);
}

export function parseYamlText<S extends z.ZodType>(
  text: string,
  file: string,
  schema: S,
  what: string,
): z.infer<S> {
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (err) {
    throw new AppError(
      'CONFIG_INVALID',
      `${file}: not valid YAML (${(err as Error).message})`,
      { file },
      { cause: err },
    );
  }
  const result = schema.safeParse(data ?? {});
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${file}: ${formatPath(i.path)}: ${i.message}`);
    throw new AppError('CONFIG_INVALID', `Invalid ${what}:\n  - ${problems.join('\n  - ')}`, {
      file,
      problems,
    });
  }
  return result.data;
}

function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(top level)';
  return path.reduce<string>(
    (acc, part) =>
      typeof part === 'number' ? `${acc}[${part}]` : acc ? `${acc}.${String(part)}` : String(part),
    '',
  );
}
