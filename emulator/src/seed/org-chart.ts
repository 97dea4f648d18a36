/**
 * The sales organisation: a role hierarchy (CRO → a VP per region → a manager per team → the
 * team's account executives) and its users. About a tenth of the reps were hired in the last two
 * quarters and are ramping; a few reps left during the window and their book went to a teammate.
 */
import { quoteIdent } from '../store/codec';
import { isoFromDay } from './calendar';
import type { SeedContext } from './context';
import {
  COUNTRIES,
  type Country,
  pickCountry,
  phoneNumber,
  postalCode,
  REGIONS,
  REGION_WEIGHTS,
  type Region,
} from './geography';
import { personName, slug } from './names';
import type { Random } from './random';
import { apportion, SEGMENT_CODE, SEGMENT_MODEL, SEGMENTS, type Segment } from './segments';

const TEAM_SIZE = 8;
const RAMPING_SHARE = 0.1;
const MID_TENURE_SHARE = 0.2;
const LEAVER_SHARE = 0.03;

export interface Team {
  key: string;
  name: string;
  region: Region;
  segment: Segment;
  managerUserId: string;
  managerName: string;
  managerCurrency: string;
  reps: Rep[];
}

export interface Rep {
  idx: number;
  userId: string;
  name: string;
  region: Region;
  segment: Segment;
  country: Country;
  currency: string;
  team: Team;
  hireDay: number;
  /** Last working day of a rep who left; null while employed. */
  leaveDay: number | null;
  /** Who took over the accounts and open deals of a rep who left. */
  successor: Rep | null;
  /** Multiplies the segment's win rate (0.55–1.6). */
  skill: number;
  /** Hired in the last two fiscal quarters. */
  ramping: boolean;
  /** Region and segment the rep covers, e.g. `AMER-ENT`. */
  territoryKey: string;
}

export interface OrgChart {
  croUserId: string;
  teams: Team[];
  reps: Rep[];
  /** Reps (leavers included: they owned accounts before leaving) by region and segment. */
  pool(region: Region, segment: Segment): Rep[];
}

interface PersonPlan {
  first: string;
  last: string;
  country: Country;
  title: string;
  roleId: string;
  managerId: string | null;
  hireDay: number;
  leaveDay: number | null;
}

