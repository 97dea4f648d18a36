import { divRoundHalfEven, parseDecimal } from '../../../domain/money';

/** LongTextArea(32768): the longest trace the org keeps. */
export const TRACE_MAX = 32_768;

/**
 * A decimal string at a field's scale (half-even), so the org stores exactly what was sent and a
 * re-read compares equal; null stays null.
 */
export function atScale(value: string | null, places: number): string | null {
  if (value === null) return null;
  const { units, scale } = parseDecimal(value);
  const scaled =
    scale <= places
      ? units * 10n ** BigInt(places - scale)
      : divRoundHalfEven(units, 10n ** BigInt(scale - places));
  return formatUnits(scaled, places);
}

const DECIMAL_TEXT = /^[+-]?\d+(\.\d+)?$/;

/**
 * A number field fed by a value that is sometimes an expression rather than a number (the KPI
 * engine explains composite ratios such as sales velocity as `24 deals × 12/85 × …`): numbers are
 * written at the field's scale, expressions as null (they stay readable in Trace__c).
 */
export function numberOrNull(value: string | null, places: number): string | null {
  return value !== null && DECIMAL_TEXT.test(value.trim()) ? atScale(value.trim(), places) : null;
}

/** A domain ratio (`1.1250`) as a Percent field value (`112.50`). */
export function percent(ratio: string | null, places = 2): string | null {
  if (ratio === null) return null;
  const { units, scale } = parseDecimal(ratio);
  return atScale(formatUnits(units * 100n, scale), places);
}

/** Text(n): cut to the field's length (an over-long value would fail the whole row). */
export function textOf(value: string | null | undefined, max: number): string | null {
  if (value === null || value === undefined || value === '') return null;
  return value.length <= max ? value : value.slice(0, max);
}

/**
 * Trace__c: the readable summary on the first line, then the engine's trace inputs as JSON. When
 * the JSON would not fit, it is cut and says so, so the summary always survives.
 */
export function traceText(summary: string, inputs: unknown): string {
  const json = JSON.stringify(inputs, null, 1);
  const full = `${summary}\n${json}`;
  if (full.length <= TRACE_MAX) return full;
  const marker = '\n… (trace cut to fit the field)';
  return full.slice(0, TRACE_MAX - marker.length) + marker;
}

function formatUnits(units: bigint, places: number): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(places + 1, '0');
  const text = places === 0 ? digits : `${digits.slice(0, -places)}.${digits.slice(-places)}`;
  return negative ? `-${text}` : text;
}
