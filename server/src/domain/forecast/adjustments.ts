import type { EngineContext } from '../engine-context';
import { decimalToMinor, formatMinor } from '../money/decimal';
import type { ForecastTree } from '../pipeline/hierarchy';
import type { Adjustment } from '../snapshot/types';
import type { AdjustmentAudit } from './rows';

interface ValidAdjustment {
  adj: Adjustment;
  /** Corporate minor units, converted at the rate in force on the day it was made. */
  amount: number;
}

export interface AdjustmentOutcome {
  ownerAdjusted: number;
  final: number;
  audit: AdjustmentAudit[];
}

const byTime = (a: ValidAdjustment, b: ValidAdjustment): number =>
  a.adj.createdAt < b.adj.createdAt
    ? -1
    : a.adj.createdAt > b.adj.createdAt
      ? 1
      : a.adj.id < b.adj.id
        ? -1
        : 1;

/**
 * Owner and manager adjustments, layered as Salesforce's ForecastingItem keeps them: the latest owner
 * adjustment replaces the rolled-up value, the latest manager adjustment replaces that. Earlier ones
 * stay in the audit trail as superseded. An adjustment from someone with no right to make it (owner
 * adjustment by another user, manager adjustment from outside the node's ancestors) is reported and ignored.
 */
export class AdjustmentBook {
  private readonly byTarget = new Map<string, { owner: ValidAdjustment[]; manager: ValidAdjustment[] }>();

  constructor(ctx: EngineContext, forecastType: string, tree: ForecastTree, rollups: ReadonlySet<string>) {
    ctx.snapshot.adjustments.forEach((adj, i) => {
      if (adj.forecastType !== forecastType) return;
      const path = `$.adjustments[${i}]`;
      const nodeKey = `${adj.nodeType}:${adj.nodeId}`;
      const node = tree.nodes.get(nodeKey);
      const reject = (message: string): void => {
        ctx.warnings.push({ code: 'ADJUSTMENT.REJECTED', message: `${adj.id}: ${message}`, path });
      };
      if (!node) return reject(`${nodeKey} is not in the ${forecastType} hierarchy`);
      if (!rollups.has(adj.category)) return reject(`unknown forecast category ${adj.category}`);
      if (adj.kind === 'owner' && adj.authorId !== node.ownerUserId) {
        return reject(`owner adjustment by ${adj.authorId}, who does not own ${nodeKey}`);
      }
      if (adj.kind === 'manager' && !tree.ancestors(nodeKey).some((a) => a.ownerUserId === adj.authorId)) {
        return reject(`manager adjustment by ${adj.authorId}, who is not above ${nodeKey}`);
      }
      const minor = decimalToMinor(adj.amount, ctx.currency.decimalsOf(adj.currency));
      const amount = ctx.currency.toCorporate(minor, adj.currency, adj.createdAt.slice(0, 10));
      const key = AdjustmentBook.key(adj.periodKey, nodeKey, adj.productFamily ?? '', adj.category);
      const target = this.byTarget.get(key) ?? { owner: [], manager: [] };
      target[adj.kind].push({ adj, amount });
      this.byTarget.set(key, target);
    });
    for (const t of this.byTarget.values()) {
      t.owner.sort(byTime);
      t.manager.sort(byTime);
    }
  }

  static key(periodKey: string, nodeKey: string, family: string, category: string): string {
    return `${periodKey}|${nodeKey}|${family}|${category}`;
  }

  has(periodKey: string, nodeKey: string, family: string, category: string): boolean {
    return this.byTarget.has(AdjustmentBook.key(periodKey, nodeKey, family, category));
  }

  apply(
    periodKey: string,
    nodeKey: string,
    family: string,
    category: string,
    base: number,
    decimals: number,
  ): AdjustmentOutcome {
    const target = this.byTarget.get(AdjustmentBook.key(periodKey, nodeKey, family, category));
    if (!target) return { ownerAdjusted: base, final: base, audit: [] };
    const audit: AdjustmentAudit[] = [];
    const layer = (list: ValidAdjustment[], before: number): number => {
      list.forEach((v, i) => {
        audit.push({
          id: v.adj.id,
          kind: v.adj.kind,
          authorId: v.adj.authorId,
          reason: v.adj.reason,
          createdAt: v.adj.createdAt,
          amount: formatMinor(v.amount, decimals),
          replaced: formatMinor(before, decimals),
          status: i === list.length - 1 ? 'applied' : 'superseded',
        });
      });
      return list.length > 0 ? list[list.length - 1]!.amount : before;
    };
    const ownerAdjusted = layer(target.owner, base);
    const final = layer(target.manager, ownerAdjusted);
    return { ownerAdjusted, final, audit };
  }
}
