import { readdirSync } from 'node:fs';
import path from 'node:path';
import { FiscalCalendarConfigSchema } from '../domain/calendar/config';
import { PlanSchema, type Plan } from '../domain/commission/plan-schema';
import type { CommissionPlanBook } from '../domain/commission/types';
import { ForecastConfigSchema } from '../domain/forecast/config';
import { AppError } from '../shared/errors';
import { CONFIG_DIR } from './engine-config';
import { loadYamlFile } from './yaml-file';

export const COMMISSION_PLANS_DIR = path.join(CONFIG_DIR, 'commission-plans');

/**
 * The commission plans: every `*.yaml` file in `dir` is one plan (README.md there documents them),
 * validated on its own so an error names the file, the path inside it and the reason. The fiscal
 * calendar and the stage map come from the engines' shared config (config/fiscal-calendar.yaml and
 * forecast.yaml), so commission periods and forecast categories are the forecast's.
 */
export function loadCommissionPlans(
  dir: string = COMMISSION_PLANS_DIR,
  configDir: string = CONFIG_DIR,
): CommissionPlanBook {
  let files: string[];
  try {
    files = readdirSync(dir)
      .filter((f) => f.endsWith('.yaml') || f.endsWith('.yml'))
      .sort();
  } catch (err) {
    throw new AppError(
      'CONFIG_INVALID',
      `${dir}: cannot read the commission plans folder (${(err as Error).message})`,
      { dir },
      { cause: err },
    );
  }
  if (files.length === 0)
    throw new AppError('CONFIG_INVALID', `${dir}: no commission plan files (*.yaml)`, { dir });
  const plans: Plan[] = [];
  const byKey = new Map<string, string>();
  for (const f of files) {
    const file = path.join(dir, f);
    const plan = loadYamlFile(file, PlanSchema, 'commission plan');
    const other = byKey.get(plan.key);
    if (other)
      throw new AppError('CONFIG_INVALID', `${file}: key: plan key ${plan.key} is already used by ${other}`, {
        file,
        problems: [`${file}: key: plan key ${plan.key} is already used by ${other}`],
      });
    byKey.set(plan.key, file);
    plans.push(plan);
  }
  const forecast = loadYamlFile(
    path.join(configDir, 'forecast.yaml'),
    ForecastConfigSchema,
    'forecast config',
  );
  return {
    plans,
    fiscalCalendar: loadYamlFile(
      path.join(configDir, 'fiscal-calendar.yaml'),
      FiscalCalendarConfigSchema,
      'fiscal calendar config',
    ),
    stages: forecast.stages,
  };
}
