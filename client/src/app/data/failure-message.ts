// What the user reads when the dataset cannot be opened or kept: words and the actions that help,
// never the browser's or the engine's own error text (that goes to the console for support).
import type { FailureReason } from './worker-protocol';

export interface FailureNotice {
  reason: FailureReason;
  message: string;
  /** "Try again" re-runs the open; "Download again" drops the stored copy and fetches it afresh. */
  actions: ('retry' | 'download-again')[];
}

export function failureNotice(reason: FailureReason, online: boolean): FailureNotice {
  switch (reason) {
    case 'not-stored':
      return { reason, actions: online ? ['download-again'] : ['retry'], message: online
        ? 'This dataset is not stored on this device yet.'
        : 'You are offline and this dataset is not stored on this device: it was never downloaded here, or the browser removed it to free space. Connect to the network once to download it.' };
    case 'storage-full':
      return { reason, actions: ['retry'], message: 'This device has no room to keep the dataset, so MoldLens works online, reading it from the server. Free some space to use it offline.' };
    case 'engine':
      return { reason, actions: ['retry'], message: 'The query engine could not start. Check the connection and try again.' };
    case 'unreadable':
      return { reason, actions: ['retry', 'download-again'], message: 'The copy of the dataset on this device could not be read.' };
    case 'network':
      return { reason, actions: ['retry'], message: online
        ? 'The dataset could not be read from the server. Try again in a moment.'
        : 'The connection dropped while the dataset was loading. Try again when you are back online.' };
    case 'query':
      return { reason, actions: ['retry'], message: 'Opening the dataset failed. Try again.' };
  }
}
