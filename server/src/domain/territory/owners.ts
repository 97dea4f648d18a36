import type { Snapshot } from '../snapshot/types';
import type { TerritoryConfig } from './config';
import { createPeopleResolver } from './people';

/**
 * The owner (user id) of every territory of a model, resolved exactly as the territory rows resolve
 * it: the approval check uses the same people the CRM shows as owners.
 */
export function territoryOwners(
  snapshot: Snapshot,
  config: TerritoryConfig,
  modelKey: string,
): Map<string, string | null> {
  const model = config.models.find((m) => m.key === modelKey);
  const people = createPeopleResolver(snapshot);
  const out = new Map<string, string | null>();
  for (const t of model?.territories ?? [])
    out.set(t.key, t.owner ? (people(t.owner).users[0]?.id ?? null) : null);
  return out;
}
