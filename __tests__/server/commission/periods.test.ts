import { book, linesOf, plan, quota, run, snap, statementOf, won } from './helpers';

const Q1 = 'FY2026-Q1';
const Q2 = 'FY2026-Q2';
const AS_OF = '2026-05-20';

/** A Q1 line as an earlier run posted it, with Q1 closed on 5 April. */
function postedQ1(
  opportunityId: string,
  credited: string,
  ratePercent: string,
  amount: string,
  extra: Record<string, unknown> = {},
) {
  return {
    key: `CL|rep1|${Q1}|COM|${opportunityId}|0`,
    repId: 'rep1',
    periodKey: Q1,
    lineType: 'Commission' as const,
    opportunityId,
    creditRole: 'Owner' as const,
    creditDate: '2026-02-10',
    creditedAmount: credited,
    ratePercent,
    tier: null,
    amount,
    payable: amount,
    currency: 'USD',
    planKey: 'test-plan',
    planVersion: 1,
    ...extra,
  };
}
const closedQ1 = { closedPeriods: [{ periodKey: Q1, closedOn: '2026-04-05' }] };
const lost = (id: string, amount: string, closeDate: string) => ({
  ...won(id, amount, closeDate),
  stageName: 'Closed Lost',
  isWon: false,
});

describe('closed periods', () => {
  test('a closed period is reproduced as posted, whatever the data says now', () => {
    const r = run(
      snap({
        opportunities: [won('o1', '150000', '2026-02-10')],
        commissionLedger: { ...closedQ1, lines: [postedQ1('o1', '150000.00', '10.0000', '15000.00')] },
      }),
      book(plan(['rep1'], {})),
      AS_OF,
    );
    expect(statementOf(r, 'rep1', Q1)).toMatchObject({ periodStatus: 'Closed', earned: '15000.00' });
    expect(linesOf(r, 'rep1', Q1).map((l) => l.externalKey)).toEqual(['CL|rep1|FY2026-Q1|COM|o1|0']);
    expect(linesOf(r, 'rep1', Q2)).toEqual([]);
  });

  test('clawback after payout: a paid deal lost inside the window, at the original rate, pointing at the line', () => {
    const r = run(
      snap({
        opportunities: [lost('o1', '120000', '2026-04-15')],
        commissionLedger: { ...closedQ1, lines: [postedQ1('o1', '120000.00', '10.0000', '12000.00')] },
      }),
      book(plan(['rep1'], { rates: { mode: 'flat', rate: 12 } })),
      AS_OF,
    );
    expect(statementOf(r, 'rep1', Q1).earned).toBe('12000.00');
    const [claw] = linesOf(r, 'rep1', Q2, 'Clawback');
    expect(claw).toMatchObject({
      amount: '-12000.00',
      creditedAmount: '-120000.00',
      ratePercent: '10.0000',
      originalLineKey: 'CL|rep1|FY2026-Q1|COM|o1|0',
      externalKey: 'CL|rep1|FY2026-Q2|CLB|FY2026-Q1|COM|o1|0|0',
    });
    expect(claw!.reason).toBe('deal lost (Closed Lost) within the 180-day clawback window');
    expect(statementOf(r, 'rep1', Q2)).toMatchObject({
      earned: '-12000.00',
      clawbacks: '-12000.00',
      payable: '-12000.00',
    });
    expect(r.stats.clawbacks).toBe(1);
  });

  test('a deal deleted after payout is clawed back, not silently dropped', () => {
    const r = run(
      snap({ commissionLedger: { ...closedQ1, lines: [postedQ1('gone', '1000.00', '10.0000', '100.00')] } }),
      book(plan(['rep1'], {})),
      AS_OF,
    );
    expect(linesOf(r, 'rep1', Q2, 'Clawback')[0]).toMatchObject({
      amount: '-100.00',
      reason: 'deal deleted within the 180-day clawback window',
    });
  });

  test('a reduced deal claws back the difference at the original rate', () => {
    const r = run(
      snap({
        opportunities: [won('o1', '100000', '2026-02-10')],
        commissionLedger: { ...closedQ1, lines: [postedQ1('o1', '120000.00', '10.0000', '12000.00')] },
      }),
      book(plan(['rep1'], {})),
      AS_OF,
    );
    expect(linesOf(r, 'rep1', Q2, 'Clawback').map((l) => [l.amount, l.creditedAmount])).toEqual([
      ['-2000.00', '-20000.00'],
    ]);
    expect(linesOf(r, 'rep1', Q2, 'Prior Period Adjustment')).toEqual([]);
  });

  test('outside the clawback window the paid line stands, with a warning', () => {
    const r = run(
      snap({
        opportunities: [lost('o1', '120000', '2026-05-15')],
        commissionLedger: { ...closedQ1, lines: [postedQ1('o1', '120000.00', '10.0000', '12000.00')] },
      }),
      book(plan(['rep1'], { clawback: { windowDays: 30 } })),
      AS_OF,
    );
    expect(linesOf(r, 'rep1', Q2)).toEqual([]);
    expect(r.warnings.map((w) => w.code)).toContain('COMMISSION.OUTSIDE_CLAWBACK_WINDOW');
  });

  test('the plan says whether a clawback reduces attainment', () => {
    const tiers = [
      { from: 0, to: 100, rate: 5 },
      { from: 100, rate: 10 },
    ];
    const s = snap({
      opportunities: [lost('o1', '50000', '2026-04-15'), won('o2', '120000', '2026-05-10')],
      quotas: [quota('rep1', '2026-04-01', '100000')],
      commissionLedger: { ...closedQ1, lines: [postedQ1('o1', '50000.00', '5.0000', '2500.00')] },
    });
    const reduces = run(
      s,
      book(plan(['rep1'], { rates: { mode: 'retroactive', tiers }, clawback: { reducesAttainment: true } })),
      AS_OF,
    );
    // 120,000 − 50,000 = 70% → tier 1
    expect(linesOf(reduces, 'rep1', Q2, 'Commission')[0]!.amount).toBe('6000.00');
    expect(statementOf(reduces, 'rep1', Q2).attainment).toBe('0.7000');
    const keeps = run(
      s,
      book(plan(['rep1'], { rates: { mode: 'retroactive', tiers }, clawback: { reducesAttainment: false } })),
      AS_OF,
    );
    expect(linesOf(keeps, 'rep1', Q2, 'Commission')[0]!.amount).toBe('12000.00');
    expect(linesOf(keeps, 'rep1', Q2, 'Clawback')[0]!.amount).toBe('-2500.00');
  });

  test('retroactive plan change: the closed period is not rewritten, the delta is a prior-period adjustment with its reason', () => {
    const b = book({
      ...plan(['rep1'], {}),
      versions: [
        { version: 1, effectiveFrom: '2025-01-01', rates: { mode: 'flat', rate: 10 } },
        {
          version: 2,
          effectiveFrom: '2026-01-01',
          note: 'rate correction',
          rates: { mode: 'flat', rate: 12 },
        },
      ],
    });
    const r = run(
      snap({
        opportunities: [won('o1', '100000', '2026-02-10')],
        commissionLedger: { ...closedQ1, lines: [postedQ1('o1', '100000.00', '10.0000', '10000.00')] },
      }),
      b,
      AS_OF,
    );
    expect(statementOf(r, 'rep1', Q1).earned).toBe('10000.00');
    const [ppa] = linesOf(r, 'rep1', Q2, 'Prior Period Adjustment');
    expect(ppa).toMatchObject({ amount: '2000.00', originalLineKey: 'CL|rep1|FY2026-Q1|COM|o1|0' });
    expect(ppa!.reason).toBe(
      'FY2026-Q1 recalculated: plan test-plan v1 → test-plan v2 (rate correction); rate 10.0000% → 12%',
    );
    expect(statementOf(r, 'rep1', Q2)).toMatchObject({ adjustments: '2000.00', earned: '2000.00' });
    // posting it again: a ledger that already holds the adjustment in a closed Q2 leaves nothing more
    const again = run(
      snap({
        opportunities: [won('o1', '100000', '2026-02-10')],
        commissionLedger: {
          closedPeriods: [...closedQ1.closedPeriods, { periodKey: Q2, closedOn: '2026-07-03' }],
          lines: [
            postedQ1('o1', '100000.00', '10.0000', '10000.00'),
            {
              ...postedQ1('o1', '0', '12.0000', '2000.00'),
              key: ppa!.externalKey,
              periodKey: Q2,
              lineType: 'Prior Period Adjustment',
              originalLineKey: ppa!.originalLineKey,
            },
          ],
        },
      }),
      b,
      '2026-08-10',
    );
    expect(linesOf(again, 'rep1', 'FY2026-Q3', 'Prior Period Adjustment')).toEqual([]);
  });

  test('a deal credited into a closed period after it closed is adjusted into the open period', () => {
    const r = run(
      snap({ opportunities: [won('late', '1000', '2026-03-30')], commissionLedger: closedQ1 }),
      book(plan(['rep1'], {})),
      AS_OF,
    );
    expect(linesOf(r, 'rep1', Q2, 'Prior Period Adjustment')[0]).toMatchObject({
      amount: '100.00',
      reason: 'FY2026-Q1 recalculated: not in the closed statement',
    });
  });
});

