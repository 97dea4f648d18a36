import { formatMinor } from '../money/decimal';

const SYMBOLS: Record<string, string> = { USD: '$', EUR: '€', GBP: '£', JPY: '¥' };

/** "$120,000.00", "€1,250.50", "CAD 300.00", "−$4.20": for traces only, never parsed back. */
export function money(minor: number, currency: string, decimals: number): string {
  const text = formatMinor(Math.abs(minor), decimals);
  const dot = decimals === 0 ? text.length : text.length - decimals - 1;
  let grouped = '';
  for (let i = 0; i < dot; i += 1) {
    if (i > 0 && (dot - i) % 3 === 0) grouped += ',';
    grouped += text[i];
  }
  const body = grouped + text.slice(dot);
  const symbol = SYMBOLS[currency];
  const sign = minor < 0 ? '−' : '';
  return symbol ? `${sign}${symbol}${body}` : `${sign}${currency} ${body}`;
}

/** A rate in millionths (80000 = 8%) as percent text without trailing zeros: "8", "8.125". */
export function ppmPercent(ppm: number): string {
  return formatMinor(ppm, 4).replace(/\.?0+$/, '') || '0';
}

/** Percent text of a number as written in the plan ("100", "150", "62.5"). */
export function pct(value: number): string {
  return String(Number(value.toFixed(4)));
}
