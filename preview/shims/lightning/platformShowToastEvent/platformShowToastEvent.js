// `lightning/platformShowToastEvent`: the same event the platform listens for; the preview shell
// catches it at the document and renders the toast.
export class ShowToastEvent extends CustomEvent {
  constructor(toast) {
    super('lightning__showtoast', { composed: true, cancelable: true, bubbles: true, detail: toast });
  }
}