describe('as of a past date', () => {
  test('history after asOf is replayed back; a close after asOf is not yet a close', () => {
    const s = snap({
      opportunities: [lost('o1', '100000', '2026-06-05')],
      history: [
        {
          opportunityId: 'o1',
          changedAt: '2026-03-01',
          stageName: 'Prospecting',
          amount: '80000',
          closeDate: '2026-04-30',
        },
        {
          opportunityId: 'o1',
          changedAt: '2026-04-10',
          stageName: 'Closed Won',
          amount: '100000',
          closeDate: '2026-04-10',
        },
        {
          opportunityId: 'o1',
          changedAt: '2026-06-05',
          stageName: 'Closed Lost',
          amount: '100000',
          closeDate: '2026-06-05',
        },
      ],
      commissionLedger: { closedPeriods: [{ periodKey: Q2, closedOn: '2026-07-02' }] },
    });
    const b = book(plan(['rep1'], {}));
    const then = run(s, b, '2026-05-20');
    expect(statementOf(then, 'rep1', Q2)).toMatchObject({ periodStatus: 'Open', earned: '10000.00' });
    const now = run(s, b, '2026-06-20');
    expect(linesOf(now, 'rep1', Q2, 'Commission')).toEqual([]);
  });
});

describe('year to date', () => {
  test('retroactive YTD tiers pay year-to-date earnings minus what earlier periods earned', () => {
    const b = book(
      plan(['rep1'], {
        attainment: { basis: 'ytd', ytdMinusEarned: true },
        rates: {
          mode: 'retroactive',
          tiers: [
            { from: 0, to: 100, rate: 5 },
            { from: 100, rate: 10 },
          ],
        },
      }),
    );
    const r = run(
      snap({
        opportunities: [won('q1', '80000', '2026-02-10'), won('q2', '150000', '2026-05-10')],
        quotas: [quota('rep1', '2026-01-01', '100000'), quota('rep1', '2026-04-01', '100000')],
      }),
      b,
      AS_OF,
    );
    expect(statementOf(r, 'rep1', Q1)).toMatchObject({
      earned: '4000.00',
      attainment: '0.8000',
      attainmentBasis: 'Year to date',
    });
    const q2 = linesOf(r, 'rep1', Q2, 'Commission');
    expect(q2.map((l) => [l.opportunityId, l.amount])).toEqual([
      ['q2', '15000.00'],
      [null, '4000.00'],
    ]);
    expect(q2[1]!.externalKey).toBe('CL|rep1|FY2026-Q2|COM|YTD|0');
    // 230,000 of 200,000 YTD; 230,000 × 10% = 23,000 in all
    expect(statementOf(r, 'rep1', Q2)).toMatchObject({ earned: '19000.00', attainment: '1.1500' });
  });
});

