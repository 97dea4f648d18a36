import { EngineConfigSchema } from '../../../server/src/domain/engine-config';
import { FiscalCalendarConfigSchema } from '../../../server/src/domain/calendar';
import { ForecastConfigSchema } from '../../../server/src/domain/forecast';
import { IMPLEMENTED_VERSIONS, KPI_IDS, KpiConfigSchema } from '../../../server/src/domain/kpi';
import { defaultConfig, readYaml } from './helpers/fixtures';

describe('committed config defaults', () => {
  it('When the three config files are parsed, then they validate', () => {
    expect(FiscalCalendarConfigSchema.safeParse(readYaml('fiscal-calendar.yaml')).success).toBe(true);
    expect(ForecastConfigSchema.safeParse(readYaml('forecast.yaml')).success).toBe(true);
    expect(KpiConfigSchema.safeParse(readYaml('kpis.yaml')).success).toBe(true);
    expect(defaultConfig().forecast.version).toBe('forecast-2026.1');
  });

  it('When kpis.yaml is read, then every KPI the engine implements is defined once, at the implemented version', () => {
    const kpis = defaultConfig().kpis;
    expect(kpis.definitions.map((d) => d.id).sort()).toEqual([...KPI_IDS].sort());
    for (const d of kpis.definitions) expect(d.version).toBe(IMPLEMENTED_VERSIONS[d.id]);
  });

  it('When a config is wrong, then every problem is reported with its path', () => {
    const r = EngineConfigSchema.safeParse({
      fiscalCalendar: {
        type: 'weeks',
        pattern: '4-4-4',
        yearEnd: { month: 13, weekday: 'saturday', rule: 'last' },
      },
      forecast: {
        ...(readYaml('forecast.yaml') as object),
        stages: [{ name: 'X', category: 'Maybe', probability: 120 }],
      },
      kpis: readYaml('kpis.yaml'),
    });
    expect(r.success).toBe(false);
    if (r.success) return;
    expect(r.error.issues.map((i) => i.path.join('.')).sort()).toEqual([
      'fiscalCalendar.pattern',
      'fiscalCalendar.yearEnd.month',
      'forecast.stages.0.category',
      'forecast.stages.0.probability',
    ]);
  });
});
