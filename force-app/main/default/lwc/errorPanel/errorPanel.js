import { LightningElement, api } from 'lwc';
import { reduceErrors } from 'c/ldsUtils';

/**
 * The one error display of the widgets: a short sentence saying what failed, then every message
 * the platform gave (LDS, GraphQL, record write or JavaScript errors).
 */
export default class ErrorPanel extends LightningElement {
  /** What failed, in the user's words ("Could not load the commission statement"). */
  @api friendlyMessage = 'Could not load the data';
  /** One error or an array of them, as the wire or the write returned them. */
  @api errors;

  get messages() {
    return reduceErrors(this.errors).map((text, index) => ({ key: `m${index}`, text }));
  }

  get hasMessages() {
    return this.messages.length > 0;
  }
}
