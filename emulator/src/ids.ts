/**
 * Salesforce record ids: 15 case-sensitive characters (3-character key prefix, 2-character pod,
 * 1 reserved, 9-character sequence) plus a 3-character suffix that makes the id case-insensitively
 * unique. APIs return 18 characters and accept either form.
 */
const SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const ID_PATTERN = /^[a-zA-Z0-9]{15}(?:[A-Z0-5]{3})?$/;

/** The pod part every id of the embedded org carries. */
const POD = '5g';

export function checksumSuffix(id15: string): string {
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const ch = id15.charCodeAt(chunk * 5 + i);
      if (ch >= 65 && ch <= 90) bits |= 1 << i;
    }
    suffix += SUFFIX_ALPHABET[bits];
  }
  return suffix;
}

export function isIdShaped(value: string): boolean {
  return (
    ID_PATTERN.test(value) && (value.length === 15 || checksumSuffix(value.slice(0, 15)) === value.slice(15))
  );
}

/** The canonical 18-character form, or null when the value is not an id. */
export function to18(value: string): string | null {
  if (!isIdShaped(value)) return null;
  return value.length === 18 ? value : value + checksumSuffix(value);
}

export function keyPrefixOf(id: string): string {
  return id.slice(0, 3);
}

/** Builds the id for the n-th record (n ≥ 1) of a key prefix. */
export function makeId(keyPrefix: string, sequence: number): string {
  let seq = '';
  let n = sequence;
  while (n > 0) {
    seq = BASE62[n % 62] + seq;
    n = Math.floor(n / 62);
  }
  if (seq.length > 9) throw new Error(`id sequence overflow for prefix ${keyPrefix}`);
  const id15 = keyPrefix + POD + '0' + seq.padStart(9, '0');
  return id15 + checksumSuffix(id15);
}
