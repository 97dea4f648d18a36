import type { ForecastCategory } from '../forecast/config';

export interface StageDefinition {
  name: string;
  category: ForecastCategory;
  probability: number;
  outcome: 'open' | 'won' | 'lost';
}

export type Outcome = 'open' | 'won' | 'lost';

/** Stage lookups shared by the engines: category, outcome, default probability and funnel order. */
export class StageBook {
  private readonly byName = new Map<string, StageDefinition & { order: number }>();
  /** Stages seen in data but missing from config: reported, never silently dropped. */
  readonly unmapped = new Set<string>();

  constructor(readonly stages: readonly StageDefinition[]) {
    stages.forEach((s, order) => this.byName.set(s.name, { ...s, order }));
  }

  get(stageName: string): (StageDefinition & { order: number }) | undefined {
    return this.byName.get(stageName);
  }

  /**
   * The forecast category. The closed flags of the record win over the stage mapping (a won deal is
   * Closed, a lost deal Omitted); an open deal in an unmapped stage counts as Pipeline and is reported.
   */
  categoryOf(stageName: string, isClosed: boolean, isWon: boolean): ForecastCategory {
    if (isWon) return 'Closed';
    if (isClosed) return 'Omitted';
    const stage = this.byName.get(stageName);
    if (!stage) {
      this.unmapped.add(stageName);
      return 'Pipeline';
    }
    // An open deal cannot be Closed: a stage mapped to Closed but not flagged won is Commit-like at best.
    return stage.category === 'Closed' ? 'Commit' : stage.category;
  }

  /** Outcome of a historical state, which has only the stage name. */
  outcomeOf(stageName: string): Outcome {
    const stage = this.byName.get(stageName);
    if (!stage) {
      this.unmapped.add(stageName);
      return 'open';
    }
    return stage.outcome;
  }

  probabilityOf(stageName: string): number {
    return this.byName.get(stageName)?.probability ?? 0;
  }

  orderOf(stageName: string): number {
    return this.byName.get(stageName)?.order ?? -1;
  }
}
