import { formatMinor, ratio } from '../money/decimal';
import type { ModelResult, TerritoryFigures } from './compute-model';

/**
 * Dry run: what changes between two results (two models, or the active model and the same model with
 * proposed moves). Per territory the accounts added (unassigned before), lost (unassigned after) and
 * moved in or out, with the open pipeline and quota that go with them; per rep the pipeline, quota
 * and coverage of the territories they own or work, before and after.
 */

export interface AccountMove {
  accountId: string;
  accountName: string;
  from: string | null;
  to: string | null;
  openPipeline: string;
  /** Pro-rated quota that moves with the account (what-ifs in one model), else "0.00". */
  quotaMoved: string;
}

export interface TerritoryDiffRow {
  territoryKey: string;
  added: string[];
  lost: string[];
  movedIn: string[];
  movedOut: string[];
  accountsBefore: number;
  accountsAfter: number;
  pipelineBefore: string;
  pipelineAfter: string;
  pipelineIn: string;
  pipelineOut: string;
  quotaBefore: string;
  quotaAfter: string;
  coverageBefore: string | null;
  coverageAfter: string | null;
}

export interface RepDiffRow {
  userId: string;
  name: string;
  territoriesBefore: string[];
  territoriesAfter: string[];
  pipelineBefore: string;
  pipelineAfter: string;
  quotaBefore: string;
  quotaAfter: string;
  coverageBefore: string | null;
  coverageAfter: string | null;
}

export interface TerritoryDiff {
  fromModel: string;
  toModel: string;
  accountsChanged: number;
  moves: AccountMove[];
  territories: TerritoryDiffRow[];
  reps: RepDiffRow[];
}

export function diffResults(
  before: ModelResult,
  after: ModelResult,
  context: {
    accountNames: ReadonlyMap<string, string>;
    userNames: ReadonlyMap<string, string>;
    openPipeline: ReadonlyMap<string, number>;
    decimals: number;
  },
): TerritoryDiff {
  const fmt = (m: number): string => formatMinor(m, context.decimals);
  const coverage = (pipeline: number, quota: number): string | null =>
    quota > 0 ? ratio(pipeline, quota, 2) : null;
  const was = new Map(before.accounts.map((d) => [d.accountId, d.territoryKey]));
  const quotaMoved = new Map<string, number>();
  for (const q of after.quotaMoves)
    quotaMoved.set(q.accountId, (quotaMoved.get(q.accountId) ?? 0) + q.quotaMoved);
  for (const q of before.quotaMoves)
    quotaMoved.set(q.accountId, (quotaMoved.get(q.accountId) ?? 0) - q.quotaMoved);

  const keys = [...new Set([...before.figures.keys(), ...after.figures.keys()])].sort();
  const rows = new Map<string, TerritoryDiffRow & { pin: number; pout: number }>();
  const empty: TerritoryFigures = {
    accountCount: 0,
    openPipeline: 0,
    closedWon: 0,
    quota: 0,
    baseQuota: 0,
    wonInPeriod: 0,
    ownerUserId: null,
    memberIds: [],
  };
  for (const k of keys) {
    const b = before.figures.get(k) ?? empty;
    const a = after.figures.get(k) ?? empty;
    rows.set(k, {
      territoryKey: k,
      added: [],
      lost: [],
      movedIn: [],
      movedOut: [],
      accountsBefore: b.accountCount,
      accountsAfter: a.accountCount,
      pipelineBefore: fmt(b.openPipeline),
      pipelineAfter: fmt(a.openPipeline),
      pipelineIn: '',
      pipelineOut: '',
      quotaBefore: fmt(b.quota),
      quotaAfter: fmt(a.quota),
      coverageBefore: coverage(b.openPipeline, b.quota - b.wonInPeriod),
      coverageAfter: coverage(a.openPipeline, a.quota - a.wonInPeriod),
      pin: 0,
      pout: 0,
    });
  }
  const moves: AccountMove[] = [];
  for (const d of after.accounts) {
    const from = was.get(d.accountId) ?? null;
    const to = d.territoryKey;
    if (from === to) continue;
    const pipeline = context.openPipeline.get(d.accountId) ?? 0;
    moves.push({
      accountId: d.accountId,
      accountName: context.accountNames.get(d.accountId) ?? '',
      from,
      to,
      openPipeline: fmt(pipeline),
      quotaMoved: fmt(quotaMoved.get(d.accountId) ?? 0),
    });
    const out = from !== null ? rows.get(from) : undefined;
    const into = to !== null ? rows.get(to) : undefined;
    if (out) {
      (to === null ? out.lost : out.movedOut).push(d.accountId);
      out.pout += pipeline;
    }
    if (into) {
      (from === null ? into.added : into.movedIn).push(d.accountId);
      into.pin += pipeline;
    }
  }

  type RepTotals = { keys: string[]; pipeline: number; quota: number; remaining: number };
  const repFigures = (r: ModelResult): Map<string, RepTotals> => {
    const out = new Map<string, RepTotals>();
    for (const [key, f] of r.figures) {
      const people = new Set([...(f.ownerUserId ? [f.ownerUserId] : []), ...f.memberIds]);
      for (const u of people) {
        const e = out.get(u) ?? { keys: [], pipeline: 0, quota: 0, remaining: 0 };
        e.keys.push(key);
        e.pipeline += f.openPipeline;
        e.quota += f.quota;
        e.remaining += f.quota - f.wonInPeriod;
        out.set(u, e);
      }
    }
    return out;
  };
  const rb = repFigures(before);
  const ra = repFigures(after);
  const reps: RepDiffRow[] = [];
  for (const u of [...new Set([...rb.keys(), ...ra.keys()])].sort()) {
    const none: RepTotals = { keys: [], pipeline: 0, quota: 0, remaining: 0 };
    const b = rb.get(u) ?? none;
    const a = ra.get(u) ?? none;
    if (b.pipeline === a.pipeline && b.quota === a.quota && b.keys.join() === a.keys.join()) continue;
    reps.push({
      userId: u,
      name: context.userNames.get(u) ?? u,
      territoriesBefore: b.keys,
      territoriesAfter: a.keys,
      pipelineBefore: fmt(b.pipeline),
      pipelineAfter: fmt(a.pipeline),
      quotaBefore: fmt(b.quota),
      quotaAfter: fmt(a.quota),
      coverageBefore: coverage(b.pipeline, b.remaining),
      coverageAfter: coverage(a.pipeline, a.remaining),
    });
  }
  const territories = [...rows.values()]
    .map(({ pin, pout, ...row }) => ({ ...row, pipelineIn: fmt(pin), pipelineOut: fmt(pout) }))
    .filter(
      (r) =>
        r.added.length + r.lost.length + r.movedIn.length + r.movedOut.length > 0 ||
        r.accountsBefore !== r.accountsAfter ||
        r.quotaBefore !== r.quotaAfter,
    );
  return {
    fromModel: before.modelKey,
    toModel: after.modelKey,
    accountsChanged: moves.length,
    moves,
    territories,
    reps,
  };
}
