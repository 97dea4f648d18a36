import { describe, expect, it } from '@jest/globals';
import { parseCsvRows } from '../../server/src/crm/csv-rows';
import { normalizeRecord, RecordNormalizer } from '../../server/src/crm/record-normalizer';

describe('Bulk CSV rows', () => {
  it('When cells are quoted with commas, doubled quotes and line breaks, then each cell comes back as written', () => {
    const text = '"Id","Name","Note"\n"001","Acme, Inc.","said ""hi""\nthen left"\n"002","Plain",""\n';
    expect(parseCsvRows(text)).toEqual([
      ['Id', 'Name', 'Note'],
      ['001', 'Acme, Inc.', 'said "hi"\nthen left'],
      ['002', 'Plain', ''],
    ]);
  });

  it('When lines end in CRLF, cells are unquoted, lines are empty or the last cell is empty, then rows still split right', () => {
    expect(parseCsvRows('Id,Amount\r\n001,12.5\r\n\r\n002,\r\n003,')).toEqual([
      ['Id', 'Amount'],
      ['001', '12.5'],
      ['002', ''],
      ['003', ''],
    ]);
    expect(parseCsvRows('"a","b"\r\n"x","y"')).toEqual([
      ['a', 'b'],
      ['x', 'y'],
    ]);
    expect(parseCsvRows('')).toEqual([]);
    expect(parseCsvRows('\n\n')).toEqual([]);
  });

  it('When a quote is never closed or text follows a closing quote, then parsing fails instead of truncating', () => {
    expect(() => parseCsvRows('"Id"\n"001')).toThrow(/malformed CSV from the org in row 2/);
    expect(() => parseCsvRows('"Id"\n"001"x\n')).toThrow(/malformed CSV from the org in row 2/);
  });
});

describe('record normalising', () => {
  const fields = ['Id', 'IsDeleted', 'SystemModstamp', 'Name', 'Amount', 'CloseDate', 'IsWon', 'LastViewed'];
  const types = {
    Id: 'id',
    IsDeleted: 'boolean',
    SystemModstamp: 'datetime',
    Name: 'string',
    Amount: 'currency',
    CloseDate: 'date',
    IsWon: 'boolean',
    LastViewed: 'datetime',
  };
  const typed = { name: 'Name', amount: 'Amount', closeDate: 'CloseDate', isWon: 'IsWon' } as const;
  const normalizer = new RecordNormalizer('Opportunity', fields, types, typed);

  const expected = {
    object: 'Opportunity',
    id: '0065g0000000001AAA',
    modstamp: Date.parse('2026-01-15T10:00:00.000Z'),
    deleted: false,
    ownerId: null,
    parentId: null,
    accountId: null,
    name: 'Acme, "big" deal',
    amount: '1500.25',
    closeDate: '2026-03-31',
    stage: null,
    category: null,
    isClosed: null,
    isWon: true,
    currency: null,
    raw: JSON.stringify({
      Id: '0065g0000000001AAA',
      IsDeleted: false,
      SystemModstamp: '2026-01-15T10:00:00.000Z',
      Name: 'Acme, "big" deal',
      Amount: 1500.25,
      CloseDate: '2026-03-31',
      IsWon: true,
      LastViewed: '2026-01-15T08:30:00.000Z',
    }),
  };

  it('When the same record arrives as REST JSON and as a Bulk CSV row, then both are stored identically', () => {
    const json = normalizer.fromJson({
      attributes: { type: 'Opportunity' },
      Id: '0065g0000000001AAA',
      IsDeleted: false,
      SystemModstamp: '2026-01-15T10:00:00.000+0000',
      Name: 'Acme, "big" deal',
      Amount: 1500.25,
      CloseDate: '2026-03-31',
      IsWon: true,
      // Another offset is converted to UTC: 10:00 at +01:30 is 08:30Z.
      LastViewed: '2026-01-15T10:00:00.000+0130',
    });
    const csv = normalizer.fromCsv(
      parseCsvRows(
        '"Id","IsDeleted","SystemModstamp","Name","Amount","CloseDate","IsWon","LastViewed"\n' +
          '"0065g0000000001AAA","false","2026-01-15T10:00:00.000Z","Acme, ""big"" deal","1500.25","2026-03-31","true","2026-01-15T08:30:00.000Z"\n',
      ),
    );
    expect(json).toEqual(expected);
    expect(csv).toEqual([expected]);
  });

  it('When header names differ in case or a field is absent, then matching ignores case and the absent field is null', () => {
    const [r] = normalizer.fromCsv([
      ['ID', 'isdeleted', 'SYSTEMMODSTAMP', 'name'],
      ['0065g0000000002AAA', 'true', '2026-01-15T10:00:00.000Z', ''],
    ]);
    expect(r).toMatchObject({
      id: '0065g0000000002AAA',
      deleted: true,
      name: null,
      amount: null,
      isWon: null,
    });
    expect(JSON.parse(r.raw)).toEqual({
      Id: '0065g0000000002AAA',
      IsDeleted: true,
      SystemModstamp: '2026-01-15T10:00:00.000Z',
      Name: null,
      Amount: null,
      CloseDate: null,
      IsWon: null,
      LastViewed: null,
    });
    // The same from JSON whose keys are in another case.
    const j = normalizer.fromJson({
      id: '0065g0000000002AAA',
      ISDELETED: true,
      systemmodstamp: '2026-01-15T10:00:00.000Z',
    });
    expect(j.raw).toBe(r.raw);
  });

  it('When a datetime is not in the canonical form, then it is still rewritten to canonical UTC as before', () => {
    const at = (value: string): unknown =>
      JSON.parse(
        normalizeRecord(
          'X',
          ['Id', 'SystemModstamp', 'D'],
          { SystemModstamp: 'datetime', D: 'datetime' },
          {},
          {
            Id: 'a',
            SystemModstamp: '2026-01-15T10:00:00.000Z',
            D: value,
          },
        ).raw,
      ).D;
    expect(at('2026-01-15T10:00:00Z')).toBe('2026-01-15T10:00:00.000Z');
    // Rolled-over values, which Date accepts, come out rolled over rather than passed through.
    expect(at('2024-02-30T00:00:00.000Z')).toBe('2024-03-01T00:00:00.000Z');
    expect(at('2026-01-15T24:00:00.000Z')).toBe('2026-01-16T00:00:00.000Z');
    expect(() => at('yesterday')).toThrow(/invalid datetime from the org/);
  });

  it('When numbers are not finite or cells are empty, then they are stored as null', () => {
    const [r] = normalizer.fromCsv([
      ['Id', 'SystemModstamp', 'Amount', 'IsWon'],
      ['0065g0000000003AAA', '2026-01-15T10:00:00.000Z', 'n/a', ''],
    ]);
    expect(r.amount).toBeNull();
    expect(r.isWon).toBeNull();
  });
});