describe('draws', () => {
  test('non-recoverable: the greater of earned and the draw, settled at period close', () => {
    const b = book(plan(['rep1'], { draw: { type: 'nonRecoverable', amount: '1500' } }));
    const r = run(
      snap({ opportunities: [won('o1', '10000', '2026-02-10'), won('o2', '1000', '2026-05-10')] }),
      b,
      AS_OF,
    );
    expect(linesOf(r, 'rep1', Q1, 'Draw')[0]).toMatchObject({ amount: '500.00', payable: '500.00' });
    expect(statementOf(r, 'rep1', Q1)).toMatchObject({ earned: '1500.00', draw: '500.00' });
    // the current period is not closed yet: no draw line
    expect(linesOf(r, 'rep1', Q2, 'Draw')).toEqual([]);
  });

  test('recoverable: advanced when short, recovered from later earnings without going below the guarantee', () => {
    const b = book(plan(['rep1'], { draw: { type: 'recoverable', amount: '2000', from: '2026-01-01' } }));
    const r = run(
      snap({ opportunities: [won('o1', '5000', '2026-02-10'), won('o2', '50000', '2026-05-10')] }),
      b,
      '2026-07-10',
    );
    expect(linesOf(r, 'rep1', Q1, 'Draw')[0]!.amount).toBe('1500.00');
    // Q2 earned 5,000: recover min(1,500, 5,000 − 2,000)
    expect(linesOf(r, 'rep1', Q2, 'Draw Recovery')[0]!.amount).toBe('-1500.00');
    expect(statementOf(r, 'rep1', Q2)).toMatchObject({ earned: '3500.00', drawRecovered: '1500.00' });
  });
});

