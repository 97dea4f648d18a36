import fc from 'fast-check';
import { book, linesOf, plan, quota, run, snap, won } from './helpers';

const AS_OF = '2026-05-20';
const Q2 = 'FY2026-Q2';
const cents = (s: string): bigint => BigInt(Math.round(Number(s) * 100));
const money = (c: number): string => (c / 100).toFixed(2);

/** Half-even division on BigInt, written independently of the engine's helpers. */
function roundHalfEven(n: bigint, d: bigint): bigint {
  const neg = n < 0n;
  const a = neg ? -n : n;
  let q = a / d;
  const r = a - q * d;
  if (2n * r > d || (2n * r === d && q % 2n === 1n)) q += 1n;
  return neg ? -q : q;
}

const dealDays = fc
  .integer({ min: 1, max: 50 })
  .map((d) => `2026-${d <= 30 ? '04' : '05'}-${String(d <= 30 ? d : d - 30).padStart(2, '0')}`);

describe('properties', () => {
  test('rounding creates no money: the lines add up to the exact total rounded once', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: -5_000_00, max: 50_000_00 }), dealDays), {
          minLength: 1,
          maxLength: 12,
        }),
        fc.integer({ min: 1, max: 250_000 }),
        (deals, ratePpm) => {
          const rate = ratePpm / 10_000;
          const s = snap({ opportunities: deals.map(([c, day], i) => won(`o${i}`, money(c), day)) });
          const r = run(s, book(plan(['rep1'], { rates: { mode: 'flat', rate } })), AS_OF);
          const ls = linesOf(r, 'rep1', Q2, 'Commission');
          const exact = deals.reduce((a, [c]) => a + BigInt(c) * BigInt(ratePpm), 0n);
          const total = ls.reduce((a, l) => a + cents(l.amount), 0n);
          expect(total).toBe(roundHalfEven(exact, 1_000_000n));
          for (const l of ls) {
            const own = roundHalfEven(cents(l.creditedAmount) * BigInt(ratePpm), 1_000_000n);
            const diff = cents(l.amount) - own;
            expect(diff >= -1n && diff <= 1n).toBe(true);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  test('revenue split shares add up to the deal exactly', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1_000_000_00, max: 1_000_000_00 }),
        fc.array(fc.integer({ min: 1, max: 100 }), { minLength: 1, maxLength: 6 }),
        (c, weights) => {
          // hundredths of a percent that total exactly 100%
          const sum = weights.reduce((a, b) => a + b, 0);
          const hundredths = weights.map((w) => Math.floor((w * 10_000) / sum));
          hundredths[0]! += 10_000 - hundredths.reduce((a, b) => a + b, 0);
          if (hundredths.some((h) => h <= 0)) return;
          const users = hundredths.map((_, i) => ({ id: `u${i}`, name: `U${i}`, roleId: null }));
          const splits = hundredths.map((h, i) => ({
            userId: `u${i}`,
            splitType: 'revenue' as const,
            percent: (h / 100).toFixed(2),
          }));
          const s = snap({
            users,
            roles: [],
            opportunities: [won('o1', money(c), '2026-05-01', { ownerId: 'u0', splits })],
          });
          const r = run(
            s,
            book(
              plan(
                users.map((u) => u.id),
                {},
              ),
            ),
            AS_OF,
          );
          const credited = r.lines
            .filter((l) => l.lineType === 'Commission')
            .reduce((a, l) => a + cents(l.creditedAmount), 0n);
          expect(credited).toBe(BigInt(c));
        },
      ),
      { numRuns: 60 },
    );
  });

  test('marginal-tier payout never falls as attainment rises', () => {
    const tierSet = fc
      .array(fc.tuple(fc.integer({ min: 1, max: 80 }), fc.integer({ min: 0, max: 300_000 })), {
        minLength: 1,
        maxLength: 4,
      })
      .map((parts) => {
        let from = 0;
        return parts.map(([width, ppm], i) => {
          const t = { from, ...(i < parts.length - 1 ? { to: from + width } : {}), rate: ppm / 10_000 };
          from += width;
          return t;
        });
      });
    fc.assert(
      fc.property(
        tierSet,
        fc.integer({ min: 1_000_00, max: 1_000_000_00 }),
        fc.integer({ min: 0, max: 3_000_000_00 }),
        fc.integer({ min: 0, max: 1_000_000_00 }),
        (tiers, q, a, extra) => {
          const b = book(plan(['rep1'], { rates: { mode: 'marginal', tiers } }));
          const earned = (c: number): bigint => {
            const s = snap({
              opportunities: [won('o1', money(c), '2026-05-01')],
              quotas: [quota('rep1', '2026-04-01', money(q))],
            });
            return cents(run(s, b, AS_OF).statements.find((x) => x.periodKey === Q2)!.earned);
          };
          expect(earned(a + extra) >= earned(a)).toBe(true);
        },
      ),
      { numRuns: 60 },
    );
  });

  test("a statement's total equals the sum of its lines, whatever the deals, splits, refunds and adjustments", () => {
    const deal = fc.record({
      c: fc.integer({ min: -20_000_00, max: 200_000_00 }),
      day: dealDays,
      split: fc.boolean(),
      q1: fc.boolean(),
    });
    fc.assert(
      fc.property(
        fc.array(deal, { minLength: 1, maxLength: 10 }),
        fc.constantFrom('marginal', 'retroactive'),
        (deals, mode) => {
          const opportunities = deals.map((d, i) =>
            won(`o${i}`, money(d.c), d.q1 ? d.day.replace(/^2026-0[45]/, '2026-03') : d.day, {
              splits: d.split
                ? [
                    { userId: 'rep1', splitType: 'revenue', percent: '60' },
                    { userId: 'rep2', splitType: 'revenue', percent: '40' },
                  ]
                : [],
            }),
          );
          const s = snap({
            opportunities,
            quotas: [quota('rep1', '2026-04-01', '300000'), quota('rep2', '2026-04-01', '200000')],
            commissionLedger: {
              closedPeriods: [{ periodKey: 'FY2026-Q1', closedOn: '2026-04-05' }],
              lines: [
                {
                  key: 'CL|rep1|FY2026-Q1|COM|o0|0',
                  repId: 'rep1',
                  periodKey: 'FY2026-Q1',
                  lineType: 'Commission',
                  opportunityId: 'o0',
                  creditDate: '2026-02-01',
                  creditedAmount: '1000',
                  ratePercent: '7',
                  amount: '70.00',
                  payable: '70.00',
                  currency: 'USD',
                  planKey: 'test-plan',
                  planVersion: 1,
                },
              ],
            },
          });
          const tiers = [
            { from: 0, to: 80, rate: 3.3333 },
            { from: 80, to: 120, rate: 7.125 },
            { from: 120, rate: 11.1111 },
          ];
          const r = run(
            s,
            book(
              plan(['rep1', 'rep2'], {
                rates: { mode, tiers },
                spiffs: [{ key: 'k', name: 'K', from: '2026-04-01', to: '2026-05-31', amount: '33.33' }],
              }),
            ),
            AS_OF,
          );
          for (const st of r.statements) {
            const ls = r.lines.filter((l) => l.statementKey === st.externalKey && l.lineType !== 'Projected');
            expect(cents(st.earned)).toBe(ls.reduce((a, l) => a + cents(l.amount), 0n));
            expect(st.lineCount).toBe(ls.length);
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  test('deterministic: the order of the snapshot does not change any row', () => {
    const opportunities = [
      won('a', '50000', '2026-04-03'),
      won('b', '70000', '2026-04-03'),
      won('c', '-5000', '2026-05-01'),
    ];
    const b = book(
      plan(['rep1'], {
        rates: {
          mode: 'marginal',
          tiers: [
            { from: 0, to: 100, rate: 5 },
            { from: 100, rate: 9 },
          ],
        },
      }),
    );
    const q = [quota('rep1', '2026-04-01', '100000')];
    const one = run(snap({ opportunities, quotas: q }), b, AS_OF);
    const two = run(snap({ opportunities: [...opportunities].reverse(), quotas: q }), b, AS_OF);
    expect(two.lines).toEqual(one.lines);
    expect(two.statements).toEqual(one.statements);
  });
});
