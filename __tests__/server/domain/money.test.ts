import fc from 'fast-check';
import {
  CurrencyTable,
  decimalToMinor,
  divRoundHalfEven,
  formatMinor,
  mulDivHalfEven,
  ratio,
  toMinorUnits,
} from '../../../server/src/domain/money';

describe('decimal arithmetic (half-even)', () => {
  it.each([
    ['0.125', 2, 12],
    ['0.135', 2, 14],
    ['-0.125', 2, -12],
    ['2.5', 0, 2],
    ['3.5', 0, 4],
    ['1234.5', 2, 123450],
    ['1e3', 2, 100000],
    ['0.005000001', 2, 1],
    [1234.56, 2, 123456],
  ] as const)('When %s is held with %d places, then it is %d minor units', (text, places, minor) => {
    expect(toMinorUnits(text, places)).toBe(minor);
    expect(decimalToMinor(String(text), places)).toBe(minor);
  });

  it.each([
    [7n, 2n, 4n],
    [5n, 2n, 2n],
    [-5n, 2n, -2n],
    [-7n, 2n, -4n],
    [1n, 3n, 0n],
    [2n, 3n, 1n],
  ])('When %d is divided by %d, then half-even gives %d', (n, d, q) => {
    expect(divRoundHalfEven(n, d)).toBe(q);
  });

  it('When the fast decimal reader and the exact one read the same text, then they agree (property)', () => {
    const text = fc
      .tuple(fc.boolean(), fc.stringMatching(/^\d{1,17}$/), fc.option(fc.stringMatching(/^\d{0,4}$/)))
      .map(([neg, int, frac]) => `${neg ? '-' : ''}${int}${frac === null ? '' : `.${frac}`}`);
    fc.assert(
      fc.property(text, fc.constantFrom(0, 2, 3), (t, places) => {
        let exact: number | string;
        try {
          exact = toMinorUnits(t, places);
        } catch {
          exact = 'range';
        }
        let fast: number | string;
        try {
          fast = decimalToMinor(t, places);
        } catch {
          fast = 'range';
        }
        return Object.is(exact, fast) || exact === fast;
      }),
      { numRuns: 500 },
    );
  });

  it('When values are formatted and ratios taken, then the text is exact', () => {
    expect(formatMinor(-5, 2)).toBe('-0.05');
    expect(formatMinor(123456, 0)).toBe('123456');
    expect(ratio(1, 3, 4)).toBe('0.3333');
    expect(ratio(-1, 8, 2)).toBe('-0.12');
    expect(ratio(1, 0)).toBeNull();
    expect(mulDivHalfEven(9_007_199_254_740, 1_000_000, 1_000_000)).toBe(9_007_199_254_740);
  });
});

describe('currency conversion', () => {
  const table = new CurrencyTable(
    'USD',
    [
      { code: 'USD', decimalPlaces: 2, staticRate: '1' },
      { code: 'EUR', decimalPlaces: 2, staticRate: '0.8' },
      { code: 'JPY', decimalPlaces: 0, staticRate: '150' },
    ],
    [
      { currency: 'EUR', startDate: '2026-04-01', rate: '0.9' },
      // A rate change in the middle of fiscal Q2.
      { currency: 'EUR', startDate: '2026-05-16', rate: '0.8' },
    ],
  );

  it.each([
    ['EUR', 9000, '2026-05-15', 10000, 'dated', '2026-04-01'],
    ['EUR', 9000, '2026-05-16', 11250, 'dated', '2026-05-16'],
    ['EUR', 9000, '2026-03-31', 11250, 'static', null],
    ['EUR', 9000, null, 11250, 'static', null],
    ['JPY', 15000, '2026-05-15', 10000, 'static', null],
    ['USD', 12345, '2026-05-15', 12345, 'corporate', null],
  ] as const)(
    'When %s %d is converted on %s, then it is %d cents (rate %s from %s)',
    (code, minor, date, expected, source, start) => {
      expect(table.toCorporate(minor, code, date)).toBe(expected);
      const used = table.rateFor(code, date);
      expect([used.source, used.rateStart]).toEqual([source, start]);
    },
  );

  it('When an amount converts to a repeating decimal, then it is rounded half-even', () => {
    // 1.00 EUR at 0.9 = 1.1111… USD → 1.11; 0.01 EUR at 0.8 = 0.0125 → 0.01 (ties to even)
    expect(table.toCorporate(100, 'EUR', '2026-04-10')).toBe(111);
    expect(table.toCorporate(1, 'EUR', '2026-06-01')).toBe(1);
    expect(table.toCorporate(3, 'EUR', '2026-06-01')).toBe(4);
  });

  it('When an unknown currency is converted, then it fails with a named code', () => {
    expect(() => table.toCorporate(1, 'CHF', null)).toThrow(
      expect.objectContaining({ code: 'MONEY.UNKNOWN_CURRENCY' }),
    );
  });

  it('When amounts round-trip to the corporate currency and back, then they differ by at most the rounding rule (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1e10, max: 1e10 }),
        fc.integer({ min: 1000, max: 500_000_000 }),
        fc.constantFrom(0, 2, 3),
        (minor, rateMicro, places) => {
          const rate = (rateMicro / 1e6).toFixed(6);
          const t = new CurrencyTable('USD', [{ code: 'XTS', decimalPlaces: places, staticRate: rate }]);
          const back = t.fromCorporate(t.toCorporate(minor, 'XTS', null), 'XTS', null);
          // |back − a| ≤ ½ + ½ · rate · 10^(places − 2): one half-even step each way.
          const bound = 0.5 + 0.5 * Number(rate) * 10 ** (places - 2);
          return Math.abs(back - minor) <= bound + 1e-9;
        },
      ),
    );
  });
});
