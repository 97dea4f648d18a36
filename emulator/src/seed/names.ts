/** Small built-in name lists: enough variety for thousands of people and companies. */
import type { Random } from './random';

// prettier-ignore
export const FIRST_NAMES = [
  'Aaron', 'Abigail', 'Adrian', 'Aisha', 'Alex', 'Alice', 'Amir', 'Ana', 'Andre', 'Anna', 'Arjun', 'Beatriz',
  'Ben', 'Bianca', 'Carlos', 'Carmen', 'Chen', 'Chloe', 'Chris', 'Claire', 'Daniel', 'Dana', 'David', 'Diego',
  'Elena', 'Emily', 'Emma', 'Ethan', 'Fatima', 'Felix', 'Fiona', 'Grace', 'Hana', 'Hannah', 'Henry', 'Hiro',
  'Ines', 'Isaac', 'Ivy', 'Jack', 'James', 'Jana', 'Javier', 'Jin', 'Julia', 'Kai', 'Karen', 'Kenji', 'Laura',
  'Leo', 'Lena', 'Liam', 'Lina', 'Lucas', 'Maria', 'Mark', 'Maya', 'Mei', 'Mia', 'Michael', 'Naomi', 'Nina',
  'Noah', 'Olivia', 'Omar', 'Oscar', 'Paula', 'Priya', 'Rafael', 'Rachel', 'Ravi', 'Rosa', 'Ryan', 'Sam',
  'Sara', 'Sofia', 'Sven', 'Tariq', 'Tom', 'Uma', 'Victor', 'Wei', 'Yara', 'Yuki', 'Zoe',
];

// prettier-ignore
export const LAST_NAMES = [
  'Adams', 'Ahmed', 'Alvarez', 'Andersen', 'Baker', 'Becker', 'Bennett', 'Brown', 'Campbell', 'Chen', 'Clark',
  'Cohen', 'Costa', 'Davies', 'Dubois', 'Evans', 'Fischer', 'Garcia', 'Gupta', 'Hall', 'Hansen', 'Harris',
  'Hughes', 'Ito', 'Jansen', 'Johnson', 'Kim', 'Kowalski', 'Kumar', 'Lee', 'Lopez', 'Martin', 'Meyer',
  'Miller', 'Moreau', 'Murphy', 'Nakamura', 'Nguyen', 'Novak', "O'Brien", 'Okafor', 'Patel', 'Perez', 'Rossi',
  'Santos', 'Schmidt', 'Silva', 'Singh', 'Smith', 'Suzuki', 'Tanaka', 'Taylor', 'Thomas', 'Walker', 'Wang',
  'Weber', 'Williams', 'Wilson', 'Wong', 'Yamamoto', 'Young', 'Zhang',
];

// prettier-ignore
const COMPANY_HEADS = [
  'Acme', 'Apex', 'Arcadia', 'Atlas', 'Aurora', 'Beacon', 'Blue Harbor', 'Bright', 'Cascade', 'Cedar',
  'Cobalt', 'Crescent', 'Delta', 'Evergreen', 'Falcon', 'Fusion', 'Global', 'Granite', 'Harbor', 'Horizon',
  'Iron', 'Juniper', 'Keystone', 'Lighthouse', 'Lumen', 'Meridian', 'Nimbus', 'Northwind', 'Nova', 'Oak',
  'Orion', 'Pacific', 'Pinnacle', 'Polar', 'Quantum', 'Redwood', 'Riverstone', 'Sapphire', 'Sierra',
  'Silverline', 'Summit', 'Sun', 'Terra', 'Titan', 'Trident', 'Union', 'Vanguard', 'Vertex', 'Willow',
  'Zenith',
];

// prettier-ignore
const COMPANY_CORES = [
  'Analytics', 'Bio', 'Capital', 'Logistics', 'Data', 'Dynamics', 'Energy', 'Foods', 'Health', 'Industries',
  'Labs', 'Media', 'Mobility', 'Networks', 'Partners', 'Pharma', 'Retail', 'Robotics', 'Software', 'Systems',
  'Technologies', 'Telecom', 'Ventures', 'Works',
];

/** Legal-form suffixes by country, so a German company reads as one. */
const SUFFIXES: Record<string, string[]> = {
  US: ['Inc.', 'Corp.', 'LLC', 'Co.'],
  CA: ['Inc.', 'Ltd.', 'Corp.'],
  GB: ['Ltd', 'plc', 'Group'],
  DE: ['GmbH', 'AG', 'SE'],
  FR: ['SA', 'SAS', 'Groupe'],
  NL: ['B.V.', 'N.V.'],
  IE: ['Ltd', 'DAC'],
  JP: ['K.K.', 'Co., Ltd.'],
  AU: ['Pty Ltd', 'Ltd'],
  SG: ['Pte. Ltd.'],
};

// prettier-ignore
export const STREETS = [
  'Main Street', 'Market Street', 'Harbour Road', 'Station Road', 'King Street', 'Park Avenue', 'Mill Lane',
  'High Street', 'Oak Avenue', 'River Road', 'Queen Street', 'Church Street', 'Bridge Street',
  'Innovation Way', 'Commerce Drive',
];

export function personName(rng: Random): { first: string; last: string } {
  return { first: rng.pick(FIRST_NAMES), last: rng.pick(LAST_NAMES) };
}

/** A company name; `taken` keeps names unique across the org by qualifying repeats with a city. */
export function companyName(rng: Random, countryCode: string, city: string, taken: Set<string>): string {
  const suffix = rng.pick(SUFFIXES[countryCode] ?? ['Ltd']);
  const base = `${rng.pick(COMPANY_HEADS)} ${rng.pick(COMPANY_CORES)}`;
  let name = `${base} ${suffix}`;
  if (taken.has(name)) name = `${base} ${city} ${suffix}`;
  for (let n = 2; taken.has(name); n++) name = `${base} ${city} ${n} ${suffix}`;
  taken.add(name);
  return name;
}

/** `o'brien` → `obrien`: usernames and aliases keep to plain letters. */
export function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]/g, '');
}