describe('earned vs payable', () => {
  test('on invoice: payable once the deal has an invoice date', () => {
    const b = book(plan(['rep1'], { payable: { on: 'invoice' } }));
    const r = run(
      snap({
        opportunities: [
          won('a', '1000', '2026-05-01'),
          won('b', '1000', '2026-05-02', { dates: { invoiceDate: '2026-05-15' } }),
        ],
      }),
      b,
      AS_OF,
    );
    expect(
      linesOf(r, 'rep1', Q2, 'Commission').map((l) => [l.opportunityId, l.payable, l.holdReason]),
    ).toEqual([
      ['a', '0.00', 'awaiting invoice'],
      ['b', '100.00', null],
    ]);
    expect(statementOf(r, 'rep1', Q2)).toMatchObject({ earned: '200.00', payable: '100.00', held: '100.00' });
  });

  test('by share of payment received by asOf', () => {
    const b = book(plan(['rep1'], { payable: { on: 'payment' } }));
    const r = run(
      snap({
        opportunities: [won('a', '1000', '2026-05-01')],
        payments: [
          { opportunityId: 'a', date: '2026-05-10', amount: '250', currency: 'USD' },
          { opportunityId: 'a', date: '2026-06-10', amount: '750', currency: 'USD' },
        ],
      }),
      b,
      AS_OF,
    );
    expect(linesOf(r, 'rep1', Q2, 'Commission')[0]).toMatchObject({
      amount: '100.00',
      payable: '25.00',
      holdReason: 'awaiting payment (25.00% paid)',
    });
  });

  test('holds keep a line unpaid with its reason; a held closed line is released later', () => {
    const hold = {
      id: 'h1',
      repId: 'rep1',
      opportunityId: null,
      reason: 'contract dispute',
      from: '2026-05-01',
    };
    let r = run(
      snap({ opportunities: [won('a', '1000', '2026-05-01')], commissionHolds: [hold] }),
      book(plan(['rep1'], {})),
      AS_OF,
    );
    expect(linesOf(r, 'rep1', Q2, 'Commission')[0]).toMatchObject({
      payable: '0.00',
      holdReason: 'contract dispute',
    });
    r = run(
      snap({
        opportunities: [won('o1', '1000', '2026-02-10', { dates: { invoiceDate: '2026-04-20' } })],
        commissionLedger: {
          ...closedQ1,
          lines: [postedQ1('o1', '1000.00', '10.0000', '100.00', { payable: '0' })],
        },
      }),
      book(plan(['rep1'], { payable: { on: 'invoice' } })),
      AS_OF,
    );
    expect(linesOf(r, 'rep1', Q2, 'Hold Release')[0]).toMatchObject({
      amount: '0.00',
      payable: '100.00',
      originalLineKey: 'CL|rep1|FY2026-Q1|COM|o1|0',
    });
    expect(statementOf(r, 'rep1', Q2)).toMatchObject({ earned: '0.00', payable: '100.00' });
  });

  test('paid to date comes from the payouts made by asOf', () => {
    const r = run(
      snap({
        opportunities: [won('a', '1000', '2026-02-01')],
        commissionLedger: {
          payouts: [
            { repId: 'rep1', periodKey: Q1, date: '2026-04-15', amount: '60', currency: 'USD' },
            { repId: 'rep1', periodKey: Q1, date: '2026-06-15', amount: '40', currency: 'USD' },
          ],
        },
      }),
      book(plan(['rep1'], {})),
      AS_OF,
    );
    expect(statementOf(r, 'rep1', Q1).paidToDate).toBe('60.00');
  });
});

describe('rounding residue', () => {
  test('lines are rounded on the running total: the statement is the exact total rounded once', () => {
    // three deals of $0.05 at 10%: 0.5 cent each. Alone each rounds (half-even) to 0.00 and the
    // statement would pay 0.00 for 1.5 cents earned; on the running total: 0.00, 0.01, 0.01.
    const r = run(
      snap({
        opportunities: [
          won('a', '0.05', '2026-05-01'),
          won('b', '0.05', '2026-05-02'),
          won('c', '0.05', '2026-05-03'),
        ],
      }),
      book(plan(['rep1'], {})),
      AS_OF,
    );
    const ls = linesOf(r, 'rep1', Q2, 'Commission');
    expect(ls.map((l) => l.amount)).toEqual(['0.00', '0.01', '0.01']);
    expect(ls[1]!.trace).toBe('$0.05 × 10% = $0.01 (+$0.01 rounding carried from the running total)');
    expect(statementOf(r, 'rep1', Q2).earned).toBe('0.02');
  });
});
