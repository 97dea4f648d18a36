import path from 'node:path';
import { FiscalCalendarConfigSchema } from '../domain/calendar/config';
import type { EngineConfig } from '../domain/engine-config';
import { ForecastConfigSchema } from '../domain/forecast/config';
import { KpiConfigSchema } from '../domain/kpi/config';
import { loadYamlFile } from './yaml-file';

export const CONFIG_DIR = path.resolve(__dirname, '..', '..', '..', 'config');

/**
 * The forecast and KPI engines' configuration: config/fiscal-calendar.yaml, forecast.yaml and
 * kpis.yaml, each validated on its own so an error names the file it is in.
 */
export function loadEngineConfig(dir: string = CONFIG_DIR): EngineConfig {
  return {
    fiscalCalendar: loadYamlFile(
      path.join(dir, 'fiscal-calendar.yaml'),
      FiscalCalendarConfigSchema,
      'fiscal calendar config',
    ),
    forecast: loadYamlFile(path.join(dir, 'forecast.yaml'), ForecastConfigSchema, 'forecast config'),
    kpis: loadYamlFile(path.join(dir, 'kpis.yaml'), KpiConfigSchema, 'KPI config'),
  };
}
