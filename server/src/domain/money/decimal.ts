/**
 * Exact decimal helpers. Money is held as integer minor units (cents) in JS numbers, which are exact
 * up to Number.MAX_SAFE_INTEGER; anything that multiplies or divides goes through BigInt.
 *
 * ROUNDING RULE: every rounding in the engines is half-even (banker's rounding) to the nearest minor
 * unit, applied once per calculation step that is named in the trace (conversion of one amount, one
 * split share, one expected value).
 */

export interface ExactDecimal {
  /** value = units / 10^scale */
  units: bigint;
  scale: number;
}

const DECIMAL = /^([+-])?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/** Parses a decimal string or a JSON number exactly as written (a number goes through its shortest repr). */
export function parseDecimal(value: string | number): ExactDecimal {
  const text = typeof value === 'number' ? String(value) : value.trim();
  const m = DECIMAL.exec(text);
  if (!m || (m[2] === '' && (m[3] === undefined || m[3] === '')))
    throw new RangeError(`not a decimal: ${text}`);
  const sign = m[1] === '-' ? -1n : 1n;
  const intPart = m[2] ?? '';
  const fracPart = m[3] ?? '';
  const exponent = m[4] ? Number(m[4]) : 0;
  let units = BigInt(intPart + fracPart || '0');
  let scale = fracPart.length - exponent;
  if (scale < 0) {
    units *= 10n ** BigInt(-scale);
    scale = 0;
  }
  return { units: sign * units, scale };
}

/** n / d rounded half-even; d must be non-zero. */
export function divRoundHalfEven(n: bigint, d: bigint): bigint {
  if (d < 0n) {
    n = -n;
    d = -d;
  }
  let q = n / d;
  let r = n % d;
  if (r < 0n) {
    // BigInt division truncates toward zero; normalise to floor.
    q -= 1n;
    r += d;
  }
  const twice = 2n * r;
  if (twice > d || (twice === d && q % 2n !== 0n)) q += 1n;
  return q;
}

export function toSafeNumber(value: bigint): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new RangeError(`amount out of the exact integer range: ${value}`);
  }
  return Number(value);
}

/** A decimal amount as integer minor units with `decimals` places, rounded half-even. */
export function toMinorUnits(value: string | number, decimals: number): number {
  const { units, scale } = parseDecimal(value);
  if (scale <= decimals) return toSafeNumber(units * 10n ** BigInt(decimals - scale));
  return toSafeNumber(divRoundHalfEven(units, 10n ** BigInt(scale - decimals)));
}

/** Minor units back to a plain decimal string with exactly `decimals` places. */
export function formatMinor(minor: number, decimals: number): string {
  const negative = minor < 0;
  const digits = String(Math.abs(minor)).padStart(decimals + 1, '0');
  const text = decimals === 0 ? digits : `${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
  return negative ? `-${text}` : text;
}

/** a × b ÷ c on integers, rounded half-even; exact whatever the size of the product. */
export function mulDivHalfEven(a: number, b: number, c: number): number {
  const product = a * b;
  if (Number.isSafeInteger(product) && Number.isSafeInteger(c) && c !== 0) {
    const q = Math.trunc(product / c);
    const r = product - q * c;
    if (r === 0) return q;
  }
  return toSafeNumber(divRoundHalfEven(BigInt(a) * BigInt(b), BigInt(c)));
}

/** A ratio as a decimal string with `places` digits, rounded half-even; null when the denominator is 0. */
export function ratio(numerator: number, denominator: number, places = 4): string | null {
  if (denominator === 0) return null;
  const scaled = divRoundHalfEven(BigInt(numerator) * 10n ** BigInt(places), BigInt(denominator));
  const negative = scaled < 0n;
  const digits = (negative ? -scaled : scaled).toString().padStart(places + 1, '0');
  const text = places === 0 ? digits : `${digits.slice(0, -places)}.${digits.slice(-places)}`;
  return negative ? `-${text}` : text;
}

/**
 * toMinorUnits with a fast path for the common shape ("1234.5", at most `decimals` places, under 16
 * integer digits), read over char codes without allocating; anything else (more places, exponents,
 * huge values) takes the exact general path.
 */
export function decimalToMinor(text: string, decimals: number): number {
  const length = text.length;
  let i = 0;
  let negative = false;
  if (length > 0 && text.charCodeAt(0) === 45) {
    negative = true;
    i = 1;
  }
  let units = 0;
  let intDigits = 0;
  let fracDigits = -1;
  for (; i < length; i += 1) {
    const c = text.charCodeAt(i);
    if (c === 46 && fracDigits < 0) {
      fracDigits = 0;
      continue;
    }
    const d = c - 48;
    if (d < 0 || d > 9) return toMinorUnits(text, decimals);
    units = units * 10 + d;
    if (fracDigits >= 0) fracDigits += 1;
    else intDigits += 1;
  }
  if (intDigits === 0 || intDigits > 15 || fracDigits > decimals || fracDigits === 0)
    return toMinorUnits(text, decimals);
  const scaled = units * 10 ** (decimals - Math.max(fracDigits, 0));
  if (!Number.isSafeInteger(scaled)) return toMinorUnits(text, decimals);
  return negative ? -scaled : scaled;
}
