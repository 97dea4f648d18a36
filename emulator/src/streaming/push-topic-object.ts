import { bool, defineObject, double, picklist, text, textArea } from '../schema/field-builders';
import type { ObjectDef } from '../schema/types';

/**
 * `PushTopic`, as Salesforce describes it: a client creates one through the REST API and then
 * subscribes to `/topic/<Name>`. The org announces records that match `Query` (see push-topics.ts).
 */
export const pushTopicObject: ObjectDef = defineObject(
  { name: 'PushTopic', label: 'Push Topic', labelPlural: 'Push Topics', keyPrefix: '0IF' },
  [
    text('Name', 25, { required: true, nameField: true, unique: true, label: 'Topic Name' }),
    textArea('Query', 1300, { required: true, label: 'SOQL Query' }),
    double('ApiVersion', 18, 1, { required: true, label: 'API Version' }),
    bool('IsActive', { label: 'Is Active', defaultValue: true }),
    picklist('NotifyForFields', ['All', 'Referenced', 'Select', 'Where'], {
      label: 'Notify For Fields',
      defaultValue: 'Referenced',
    }),
    bool('NotifyForOperationCreate', { label: 'Create', defaultValue: true }),
    bool('NotifyForOperationUpdate', { label: 'Update', defaultValue: true }),
    bool('NotifyForOperationDelete', { label: 'Delete', defaultValue: true }),
    bool('NotifyForOperationUndelete', { label: 'Undelete', defaultValue: true }),
    textArea('Description', 400, { label: 'Description' }),
  ],
);
