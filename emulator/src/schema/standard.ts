import { CORE_STANDARD_OBJECTS } from './standard-objects';
import type { ObjectDef } from './types';

/**
 * Every object the org starts with: the standard sales objects plus the custom objects of the
 * given SFDX source folders. Not built yet: metadata folders are not read.
 */
export function loadStandardObjects(_metadataDirs: string[]): ObjectDef[] {
  return [...CORE_STANDARD_OBJECTS];
}
