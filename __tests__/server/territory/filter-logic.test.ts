import {
  evaluateFilter,
  FilterSyntaxError,
  formatFilter,
  parseFilterLogic,
  requiredItems,
} from '../../../server/src/domain/territory';

const truth = (bits: string) => (i: number) => bits[i - 1] === '1';

describe('boolean filter logic', () => {
  it.each([
    // filter, items (1-based truth as bits), expected
    ['(1 AND 2) OR 3', '110', true],
    ['(1 AND 2) OR 3', '100', false],
    ['(1 AND 2) OR 3', '001', true],
    ['1 AND (2 OR 3)', '101', true],
    ['1 AND (2 OR 3)', '011', false],
    ['1 OR 2 AND 3', '100', true], // AND binds tighter: 1 OR (2 AND 3)
    ['1 OR 2 AND 3', '010', false],
    ['NOT 1', '0', true],
    ['NOT (1 OR 2)', '00', true],
    ['NOT (1 OR 2)', '01', false],
    ['NOT 1 AND 2', '01', true], // NOT binds tightest
    ['1 and not 2', '10', true], // keywords are case-insensitive
    ['((1))', '1', true],
  ])('%s with items %s → %s', (filter, bits, expected) => {
    expect(evaluateFilter(parseFilterLogic(filter, bits.length), truth(bits))).toBe(expected);
  });

  it.each([
    ['(1 AND 2', 2, "expected ')' but found the end"],
    ['1 AND', 1, 'found the end'],
    ['1 2', 2, "unexpected '2' at position 3"],
    ['1 AND 4', 3, 'item 4 at position 7 does not exist (the rule has 3 items)'],
    ['0', 1, 'item 0'],
    ['1 XOR 2', 2, "unexpected 'X'"],
    ['', 1, 'the filter is empty'],
  ])('refuses %j with a position', (filter, items, message) => {
    expect(() => parseFilterLogic(filter, items)).toThrow(FilterSyntaxError);
    expect(() => parseFilterLogic(filter, items)).toThrow(message);
  });

  it('finds the items every match needs (the index anchors)', () => {
    expect(requiredItems(parseFilterLogic('1 AND (2 OR 3) AND 4', 4))).toEqual([1, 4]);
    expect(requiredItems(parseFilterLogic('1 OR 2', 2))).toEqual([]);
    expect(requiredItems(parseFilterLogic('NOT 1 AND 2', 2))).toEqual([2]);
  });

  it('prints what it parsed', () => {
    expect(formatFilter(parseFilterLogic('1 or 2 and not (3 or 4)', 4))).toBe('1 OR (2 AND NOT (3 OR 4))');
  });
});
