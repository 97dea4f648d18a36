import { addDays, daysBetween } from '../calendar/dates';
import { createFiscalCalendar, type Period } from '../calendar/fiscal-calendar';
import type { FiscalCalendarConfig } from '../calendar/config';
import { decimalToMinor, formatMinor, mulDivHalfEven, ratio } from '../money/decimal';
import { CurrencyTable } from '../money/currency-table';
import type { Snapshot } from '../snapshot/types';
import { assignAccounts, type AccountDecision } from './assign-accounts';
import { assignOpportunities, type OpportunityDecision } from './assign-opportunities';
import type { TerritoryConfig } from './config';
import { buildTimeline, territoryOn, type PriorRow, type Segment } from './history';
import { accountMeasures, type AccountMeasures } from './measures';
import { compileModel, type CompiledModel } from './model';
import { createPeopleResolver } from './people';
import { assignmentKeyOf, territoryKeyOf, type AssignmentRow, type TerritoryRow } from './rows';

export interface TerritoryEngineConfig {
  territories: TerritoryConfig;
  fiscalCalendar: FiscalCalendarConfig;
}

/** A proposed move for a what-if (balancing proposals, a change being reviewed). */
export interface ProposedMove {
  id: string;
  accountId: string;
  toTerritoryKey: string;
  effectiveDate: string;
  /** Where the account is before the move (what-ifs fill it from the base result). */
  fromTerritoryKey?: string | null;
}

export interface ComputeModelOptions {
  /** Emit Territory_Assignment__c rows (Active models; what-ifs only need decisions). */
  assignmentRows?: boolean;
  /** Moves applied on top of the snapshot's change requests. */
  proposedMoves?: readonly ProposedMove[];
  /** Reused across models of one run. */
  measures?: AccountMeasures;
}

export interface QuotaMove {
  accountId: string;
  fromKey: string;
  toKey: string;
  effectiveDate: string;
  /** Corporate minor units moved for the rest of the period. */
  quotaMoved: number;
}

export interface TerritoryFigures {
  accountCount: number;
  openPipeline: number;
  closedWon: number;
  /** Quota of the period after pro-rated moves. */
  quota: number;
  /** Quota before moves (explicit, or from quota-bearing members). */
  baseQuota: number;
  wonInPeriod: number;
  ownerUserId: string | null;
  memberIds: string[];
}

export interface ModelResult {
  modelKey: string;
  state: CompiledModel['state'];
  model: CompiledModel;
  period: Period;
  accounts: AccountDecision[];
  opportunities: OpportunityDecision[];
  /** Built on first read (most callers never read it). */
  timelines: Map<string, Segment[]>;
  figures: Map<string, TerritoryFigures>;
  quotaMoves: QuotaMove[];
  territoryRows: TerritoryRow[];
  assignmentRows: AssignmentRow[];
  warnings: string[];
}

interface ChangeLike {
  proposed?: boolean;
  id: string;
  accountId: string;
  fromTerritoryKey: string | null;
  toTerritoryKey: string;
  effectiveDate: string;
}

