import {
  createFiscalCalendar,
  type FiscalCalendar,
  type Period,
  type PeriodType,
} from './calendar/fiscal-calendar';
import { fromDayNumber, isIsoDate, onOrBefore, toDayNumber, WEEKDAYS, type IsoDate } from './calendar/dates';
import type { EngineConfig } from './engine-config';
import { CurrencyTable } from './money/currency-table';
import { indexHistory, type HistoryEntry } from './pipeline/deal-history';
import { StageBook } from './pipeline/stage-book';
import type { Account, Snapshot } from './snapshot/types';

export interface EngineWarning {
  code: string;
  message: string;
  /** JSONPath into the snapshot, when one value is at fault. */
  path?: string;
}

export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = code;
  }
}

/** What every engine derives from (snapshot, config, asOf) before it starts; built once per run. */
export interface EngineContext {
  snapshot: Snapshot;
  config: EngineConfig;
  asOf: IsoDate;
  asOfDay: number;
  /** The weekly lock day on or before asOf: the key of this run's snapshot rows. */
  snapshotDate: IsoDate;
  calendar: FiscalCalendar;
  currency: CurrencyTable;
  stages: StageBook;
  history: Map<string, HistoryEntry[]>;
  /** History per opportunity by its position in snapshot.opportunities: hot loops skip the id lookup. */
  historyAt: (HistoryEntry[] | undefined)[];
  accounts: Map<string, Account>;
  warnings: EngineWarning[];
}

export function createEngineContext(snapshot: Snapshot, config: EngineConfig, asOf: IsoDate): EngineContext {
  if (!isIsoDate(asOf))
    throw new DomainError('ENGINE.INVALID_AS_OF', `asOf must be a YYYY-MM-DD date, got ${asOf}`);
  const asOfDay = toDayNumber(asOf);
  const lock = onOrBefore(asOfDay, WEEKDAYS.indexOf(config.forecast.snapshots.lockWeekday));
  const calendar = createFiscalCalendar(config.fiscalCalendar);
  const history = indexHistory(snapshot);
  return {
    snapshot,
    config,
    asOf,
    asOfDay,
    snapshotDate: fromDayNumber(lock),
    calendar,
    currency: new CurrencyTable(snapshot.corporateCurrency, snapshot.currencies, snapshot.datedRates),
    stages: new StageBook(config.forecast.stages),
    history,
    historyAt: snapshot.opportunities.map((o) => history.get(o.id)),
    accounts: new Map(snapshot.accounts.map((a) => [a.id, a])),
    warnings: [],
  };
}

/** The periods of one type from `past` before to `future` after the one holding asOf. */
export function periodsInScope(
  ctx: EngineContext,
  type: PeriodType,
  horizon: { past: number; future: number },
): Period[] {
  const current = ctx.calendar.periodOfDay(ctx.asOfDay, type);
  const out: Period[] = [];
  for (let i = -horizon.past; i <= horizon.future; i += 1) out.push(ctx.calendar.shift(current, i));
  return out;
}
