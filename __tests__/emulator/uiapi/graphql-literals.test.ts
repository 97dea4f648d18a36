import type { FieldDef } from '../../../emulator/src/schema/types';
import { literalFor, soqlString } from '../../../emulator/src/uiapi/graphql/literals';

const field = (type: FieldDef['type']): FieldDef => ({ name: 'F__c', label: 'F', type });

describe('GraphQL filter values as SOQL literals', () => {
  it('quotes strings with backslashes, quotes and line breaks escaped', () => {
    expect(soqlString("O'Brien \\ x")).toBe("'O\\'Brien \\\\ x'");
    expect(literalFor(field('string'), "a' OR Name != 'b")).toBe("'a\\' OR Name != \\'b'");
    expect(literalFor(field('picklist'), 'line\nbreak')).toBe("'line\\nbreak'");
  });

  it('takes only plain decimal numbers for number fields', () => {
    expect(literalFor(field('currency'), 1200.5)).toBe('1200.5');
    expect(literalFor(field('int'), { value: -3 })).toBe('-3');
    expect(() => literalFor(field('double'), 1e21)).toThrow(/plain decimal/);
    expect(() => literalFor(field('double'), '1 OR 1=1')).toThrow(/a number/);
    expect(() => literalFor(field('percent'), Number.NaN)).toThrow(/a number/);
  });

  it('takes dates, datetimes, date literals and ranges in their forms only', () => {
    expect(literalFor(field('date'), { value: '2026-04-01' })).toBe('2026-04-01');
    expect(literalFor(field('date'), { literal: 'THIS_FISCAL_QUARTER' })).toBe('THIS_FISCAL_QUARTER');
    expect(literalFor(field('date'), { range: { last_n_days: 30 } })).toBe('LAST_N_DAYS:30');
    expect(literalFor(field('datetime'), { value: '2026-04-01T10:00:00.000Z' })).toBe('2026-04-01T10:00:00Z');
    expect(() => literalFor(field('date'), { value: "2026-04-01' OR x" })).toThrow(/YYYY-MM-DD/);
    expect(() => literalFor(field('date'), { literal: 'TODAY OR Id != null' })).toThrow(/date literal/);
    expect(() => literalFor(field('date'), { range: { last_n_days: '3 OR 1' } })).toThrow(/range/);
    expect(() => literalFor(field('datetime'), 'yesterday')).toThrow(/datetime/);
  });

  it('takes booleans for checkboxes and null for any type', () => {
    expect(literalFor(field('boolean'), true)).toBe('TRUE');
    expect(() => literalFor(field('boolean'), 'true')).toThrow(/true or false/);
    expect(literalFor(field('date'), null)).toBe('null');
  });
});
