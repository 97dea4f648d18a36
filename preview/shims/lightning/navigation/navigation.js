// `lightning/navigation` for the preview: NavigationMixin navigates between the preview's pages
// (record pages of Accounts and Opportunities, Home, the team view, the ops console), and
// CurrentPageReference is the page the shell shows.
import { currentPageReference, onPageChange, pageUrl, navigateTo } from '../../../app/routes';

const Navigate = Symbol('Navigate');
const GenerateUrl = Symbol('GenerateUrl');

export function NavigationMixin(Base) {
  return class extends Base {
    [Navigate](pageReference, replace) {
      navigateTo(pageReference, replace);
    }

    [GenerateUrl](pageReference) {
      return Promise.resolve(pageUrl(pageReference));
    }
  };
}
NavigationMixin.Navigate = Navigate;
NavigationMixin.GenerateUrl = GenerateUrl;

export class CurrentPageReference {
  constructor(dataCallback) {
    this.dataCallback = dataCallback;
    this.stop = undefined;
    dataCallback(undefined);
  }

  update() {}

  connect() {
    this.dataCallback(currentPageReference());
    this.stop = onPageChange(() => this.dataCallback(currentPageReference()));
  }

  disconnect() {
    if (this.stop) this.stop();
  }
}
