import { AppError } from '../../shared/errors';

/** Commands whose issue has not landed yet say so plainly and exit 1. */
export function notBuilt(command: string, issue: string): never {
  throw new AppError('NOT_BUILT', `'salesops ${command}' is not built yet (${issue}).`, { command });
}
