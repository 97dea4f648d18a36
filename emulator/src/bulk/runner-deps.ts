import type { Faults } from '../faults/faults';
import type { Logger } from '../logger';
import type { Org } from '../org';
import type { JobStore } from './job-store';
import type { BulkPorts } from './ports';

/** What a job runner works with. */
export interface RunnerDeps {
  org: Org;
  store: JobStore;
  ports: BulkPorts;
  faults: Faults;
  log: Logger;
}

/** The message of a job failed by fault injection. */
export const INJECTED_FAILURE =
  'InternalServerError : the embedded org failed this job on purpose (fault injection: bulkFailRate)';
