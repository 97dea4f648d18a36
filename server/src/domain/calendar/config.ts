import { z } from 'zod';
import { WEEKDAYS } from './dates';

/**
 * Fiscal calendar config (config/fiscal-calendar.yaml).
 * - standard: fiscal months are calendar months; the year starts on day 1 of `startMonth`.
 * - weeks: 4-4-5 style. The year ends on `yearEnd.weekday` that is the last one in `yearEnd.month`
 *   (rule `last`) or the one nearest the last day of that month (rule `nearest`, the retail 52/53-week
 *   rule). A year is 52 weeks, or 53 when that rule puts 371 days between two year ends; the 53rd week
 *   is added to the last month of the year.
 * `yearLabel` names a fiscal year after the calendar year in which it starts or ends (Salesforce's
 * "fiscal year is based on the starting/ending month").
 */
const yearLabel = z.enum(['start', 'end']).default('end');

export const StandardCalendarSchema = z.object({
  type: z.literal('standard'),
  startMonth: z.number().int().min(1).max(12),
  yearLabel,
});

export const WeeksCalendarSchema = z.object({
  type: z.literal('weeks'),
  pattern: z.enum(['4-4-5', '4-5-4', '5-4-4']),
  yearEnd: z.object({
    month: z.number().int().min(1).max(12),
    weekday: z.enum(WEEKDAYS),
    rule: z.enum(['last', 'nearest']),
  }),
  yearLabel,
});

export const FiscalCalendarConfigSchema = z.discriminatedUnion('type', [
  StandardCalendarSchema,
  WeeksCalendarSchema,
]);
export type FiscalCalendarConfig = z.infer<typeof FiscalCalendarConfigSchema>;
export type FiscalCalendarConfigInput = z.input<typeof FiscalCalendarConfigSchema>;
