import type { Job, JobStatus } from '../store/job-store';
import type { SubmitJob } from '../jobs/job-service';

export const ENGINES = ['forecast', 'territories', 'commissions', 'kpis'] as const;
export type EngineName = (typeof ENGINES)[number];

export interface TerritoryDryRunInput {
  changes: Array<{ accountId: string; toTerritoryKey: string; effectiveDate?: string }>;
  asOf?: string;
}

export interface CommissionSimulateInput {
  /** A commission plan in the shape of config/commission-plans/*.yaml, as JSON. */
  plan: Record<string, unknown>;
  asOf?: string;
  repIds?: string[];
}

/**
 * What the API asks of the engines; the composition root wires them to the territory, commission,
 * forecast and KPI use cases. Bad input found by an engine is an AppError INPUT_INVALID (400).
 */
export interface EnginePorts {
  /** The latest results of an engine, or null when there are none yet. */
  latestResults(engine: EngineName): Promise<unknown | null>;
  territoryDryRun(input: TerritoryDryRunInput): Promise<unknown>;
  commissionSimulate(input: CommissionSimulateInput): Promise<unknown>;
}

export interface JobsPort {
  submit(req: SubmitJob): Promise<{ created: boolean; job: Job | null }>;
  get(id: string): Promise<Job | null>;
  list(opts: { limit?: number; status?: JobStatus }): Promise<Job[]>;
}

export interface Readiness {
  ready: boolean;
  checks: Record<string, { ok: boolean; detail?: string }>;
}