export function writeOrgChart(ctx: SeedContext, repCount: number): OrgChart {
  const rng = ctx.rng('org-chart');
  const perRegion = apportion(repCount, REGION_WEIGHTS, 1);
  const roles = ctx.table('UserRole');
  const users = ctx.table('User');
  const profileId = standardProfileId(ctx);
  const roleAt = ctx.at(ctx.windowStart - 3 * 365, 9);

  // Team layout first: it fixes how many roles and users there are, so ids can be reserved.
  const layout = REGIONS.map((region, r) => {
    const segCounts = apportion(
      perRegion[r],
      SEGMENTS.map((s) => SEGMENT_MODEL[s].repShare),
    );
    const segs: Segment[] = SEGMENTS.flatMap((s, i) => Array<Segment>(segCounts[i]).fill(s));
    const teamCount = Math.ceil(segs.length / TEAM_SIZE);
    const sizes = apportion(segs.length, Array<number>(teamCount).fill(1));
    let at = 0;
    return {
      region,
      teams: sizes.map((n) => {
        const part = segs.slice(at, at + n);
        at += n;
        return part;
      }),
    };
  });
  const teamTotal = layout.reduce((n, r) => n + r.teams.length, 0);
  roles.reserve(1 + REGIONS.length + teamTotal * 2);
  users.reserve(1 + REGIONS.length + teamTotal + repCount);

  const role = (name: string, parent: string | null): string =>
    roles.insert(
      {
        Name: name,
        DeveloperName: name.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_|_$/g, ''),
        ParentRoleId: parent,
        RollupDescription: name,
        OpportunityAccessForAccountOwner: 'Read',
        PortalType: 'None',
      },
      ctx.adminUserId,
      roleAt,
    );
  const names = new NameBook(rng);
  let userNumber = 0;
  const user = (p: PersonPlan): { id: string; name: string } => {
    userNumber++;
    const u = slug(p.first) + '.' + slug(p.last) + '.' + userNumber;
    const username = `${u}@salesops.demo`;
    const locality = rng.pick(p.country.localities);
    const created = ctx.at(Math.min(p.hireDay, ctx.today - 1), 8);
    const lastChange = p.leaveDay !== null ? ctx.at(p.leaveDay, 18) : created;
    const id = users.insert(
      {
        Username: username,
        FirstName: p.first,
        LastName: p.last,
        Name: `${p.first} ${p.last}`,
        CompanyName: 'SalesOps Demo',
        Division: p.country.region,
        Department: 'Sales',
        Title: p.title,
        City: locality.city,
        State: locality.state,
        PostalCode: postalCode(rng, locality.postal),
        Country: p.country.name,
        Email: username,
        Phone: phoneNumber(rng, p.country),
        Alias: (slug(p.first).slice(0, 1) + slug(p.last)).slice(0, 8),
        CommunityNickname: u,
        IsActive: p.leaveDay === null,
        TimeZoneSidKey: p.country.timeZone,
        UserRoleId: p.roleId,
        LocaleSidKey: p.country.locale,
        EmailEncodingKey: 'UTF-8',
        ProfileId: profileId,
        UserType: 'Standard',
        LanguageLocaleKey: 'en_US',
        EmployeeNumber: `E${String(10_000 + userNumber)}`,
        ManagerId: p.managerId,
        DefaultCurrencyIsoCode: p.country.currency,
        CurrencyIsoCode: p.country.currency,
        ForecastEnabled: true,
        LastLoginDate: p.leaveDay !== null ? lastChange : ctx.asOf - rng.int(1, 72) * 3_600_000,
        HireDate__c: isoFromDay(p.hireDay),
        LastModifiedDate: lastChange,
        SystemModstamp: lastChange,
      },
      ctx.adminUserId,
      created,
    );
    return { id, name: `${p.first} ${p.last}` };
  };
  const veteranHire = (): number => ctx.windowStart - rng.int(120, 6 * 365);
  const us = COUNTRIES.find((c) => c.code === 'US') ?? COUNTRIES[0];

  const croRole = role('Chief Revenue Officer', null);
  const croName = names.next();
  const cro = user({
    ...croName,
    country: us,
    title: 'Chief Revenue Officer',
    roleId: croRole,
    managerId: null,
    hireDay: veteranHire(),
    leaveDay: null,
  });

  const teams: Team[] = [];
  const reps: Rep[] = [];
  const slots = rng.shuffle(Array.from({ length: repCount }, (_, i) => i));
  for (const { region, teams: teamSegs } of layout) {
    const vpRole = role(`VP Sales ${region}`, croRole);
    const vpCountry = pickCountry(rng, region);
    const vp = user({
      ...names.next(),
      country: vpCountry,
      title: `VP Sales, ${region}`,
      roleId: vpRole,
      managerId: cro.id,
      hireDay: veteranHire(),
      leaveDay: null,
    });
    teamSegs.forEach((segs, t) => {
      const segment = majority(segs);
      const name = `${region} ${segment} ${t + 1}`;
      const mgrRole = role(`${name} Sales Manager`, vpRole);
      const repRole = role(`${name} Account Executive`, mgrRole);
      const country = pickCountry(rng, region);
      const mgr = user({
        ...names.next(),
        country,
        title: 'Sales Manager',
        roleId: mgrRole,
        managerId: vp.id,
        hireDay: veteranHire(),
        leaveDay: null,
      });
      const team: Team = {
        key: `${region}-${SEGMENT_CODE[segment]}-${t + 1}`,
        name,
        region,
        segment,
        managerUserId: mgr.id,
        managerName: mgr.name,
        managerCurrency: country.currency,
        reps: [],
      };
      teams.push(team);
      for (const seg of segs) {
        const repCountry = pickCountry(rng, region);
        const plan = {
          ...names.next(),
          country: repCountry,
          title: 'Account Executive',
          roleId: repRole,
          managerId: mgr.id,
        };
        const idx = reps.length;
        const tenure = tenureOf(ctx, rng, slots[idx], repCount);
        const u = user({ ...plan, hireDay: tenure.hireDay, leaveDay: tenure.leaveDay });
        const rep: Rep = {
          idx,
          userId: u.id,
          name: u.name,
          region,
          segment: seg,
          country: repCountry,
          currency: repCountry.currency,
          team,
          hireDay: tenure.hireDay,
          leaveDay: tenure.leaveDay,
          successor: null,
          skill: Math.min(1.6, Math.max(0.55, rng.logNormal(1, 0.28))),
          ramping: tenure.ramping,
          territoryKey: `${region}-${SEGMENT_CODE[seg]}`,
        };
        team.reps.push(rep);
        reps.push(rep);
      }
    });
  }
  for (const rep of reps) if (rep.leaveDay !== null) rep.successor = successorOf(rep, reps);
  ctx.progress('users', reps.length, reps.length);
  const pools = new Map<string, Rep[]>();
  for (const rep of reps) {
    const key = `${rep.region}|${rep.segment}`;
    pools.set(key, [...(pools.get(key) ?? []), rep]);
  }
  return {
    croUserId: cro.id,
    teams,
    reps,
    pool: (region, segment) => pools.get(`${region}|${segment}`) ?? reps.filter((r) => r.region === region),
  };
}

