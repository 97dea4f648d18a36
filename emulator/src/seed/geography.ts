/**
 * Where customers and reps are: regions, their countries, the states or provinces in each with a
 * city and a postal-code pattern, and the currency each country trades in. Everything about an
 * address is drawn from one row, so region, country, state, postal code and currency always agree.
 */
import type { Random } from './random';

export const REGIONS = ['AMER', 'EMEA', 'APAC'] as const;
export type Region = (typeof REGIONS)[number];
/** Share of reps and accounts per region. */
export const REGION_WEIGHTS = [0.5, 0.3, 0.2];

export interface Locality {
  state: string | null;
  city: string;
  /** `#` = a digit, `@` = a capital letter; other characters are kept. */
  postal: string;
}

export interface Country {
  code: string;
  name: string;
  region: Region;
  currency: string;
  weight: number;
  timeZone: string;
  locale: string;
  phonePrefix: string;
  localities: Locality[];
}

export const COUNTRIES: Country[] = [
  {
    code: 'US',
    name: 'United States',
    region: 'AMER',
    currency: 'USD',
    weight: 0.8,
    timeZone: 'America/New_York',
    locale: 'en_US',
    phonePrefix: '+1',
    localities: [
      { state: 'CA', city: 'San Francisco', postal: '941##' },
      { state: 'CA', city: 'Los Angeles', postal: '900##' },
      { state: 'NY', city: 'New York', postal: '100##' },
      { state: 'TX', city: 'Austin', postal: '787##' },
      { state: 'TX', city: 'Dallas', postal: '752##' },
      { state: 'IL', city: 'Chicago', postal: '606##' },
      { state: 'MA', city: 'Boston', postal: '021##' },
      { state: 'WA', city: 'Seattle', postal: '981##' },
      { state: 'GA', city: 'Atlanta', postal: '303##' },
      { state: 'CO', city: 'Denver', postal: '802##' },
      { state: 'FL', city: 'Miami', postal: '331##' },
      { state: 'NC', city: 'Charlotte', postal: '282##' },
    ],
  },
  {
    code: 'CA',
    name: 'Canada',
    region: 'AMER',
    currency: 'CAD',
    weight: 0.2,
    timeZone: 'America/New_York',
    locale: 'en_CA',
    phonePrefix: '+1',
    localities: [
      { state: 'ON', city: 'Toronto', postal: 'M#@ #@#' },
      { state: 'BC', city: 'Vancouver', postal: 'V#@ #@#' },
      { state: 'QC', city: 'Montreal', postal: 'H#@ #@#' },
      { state: 'AB', city: 'Calgary', postal: 'T#@ #@#' },
    ],
  },
  {
    code: 'GB',
    name: 'United Kingdom',
    region: 'EMEA',
    currency: 'GBP',
    weight: 0.35,
    timeZone: 'Europe/London',
    locale: 'en_GB',
    phonePrefix: '+44',
    localities: [
      { state: null, city: 'London', postal: 'EC#@ #@@' },
      { state: null, city: 'Manchester', postal: 'M# #@@' },
      { state: null, city: 'Edinburgh', postal: 'EH# #@@' },
      { state: null, city: 'Bristol', postal: 'BS# #@@' },
    ],
  },
  {
    code: 'DE',
    name: 'Germany',
    region: 'EMEA',
    currency: 'EUR',
    weight: 0.25,
    timeZone: 'Europe/Paris',
    locale: 'de_DE',
    phonePrefix: '+49',
    localities: [
      { state: 'BE', city: 'Berlin', postal: '1####' },
      { state: 'BY', city: 'Munich', postal: '8####' },
      { state: 'HH', city: 'Hamburg', postal: '2####' },
      { state: 'HE', city: 'Frankfurt', postal: '60###' },
    ],
  },
  {
    code: 'FR',
    name: 'France',
    region: 'EMEA',
    currency: 'EUR',
    weight: 0.2,
    timeZone: 'Europe/Paris',
    locale: 'fr_FR',
    phonePrefix: '+33',
    localities: [
      { state: null, city: 'Paris', postal: '75###' },
      { state: null, city: 'Lyon', postal: '69###' },
      { state: null, city: 'Toulouse', postal: '31###' },
    ],
  },
  {
    code: 'NL',
    name: 'Netherlands',
    region: 'EMEA',
    currency: 'EUR',
    weight: 0.1,
    timeZone: 'Europe/Paris',
    locale: 'en_GB',
    phonePrefix: '+31',
    localities: [
      { state: null, city: 'Amsterdam', postal: '10## @@' },
      { state: null, city: 'Rotterdam', postal: '30## @@' },
    ],
  },
  {
    code: 'IE',
    name: 'Ireland',
    region: 'EMEA',
    currency: 'EUR',
    weight: 0.1,
    timeZone: 'Europe/London',
    locale: 'en_GB',
    phonePrefix: '+353',
    localities: [
      { state: null, city: 'Dublin', postal: 'D## @#@#' },
      { state: null, city: 'Cork', postal: 'T12 @#@#' },
    ],
  },
  {
    code: 'JP',
    name: 'Japan',
    region: 'APAC',
    currency: 'JPY',
    weight: 0.35,
    timeZone: 'Asia/Tokyo',
    locale: 'ja_JP',
    phonePrefix: '+81',
    localities: [
      { state: 'Tokyo', city: 'Tokyo', postal: '1##-####' },
      { state: 'Osaka', city: 'Osaka', postal: '5##-####' },
    ],
  },
  {
    code: 'AU',
    name: 'Australia',
    region: 'APAC',
    currency: 'AUD',
    weight: 0.35,
    timeZone: 'Australia/Sydney',
    locale: 'en_AU',
    phonePrefix: '+61',
    localities: [
      { state: 'NSW', city: 'Sydney', postal: '2###' },
      { state: 'VIC', city: 'Melbourne', postal: '3###' },
      { state: 'QLD', city: 'Brisbane', postal: '4###' },
    ],
  },
  {
    code: 'SG',
    name: 'Singapore',
    region: 'APAC',
    currency: 'USD',
    weight: 0.3,
    timeZone: 'GMT',
    locale: 'en_GB',
    phonePrefix: '+65',
    localities: [{ state: null, city: 'Singapore', postal: '0#####' }],
  },
];

export const COUNTRY_BY_NAME = new Map(COUNTRIES.map((c) => [c.name, c]));

export function countriesOf(region: Region): Country[] {
  return COUNTRIES.filter((c) => c.region === region);
}

export function pickRegion(rng: Random): Region {
  return REGIONS[rng.weightedIndex(REGION_WEIGHTS)];
}

export function pickCountry(rng: Random, region: Region): Country {
  const options = countriesOf(region);
  return options[rng.weightedIndex(options.map((c) => c.weight))];
}

export function postalCode(rng: Random, pattern: string): string {
  let out = '';
  for (const ch of pattern) {
    if (ch === '#') out += String(rng.int(0, 9));
    else if (ch === '@') out += String.fromCharCode(65 + rng.int(0, 25));
    else out += ch;
  }
  return out;
}

export function phoneNumber(rng: Random, country: Country): string {
  return `${country.phonePrefix} ${rng.int(100, 999)} ${rng.int(100, 999)} ${rng.int(1000, 9999)}`;
}
