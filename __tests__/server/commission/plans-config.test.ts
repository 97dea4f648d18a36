import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadCommissionPlans } from '../../../server/src/config/commission-plans';
import { PlanSchema } from '../../../server/src/domain/commission/plan-schema';

describe('commission plan files', () => {
  test('the committed demo plans load, versioned, with the shared calendar and stages', () => {
    const b = loadCommissionPlans();
    expect(b.plans.map((p) => `${p.key}@${p.versions.map((v) => v.version).join(',')}`)).toEqual([
      'ae-commercial@1',
      'ae-enterprise@1,2',
      'sales-manager@1',
      'solution-engineer@1',
    ]);
    expect(b.fiscalCalendar).toMatchObject({ type: 'standard', startMonth: 2 });
    expect(b.stages.find((s) => s.name === 'Closed Won')?.outcome).toBe('won');
  });

  test('the role patterns match the demo org role names', () => {
    const b = loadCommissionPlans();
    const pattern = (key: string) =>
      new RegExp(b.plans.find((p) => p.key === key)!.assignments[0]!.roleNameMatches!);
    expect(pattern('ae-enterprise').test('AMER Enterprise 1 Account Executive')).toBe(true);
    expect(pattern('ae-commercial').test('EMEA Mid-Market 2 Account Executive')).toBe(true);
    expect(pattern('ae-commercial').test('APAC SMB 1 Account Executive')).toBe(true);
    expect(pattern('ae-commercial').test('AMER Enterprise 1 Account Executive')).toBe(false);
    expect(pattern('sales-manager').test('AMER SMB 3 Sales Manager')).toBe(true);
  });

  test('versions are never edited in place: they must rise in number and date', () => {
    const res = PlanSchema.safeParse({
      key: 'p',
      name: 'P',
      versions: [
        { version: 2, effectiveFrom: '2026-01-01', rates: { mode: 'flat', rate: 1 } },
        { version: 1, effectiveFrom: '2026-02-01', rates: { mode: 'flat', rate: 1 } },
      ],
    });
    expect(res.success).toBe(false);
    expect(res.error!.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['versions.1', 'versions are listed oldest first, with rising numbers and effective dates'],
    ]);
  });

  test('a plan key used twice is refused, naming both files', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'plans-'));
    try {
      const text =
        'key: same\nname: Same\nversions:\n  - { version: 1, effectiveFrom: 2026-01-01, rates: { mode: flat, rate: 1 } }\n';
      writeFileSync(path.join(dir, 'a.yaml'), text);
      writeFileSync(path.join(dir, 'b.yaml'), text);
      expect(() => loadCommissionPlans(dir)).toThrow(
        `${path.join(dir, 'b.yaml')}: key: plan key same is already used by ${path.join(dir, 'a.yaml')}`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
