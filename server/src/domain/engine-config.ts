import { z } from 'zod';
import { FiscalCalendarConfigSchema } from './calendar/config';
import { ForecastConfigSchema } from './forecast/config';
import { KpiConfigSchema } from './kpi/config';

/**
 * Everything the forecast and KPI engines read besides the snapshot: the three committed files
 * config/fiscal-calendar.yaml, config/forecast.yaml and config/kpis.yaml, parsed and passed in whole.
 */
export const EngineConfigSchema = z.object({
  fiscalCalendar: FiscalCalendarConfigSchema,
  forecast: ForecastConfigSchema,
  kpis: KpiConfigSchema,
});
export type EngineConfig = z.infer<typeof EngineConfigSchema>;
export type EngineConfigInput = z.input<typeof EngineConfigSchema>;
