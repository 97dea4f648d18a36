import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { CsvRowReader, CsvSyntaxError } from '../../emulator/src/bulk/csv-rows';

/** Reads `text` fed in pieces cut at `cuts`, as an upload streams in. */
function readAll(
  text: string,
  delimiter: string,
  lineEnding: 'LF' | 'CRLF',
  cuts: number[] = [],
): string[][] {
  const reader = new CsvRowReader(delimiter, lineEnding);
  const rows: string[][] = [];
  let at = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    if (cut <= at || cut >= text.length) continue;
    rows.push(...reader.push(text.slice(at, cut)));
    at = cut;
  }
  rows.push(...reader.end(text.slice(at)));
  return rows;
}

describe('CsvRowReader (Bulk upload rows)', () => {
  it('reads quoted cells with delimiters, quotes and line breaks inside', () => {
    const text = 'Name,Description\n"Acme, Inc.","said ""hi""\nand left"\nPlain,\n';
    expect(readAll(text, ',', 'LF')).toEqual([
      ['Name', 'Description'],
      ['Acme, Inc.', 'said "hi"\nand left'],
      ['Plain', ''],
    ]);
  });

  it('ends records with CRLF when the job says so, keeps a lone CR or LF as data', () => {
    const text = 'A|B\r\nx\ry|"p\r\nq"\r\n1|2';
    expect(readAll(text, '|', 'CRLF')).toEqual([
      ['A', 'B'],
      ['x\ry', 'p\r\nq'],
      ['1', '2'],
    ]);
    expect(readAll('A,B\r\n1,2\r\n', ',', 'LF')).toEqual([
      ['A', 'B\r'],
      ['1', '2\r'],
    ]);
  });

  it('drops a byte-order mark and skips empty lines', () => {
    expect(readAll('\uFEFFName\n\nA\n\n\nB\n', ',', 'LF')).toEqual([['Name'], ['A'], ['B']]);
  });

  it('gives the same records however the text is cut into pieces', () => {
    const text = 'K,"V"\r\n"a""b","c\r\nd"\r\n"",x\r\n';
    for (let cut = 1; cut < text.length; cut++) {
      expect(readAll(text, ',', 'CRLF', [cut])).toEqual([
        ['K', 'V'],
        ['a"b', 'c\r\nd'],
        ['', 'x'],
      ]);
    }
  });

  it.each([
    ['a record shorter than the header', 'Name,Phone\nA\n', /Invalid Record Length: expect 2, got 1/],
    ['a quote inside an unquoted cell', 'Name\nA"b\n', /Invalid Opening Quote/],
    ['text after a closing quote', 'Name\n"A"b\n', /Invalid Closing Quote/],
    ['a quote never closed', 'Name\n"A\n', /Quote Not Closed/],
  ])('refuses %s', (_, text, message) => {
    expect(() => readAll(text, ',', 'LF')).toThrow(CsvSyntaxError);
    expect(() => readAll(text, ',', 'LF')).toThrow(message);
  });

  it('agrees with csv-parse on well-formed files of any content, cut anywhere', () => {
    const cell = fc.string({
      unit: fc.constantFrom('a', 'B', ' ', ',', ';', '"', '\n', '\r', 'é', '\t'),
      maxLength: 8,
    });
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }).chain((width) =>
          fc.tuple(
            fc.array(fc.array(cell, { minLength: width, maxLength: width }), {
              minLength: 1,
              maxLength: 6,
            }),
            fc.constantFrom(',', ';', '\t'),
            fc.constantFrom<'LF' | 'CRLF'>('LF', 'CRLF'),
            fc.array(fc.nat({ max: 200 }), { maxLength: 4 }),
            fc.boolean(),
          ),
        ),
        ([rows, delimiter, lineEnding, cuts, trailing]) => {
          const eol = lineEnding === 'CRLF' ? '\r\n' : '\n';
          // The write-back's way: every cell quoted.
          const text =
            rows.map((r) => r.map((c) => `"${c.replace(/"/g, '""')}"`).join(delimiter)).join(eol) +
            (trailing ? eol : '');
          const expected = parse(text, {
            delimiter,
            record_delimiter: eol,
            bom: true,
            skip_empty_lines: true,
          });
          expect(readAll(text, delimiter, lineEnding, cuts)).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('agrees with csv-parse on unquoted cells', () => {
    const cell = fc.string({
      unit: fc.constantFrom('a', 'B', ' ', 'é', '#', '1'),
      minLength: 1,
      maxLength: 6,
    });
    fc.assert(
      fc.property(
        fc.array(fc.array(cell, { minLength: 3, maxLength: 3 }), { minLength: 1, maxLength: 6 }),
        fc.constantFrom<'LF' | 'CRLF'>('LF', 'CRLF'),
        fc.array(fc.nat({ max: 120 }), { maxLength: 3 }),
        (rows, lineEnding, cuts) => {
          const eol = lineEnding === 'CRLF' ? '\r\n' : '\n';
          const text = rows.map((r) => r.join(',')).join(eol) + eol;
          const expected = parse(text, {
            delimiter: ',',
            record_delimiter: eol,
            bom: true,
            skip_empty_lines: true,
          });
          expect(readAll(text, ',', lineEnding, cuts)).toEqual(expected);
        },
      ),
      { numRuns: 200 },
    );
  });
});