export function computeModel(
  snapshot: Snapshot,
  config: TerritoryEngineConfig,
  modelKey: string,
  asOf: string,
  opts: ComputeModelOptions = {},
): ModelResult {
  const input = config.territories.models.find((m) => m.key === modelKey);
  if (!input) throw new Error(`unknown territory model ${modelKey}`);
  const model = compileModel(config.territories, input);
  const calendar = createFiscalCalendar(config.fiscalCalendar);
  const currency = new CurrencyTable(snapshot.corporateCurrency, snapshot.currencies, snapshot.datedRates);
  const decimals = currency.corporateDecimals;
  // Measures by position must describe this snapshot's opportunities.
  const measures =
    opts.measures !== undefined && opts.measures.opportunities === snapshot.opportunities
      ? opts.measures
      : accountMeasures(snapshot, currency);
  const period = calendar.periodOf(asOf, config.territories.quota.periodType);
  const year = calendar.periodOf(asOf, 'year');
  const defaultStart = input.activatedOn ?? year.start;
  const warnings: string[] = [];

  const priorAccounts = new Map<string, PriorRow[]>();
  const priorOpps = new Map<string, PriorRow[]>();
  for (const r of snapshot.territoryAssignments) {
    if (r.modelKey !== modelKey) continue;
    const target = r.opportunityId !== null ? priorOpps : priorAccounts;
    const id = r.opportunityId ?? r.accountId;
    if (id === null) continue;
    const list = target.get(id);
    if (list) list.push(r);
    else target.set(id, [r]);
  }
  const inForce = (rows: readonly PriorRow[] | undefined): string | null => {
    if (rows === undefined) return null;
    for (const r of rows)
      if (r.effectiveStart <= asOf && (r.effectiveEnd === null || r.effectiveEnd >= asOf))
        return r.territoryKey;
    return null;
  };
  const current = new Map<string, string>();
  const anyPrior = priorAccounts.size > 0;
  for (const a of snapshot.accounts) {
    const k =
      (anyPrior ? inForce(priorAccounts.get(a.id)) : null) ??
      (a.territoryId !== null && model.byKey.has(a.territoryId) ? a.territoryId : null);
    if (k !== null) current.set(a.id, k);
  }

  const changes = new Map<string, ChangeLike[]>();
  const allChanges: ChangeLike[] = [
    ...snapshot.territoryChanges,
    ...(opts.proposedMoves ?? []).map((m) => ({
      ...m,
      fromTerritoryKey: m.fromTerritoryKey ?? current.get(m.accountId) ?? null,
      proposed: true,
    })),
  ];
  for (const c of allChanges) {
    if (!model.byKey.has(c.toTerritoryKey)) continue;
    if (input.activatedOn !== null && c.effectiveDate < input.activatedOn) continue;
    const list = changes.get(c.accountId);
    if (list) list.push(c);
    else changes.set(c.accountId, [c]);
  }
  for (const list of changes.values())
    list.sort((a, b) =>
      a.effectiveDate < b.effectiveDate ? -1 : a.effectiveDate > b.effectiveDate ? 1 : a.id < b.id ? -1 : 1,
    );

  const accounts = assignAccounts({
    model,
    accounts: snapshot.accounts,
    current,
    tieBreak: config.territories.tieBreak,
    changes,
    asOf,
  });

  // Timelines by account position; the Map by account id is built only when something reads it
  // (200k inserts cost more than the timelines themselves).
  const accountTimelines = new Array<Segment[]>(accounts.length);
  for (let i = 0; i < accounts.length; i++) {
    const d = accounts[i]!;
    const list = changes.get(d.accountId);
    const prior = priorAccounts.get(d.accountId);
    const applied =
      d.changeRequestId !== null && list ? list.find((c) => c.id === d.changeRequestId) : undefined;
    const segs =
      list === undefined && prior === undefined && d.changeRequestId === null
        ? // Most accounts: no history, no change request.
          freshTimeline(d.territoryKey, defaultStart, asOf)
        : buildTimeline({
            prior: prior ?? NO_ROWS,
            asOf,
            now: d.territoryKey,
            nowEffective: d.effectiveDate ?? asOf,
            nowChangeRequestId: d.changeRequestId,
            nowFrom: applied?.fromTerritoryKey ?? null,
            defaultStart,
            future: (list ?? [])
              .filter((c) => c.effectiveDate > asOf && c.proposed !== true)
              .map((c) => ({
                territoryKey: c.toTerritoryKey,
                effectiveDate: c.effectiveDate,
                changeRequestId: c.id,
              })),
          });
    accountTimelines[i] = segs;
  }
  let timelineMap: Map<string, Segment[]> | null = null;
  const timelinesById = (): Map<string, Segment[]> => {
    if (timelineMap === null) {
      timelineMap = new Map();
      for (let i = 0; i < accounts.length; i++) timelineMap.set(accounts[i]!.accountId, accountTimelines[i]!);
    }
    return timelineMap;
  };
  // Only opportunities look decisions up by account: one Map from account id to its position gives
  // both the decision and the timeline.
  const accountIndex = new Map<string, number>();
  if (snapshot.opportunities.length > 0)
    for (let i = 0; i < accounts.length; i++) accountIndex.set(accounts[i]!.accountId, i);

  // Opportunity decisions and timelines are by position in snapshot.opportunities; so are their
  // prior rows (one lookup per opportunity).
  const opps = snapshot.opportunities;
  const priorOppAt: (readonly PriorRow[] | undefined)[] =
    priorOpps.size === 0 ? [] : opps.map((o) => priorOpps.get(o.id));
  const opportunities = assignOpportunities({
    model,
    opportunities: opps,
    accounts: {
      get: (accountId) => {
        const i = accountIndex.get(accountId);
        return i === undefined ? undefined : accounts[i];
      },
    },
    overrides: new Map(snapshot.opportunityTerritoryOverrides.map((o) => [o.opportunityId, o.territoryKey])),
    current: priorOppAt.map((rows) => inForce(rows)),
    accountTerritoryOn: (accountId, date) => {
      const i = accountIndex.get(accountId);
      return i === undefined ? null : territoryOn(accountTimelines[i]!, date);
    },
  });
  const oppTimelines = new Array<Segment[]>(opportunities.length);
  for (let i = 0; i < opportunities.length; i++) {
    const d = opportunities[i]!;
    const prior = priorOppAt[i];
    oppTimelines[i] =
      prior === undefined
        ? freshTimeline(d.territoryKey, defaultStart, asOf)
        : buildTimeline({
            prior,
            asOf,
            now: d.territoryKey,
            nowEffective: asOf,
            nowChangeRequestId: null,
            nowFrom: null,
            defaultStart,
            future: [],
          });
  }

  // People.
  const people = createPeopleResolver(snapshot);
  const resolvedPeople = new Map<
    string,
    { owner: string | null; members: TerritoryRow['members']; trace: string[] }
  >();
  const quotaBearingOf = new Map<string, string[]>();
  for (const t of model.territories) {
    const trace: string[] = [];
    let owner: string | null = null;
    if (t.input.owner) {
      const r = people(t.input.owner);
      owner = r.users[0]?.id ?? null;
      trace.push(`owner: ${r.note}${r.users.length > 1 ? `; took ${r.users[0]!.name} (first by name)` : ''}`);
    }
    const members: TerritoryRow['members'] = [];
    for (const m of t.input.members) {
      const r = people(m.users);
      trace.push(`${m.role}: ${r.note}`);
      for (const u of r.users) {
        members.push({ userId: u.id, name: u.name, role: m.role });
        if (m.quotaBearing) quotaBearingOf.set(u.id, [...(quotaBearingOf.get(u.id) ?? []), t.key]);
      }
    }
    resolvedPeople.set(t.key, { owner, members, trace });
  }

  // Quotas of the period: explicit territory quotas, else shares of quota-bearing members' quotas.
  const baseQuota = new Map<string, number>();
  const explicit = new Set<string>();
  const userQuota = new Map<string, number>();
  for (const q of snapshot.quotas) {
    if (q.periodType !== period.type || q.periodStart !== period.start || q.productFamily !== null) continue;
    const minor = currency.toCorporate(
      decimalToMinor(q.amount, currency.decimalsOf(q.currency)),
      q.currency,
      q.periodStart,
    );
    if (q.ownerType === 'territory' && model.byKey.has(q.ownerId)) {
      baseQuota.set(q.ownerId, (baseQuota.get(q.ownerId) ?? 0) + minor);
      explicit.add(q.ownerId);
    } else if (q.ownerType === 'user') userQuota.set(q.ownerId, (userQuota.get(q.ownerId) ?? 0) + minor);
  }
  for (const [userId, keys] of quotaBearingOf) {
    const q = userQuota.get(userId);
    if (q === undefined) continue;
    for (const k of keys)
      if (!explicit.has(k)) baseQuota.set(k, (baseQuota.get(k) ?? 0) + mulDivHalfEven(q, 1, keys.length));
  }

  // Figures.
  const figures = new Map<string, TerritoryFigures>();
  for (const t of model.territories) {
    const p = resolvedPeople.get(t.key)!;
    figures.set(t.key, {
      accountCount: 0,
      openPipeline: 0,
      closedWon: 0,
      quota: baseQuota.get(t.key) ?? 0,
      baseQuota: baseQuota.get(t.key) ?? 0,
      wonInPeriod: 0,
      ownerUserId: p.owner,
      memberIds: p.members.map((m) => m.userId),
    });
  }
  let unassigned = 0;
  let ties = 0;
  for (const d of accounts) {
    if (d.territoryKey !== null) figures.get(d.territoryKey)!.accountCount++;
    else {
      unassigned++;
      if (d.candidates.length > 1) ties++;
    }
  }
  const amountAt = measures.corporateAmountAt;
  for (let i = 0; i < opportunities.length; i++) {
    const d = opportunities[i]!;
    const opp = opps[i]!;
    const amount = amountAt[i]!;
    if (!opp.isClosed) {
      if (d.territoryKey !== null) figures.get(d.territoryKey)!.openPipeline += amount;
    } else if (opp.isWon && opp.closeDate >= year.start && opp.closeDate <= asOf) {
      const key = territoryOn(oppTimelines[i]!, opp.closeDate) ?? d.territoryKey;
      const f = key !== null ? figures.get(key) : undefined;
      if (f) {
        f.closedWon += amount;
        if (opp.closeDate >= period.start) f.wonInPeriod += amount;
      }
    }
  }

  // Moves inside the period carry a pro-rated share of the old territory's quota.
  const quotaMoves: QuotaMove[] = [];
  const weightOf = (accountId: string): number =>
    config.territories.quota.moveBasis === 'openPipeline' ? (measures.openPipeline.get(accountId) ?? 0) : 1;
  const weightAt = period.start > defaultStart ? period.start : defaultStart;
  const startWeight = new Map<string, number>();
  for (let a = 0; a < accounts.length; a++) {
    const accountId = accounts[a]!.accountId;
    const k = territoryOn(accountTimelines[a]!, weightAt);
    if (k !== null) startWeight.set(k, (startWeight.get(k) ?? 0) + weightOf(accountId));
  }
  const periodDays = daysBetween(period.start, period.end) + 1;
  for (let a = 0; a < accounts.length; a++) {
    const accountId = accounts[a]!.accountId;
    const segs = accountTimelines[a]!;
    for (let i = 1; i < segs.length; i++) {
      const prev = segs[i - 1]!;
      const seg = segs[i]!;
      if (seg.start <= period.start || seg.start > period.end) continue;
      if (prev.territoryKey === seg.territoryKey || prev.end !== addDays(seg.start, -1)) continue;
      const total = startWeight.get(prev.territoryKey) ?? 0;
      const base = baseQuota.get(prev.territoryKey) ?? 0;
      const share = total > 0 ? mulDivHalfEven(base, weightOf(accountId), total) : 0;
      const moved = mulDivHalfEven(share, daysBetween(seg.start, period.end) + 1, periodDays);
      quotaMoves.push({
        accountId,
        fromKey: prev.territoryKey,
        toKey: seg.territoryKey,
        effectiveDate: seg.start,
        quotaMoved: moved,
      });
      const from = figures.get(prev.territoryKey);
      const to = figures.get(seg.territoryKey);
      if (from) from.quota -= moved;
      if (to) to.quota += moved;
    }
  }

  const fmt = (minor: number): string => formatMinor(minor, decimals);
  const territoryRows: TerritoryRow[] = model.territories.map((t) => {
    const f = figures.get(t.key)!;
    const p = resolvedPeople.get(t.key)!;
    const remaining = f.quota - f.wonInPeriod;
    const coverage = remaining > 0 ? ratio(f.openPipeline, remaining, 2) : null;
    return {
      externalKey: territoryKeyOf(modelKey, t.key),
      modelKey,
      modelState: input.state,
      territoryKey: t.key,
      name: t.name,
      typeName: t.typeName,
      typePriority: t.priority,
      parentKey: t.parentKey,
      parentExternalKey: t.parentKey !== null ? territoryKeyOf(modelKey, t.parentKey) : null,
      ownerUserId: p.owner,
      members: p.members,
      figures:
        input.state === 'Archived'
          ? null
          : {
              accountCount: f.accountCount,
              openPipeline: fmt(f.openPipeline),
              closedWon: fmt(f.closedWon),
              quota: fmt(f.quota),
              coverageRatio: coverage,
            },
      currency: snapshot.corporateCurrency,
      effectiveStart: input.activatedOn,
      effectiveEnd: input.deactivatedOn,
      asOf,
      trace: [
        `${t.key} (${t.typeName}, priority ${t.priority}) in model ${modelKey}: ${f.accountCount} accounts`,
        ...t.localRules.map((r) => `local rule ${r.id}: ${r.text}`),
        ...t.scopeRules.map((r) => `inherited rule ${r.id}: ${r.text}`),
        ...(t.input.namedAccounts.length > 0 ? [`named accounts: ${t.input.namedAccounts.join(', ')}`] : []),
        ...(t.input.excludedAccounts.length > 0
          ? [`excluded accounts: ${t.input.excludedAccounts.join(', ')}`]
          : []),
        `quota ${fmt(f.quota)} for ${period.key} (${explicit.has(t.key) ? 'territory quota' : 'from quota-bearing members'}${f.quota !== f.baseQuota ? `, ${fmt(f.baseQuota)} before pro-rated moves` : ''})`,
        ...p.trace,
      ],
    };
  });

  const assignmentRows: AssignmentRow[] = [];
  if (opts.assignmentRows ?? input.state === 'Active') {
    // One key string per territory, shared by its rows.
    const territoryExternalKeys = new Map(
      model.territories.map((t) => [t.key, territoryKeyOf(modelKey, t.key)]),
    );
    const emit = (
      type: 'Account' | 'Opportunity',
      recordId: string,
      accountId: string | null,
      segs: Segment[],
      decision: { decidedBy: AssignmentRow['decidedBy']; ruleMatched: string | null; trace: string[] },
      priorRows: readonly PriorRow[],
    ): void => {
      for (const s of segs) {
        const prior =
          priorRows.length === 0
            ? undefined
            : priorRows.find((r) => r.effectiveStart === s.start && r.territoryKey === s.territoryKey);
        const own = s.decided;
        assignmentRows.push({
          externalKey: assignmentKeyOf(modelKey, recordId, s.territoryKey, s.start),
          modelKey,
          assignmentType: type,
          accountId,
          opportunityId: type === 'Opportunity' ? recordId : null,
          territoryKey: s.territoryKey,
          territoryExternalKey: territoryExternalKeys.get(s.territoryKey) ?? null,
          effectiveStart: s.start,
          effectiveEnd: s.end,
          isCurrent: s.current,
          ruleMatched: own ? decision.ruleMatched : null,
          decidedBy: own
            ? s.changeRequestId !== null
              ? 'Change Request'
              : decision.decidedBy
            : ((prior?.decidedBy as AssignmentRow['decidedBy']) ?? null),
          trace: own
            ? s.changeRequestId !== null && !s.current
              ? [`${s.territoryKey} from ${s.start} by change request ${s.changeRequestId} (scheduled)`]
              : decision.trace
            : [`${s.territoryKey} from ${s.start}${s.end ? ` to ${s.end}` : ''}: history kept`],
        });
      }
    };
    for (let i = 0; i < accounts.length; i++) {
      const d = accounts[i]!;
      emit(
        'Account',
        d.accountId,
        d.accountId,
        accountTimelines[i]!,
        d,
        priorAccounts.get(d.accountId) ?? NO_ROWS,
      );
    }
    for (let i = 0; i < opportunities.length; i++) {
      const d = opportunities[i]!;
      emit('Opportunity', d.opportunityId, d.accountId, oppTimelines[i]!, d, priorOppAt[i] ?? NO_ROWS);
    }
  }

  if (unassigned > 0)
    warnings.push(`${unassigned} of ${accounts.length} accounts have no territory in ${modelKey}`);
  if (ties > 0) warnings.push(`${ties} accounts left unassigned by a tie on type priority in ${modelKey}`);

  return {
    modelKey,
    state: input.state,
    model,
    period,
    accounts,
    opportunities,
    get timelines() {
      return timelinesById();
    },
    figures,
    quotaMoves,
    territoryRows,
    assignmentRows,
    warnings,
  };
}

const NO_ROWS: readonly PriorRow[] = Object.freeze([]);

/** buildTimeline's result for a record with no history and no change request, without its general path. */
function freshTimeline(now: string | null, defaultStart: string, asOf: string): Segment[] {
  if (now === null) return [];
  return [
    {
      territoryKey: now,
      start: defaultStart,
      end: null,
      fromHistory: false,
      current: defaultStart <= asOf,
      decided: true,
      changeRequestId: null,
    },
  ];
}
