import { toDayNumber } from '../../calendar/dates';
import type { EngineContext } from '../../engine-context';
import { MODEL_FORMAT } from './statistical-forecast';

/**
 * Everything `trainStatisticalModel` reads, as text, in the order it reads it: two contexts that emit
 * the same text train the same model bit for bit, so a hash of it can key a model kept between
 * cycles. Training only looks at days before the current quarter, so what happens inside the quarter
 * (today's stage moves, amount edits, new deals) leaves the text unchanged, with three exceptions
 * that are emitted: a deal without history is replayed from its current fields, the first history
 * row of a deal stands for its state before that row, and a deal's owner and segment are current.
 *
 * Per deal created, or closed, before the quarter: id, created day, owner, segment, currency; its
 * outcome, close day and amount when it closed before the quarter; its current stage, amount and
 * close date when it has no history; its first history row and every row dated before the quarter.
 */
export function forEachTrainingInput(ctx: EngineContext, emit: (text: string) => void): void {
  const config = ctx.config;
  const quarter = ctx.calendar.periodOfDay(ctx.asOfDay, 'quarter');
  const q0 = quarter.startDay;
  const s = ctx.snapshot;
  emit(
    JSON.stringify({
      format: MODEL_FORMAT,
      quarter: quarter.key,
      statistical: config.forecast.statistical,
      stages: config.forecast.stages,
      calendar: config.fiscalCalendar,
      rateDate: config.forecast.currency.rateDate,
      // The `asOf` rate rule converts every amount at asOf's rate.
      asOf: config.forecast.currency.rateDate === 'asOf' ? ctx.asOf : null,
      corporate: s.corporateCurrency,
      currencies: s.currencies,
      datedRates: s.datedRates,
    }),
  );
  const users = new Map(s.users.map((u) => [u.id, u]));
  const row = (h: {
    day: number;
    row: { stageName: string; amount: string | null; closeDate: string; ownerId: string | null };
  }) => `|${h.day},${h.row.stageName},${h.row.amount ?? ''},${h.row.closeDate},${h.row.ownerId ?? ''}`;
  s.opportunities.forEach((o, i) => {
    const created = toDayNumber(o.createdDate);
    const closeDay = toDayNumber(o.closeDate);
    const closedBefore = o.isClosed && closeDay < q0;
    if (created >= q0 && !closedBefore) return;
    const segment =
      (o.accountId === null ? null : ctx.accounts.get(o.accountId)?.segment) ??
      users.get(o.ownerId)?.segment ??
      '(none)';
    let text = `\n${o.id}|${created}|${o.ownerId}|${segment}|${o.currency}|`;
    text += closedBefore ? `${o.isWon ? 'W' : 'L'},${closeDay},${o.amount ?? ''}` : 'O';
    const history = ctx.historyAt[i];
    if (!history || history.length === 0) {
      text += `|-|${o.stageName},${o.amount ?? ''},${o.closeDate}`;
    } else {
      text += row(history[0]!);
      for (let j = 1; j < history.length && history[j]!.day < q0; j += 1) text += row(history[j]!);
    }
    emit(text);
  });
}
