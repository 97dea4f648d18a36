import { bool, defineObject, lookup, text } from '../schema/field-builders';
import type { ObjectDef } from '../schema/types';

/**
 * The setup objects behind object permissions, as Salesforce models them: a `PermissionSet` holds
 * user permissions (View All Data, Modify All Data), its `ObjectPermissions` rows hold CRUD and
 * View All / Modify All per object, and a `PermissionSetAssignment` gives it to a user. The org
 * fills the first two from the permission-set metadata at start (install.ts); visibility reads all
 * three, so an admin can grant access through the API exactly as on Salesforce.
 */
export const permissionSetObject: ObjectDef = defineObject(
  {
    name: 'PermissionSet',
    label: 'Permission Set',
    labelPlural: 'Permission Sets',
    keyPrefix: '0PS',
    searchable: false,
    triggerable: false,
  },
  [
    text('Name', 80, { required: true, unique: true, label: 'Name' }),
    text('Label', 80, { required: true, nameField: true }),
    text('Description', 255),
    bool('IsOwnedByProfile', { createable: false, updateable: false }),
    bool('PermissionsViewAllData', { label: 'View All Data' }),
    bool('PermissionsModifyAllData', { label: 'Modify All Data' }),
    bool('PermissionsApiEnabled', { label: 'API Enabled' }),
  ],
);

export const objectPermissionsObject: ObjectDef = defineObject(
  {
    name: 'ObjectPermissions',
    label: 'Object Permissions',
    labelPlural: 'Object Permissions',
    keyPrefix: '110',
    searchable: false,
    triggerable: false,
  },
  [
    lookup('ParentId', 'PermissionSet', 'ObjectPerms', {
      required: true,
      relationshipName: 'Parent',
      cascadeDelete: true,
      label: 'Parent ID',
    }),
    text('SobjectType', 80, { required: true, label: 'Sobject Type Name' }),
    bool('PermissionsRead', { label: 'Read' }),
    bool('PermissionsCreate', { label: 'Create' }),
    bool('PermissionsEdit', { label: 'Edit' }),
    bool('PermissionsDelete', { label: 'Delete' }),
    bool('PermissionsViewAllRecords', { label: 'View All' }),
    bool('PermissionsModifyAllRecords', { label: 'Modify All' }),
  ],
);

export const permissionSetAssignmentObject: ObjectDef = defineObject(
  {
    name: 'PermissionSetAssignment',
    label: 'Permission Set Assignment',
    labelPlural: 'Permission Set Assignments',
    keyPrefix: '0Pa',
    searchable: false,
    triggerable: false,
  },
  [
    lookup('AssigneeId', 'User', 'PermissionSetAssignments', {
      required: true,
      relationshipName: 'Assignee',
      label: 'Assignee ID',
    }),
    lookup('PermissionSetId', 'PermissionSet', 'Assignments', {
      required: true,
      relationshipName: 'PermissionSet',
      cascadeDelete: true,
      label: 'Permission Set ID',
    }),
  ],
);

export const SHARING_SETUP_OBJECTS: ObjectDef[] = [
  permissionSetObject,
  objectPermissionsObject,
  permissionSetAssignmentObject,
];

/** Writes to these change what some user may see; the access cache is dropped after them. */
export const ACCESS_DEFINING_OBJECTS = new Set(
  ['User', 'UserRole', 'Profile', ...SHARING_SETUP_OBJECTS.map((o) => o.name)].map((n) => n.toLowerCase()),
);
