/**
 * Visibility like the CRM's: object permissions from the profile and permission sets, record
 * sharing from each object's org-wide default and the role hierarchy. See README.md.
 */
export { accessOf, invalidateAccess, type ObjectAccess, type UserAccess } from './access';
export {
  canRead,
  canReadObject,
  insufficientAccess,
  queryVisibility,
  writeGuard,
  type QueryVisibility,
  type WriteGuard,
} from './guards';
export { assignPermissionSet, hasPermissionObjects, installPermissionSets, permissionSetId } from './install';
export { loadPermissionSets, readPermissionSet, type PermissionSetDef } from './permission-set-files';
export { recordFilter } from './record-filter';
export { SHARING_SETUP_OBJECTS } from './setup-objects';
