import path from 'node:path';
import { FiscalCalendarConfigSchema } from '../domain/calendar/config';
import {
  checkTerritoryConfig,
  TerritoryConfigSchema,
  type TerritoryConfig,
  type TerritoryEngineConfig,
} from '../domain/territory';
import { AppError } from '../shared/errors';
import { CONFIG_DIR } from './engine-config';
import { loadYamlFile, parseYamlText } from './yaml-file';

/**
 * config/territories.yaml (types, models, rules, people, approval policy) plus the fiscal calendar
 * the quotas are pro-rated in. Shape errors come from zod with their path; cross-references
 * (unique type priorities, parents, filter logic, one Active model) are checked after, and every
 * problem is reported at once, each naming the file and the path.
 */
export function loadTerritoryConfig(dir: string = CONFIG_DIR): TerritoryEngineConfig {
  const file = path.join(dir, 'territories.yaml');
  const territories = checked(loadYamlFile(file, TerritoryConfigSchema, 'territory config'), file);
  const fiscalCalendar = loadYamlFile(
    path.join(dir, 'fiscal-calendar.yaml'),
    FiscalCalendarConfigSchema,
    'fiscal calendar config',
  );
  return { territories, fiscalCalendar };
}

/** The same checks on YAML text (tests, a proposed model passed on the command line). */
export function parseTerritoryConfigText(text: string, file: string): TerritoryConfig {
  return checked(parseYamlText(text, file, TerritoryConfigSchema, 'territory config'), file);
}

function checked(config: TerritoryConfig, file: string): TerritoryConfig {
  const problems = checkTerritoryConfig(config).map((p) => `${file}: ${p.path}: ${p.message}`);
  if (problems.length > 0)
    throw new AppError('CONFIG_INVALID', `Invalid territory config:\n  - ${problems.join('\n  - ')}`, {
      file,
      problems,
    });
  return config;
}