/**
 * Tenure by a shuffled slot so the shares are exact for any size: a tenth of the reps are ramping,
 * a fifth joined during the window, and about 3 % (never the ramping ones) left before today.
 */
function tenureOf(
  ctx: SeedContext,
  rng: Random,
  slot: number,
  repCount: number,
): { hireDay: number; leaveDay: number | null; ramping: boolean } {
  const rampingCount = Math.max(1, Math.round(repCount * RAMPING_SHARE));
  const midCount = Math.round(repCount * MID_TENURE_SHARE);
  const leaverCount = repCount >= 10 ? Math.max(1, Math.round(repCount * LEAVER_SHARE)) : 0;
  const rampStart = ctx.cal.quarter(ctx.current.index - 1).startDay;
  if (slot < rampingCount)
    return { hireDay: rng.int(rampStart, ctx.today - 7), leaveDay: null, ramping: true };
  if (slot < rampingCount + midCount)
    return { hireDay: rng.int(ctx.windowStart, rampStart - 1), leaveDay: null, ramping: false };
  const hireDay = ctx.windowStart - rng.int(120, 6 * 365);
  if (slot >= repCount - leaverCount)
    return { hireDay, leaveDay: rng.int(ctx.windowStart + 120, ctx.today - 14), ramping: false };
  return { hireDay, leaveDay: null, ramping: false };
}

function successorOf(rep: Rep, reps: Rep[]): Rep | null {
  const mate =
    rep.team.reps.find((r) => r !== rep && r.leaveDay === null && r.segment === rep.segment) ??
    rep.team.reps.find((r) => r !== rep && r.leaveDay === null) ??
    reps.find((r) => r.region === rep.region && r.leaveDay === null);
  return mate ?? null;
}

function majority(segs: Segment[]): Segment {
  let best: Segment = segs[0] ?? 'SMB';
  let bestCount = 0;
  for (const s of SEGMENTS) {
    const n = segs.filter((x) => x === s).length;
    if (n > bestCount) [best, bestCount] = [s, n];
  }
  return best;
}

/** Hands out names, avoiding the same full name twice while the lists allow it. */
class NameBook {
  private readonly used = new Set<string>();
  constructor(private readonly rng: Random) {}
  next(): { first: string; last: string } {
    for (let attempt = 0; ; attempt++) {
      const n = personName(this.rng);
      const key = `${n.first} ${n.last}`;
      if (!this.used.has(key) || attempt > 20) {
        this.used.add(key);
        return n;
      }
    }
  }
}

function standardProfileId(ctx: SeedContext): string | null {
  const row = ctx.org.db
    .prepare(
      `SELECT "Id" FROM ${quoteIdent('Profile')} ORDER BY ("Name" = 'Standard User') DESC, "Id" LIMIT 1`,
    )
    .get() as { Id: string } | undefined;
  return row?.Id ?? null;
}
