// Every change of the page's URL (the dashboard, its filter, the parts panel) goes through here and
// is written once the task that made it is done: a history call took 9–22 ms in Chromium when it
// came first after a pause (measured between an edit's save and its query), and written later it
// overlaps the engine's work instead of delaying the query. Writes keep their order; each edits the
// URL as it is when written, so the writers' parameters compose.
interface UrlWrite {
  edit: (url: URL) => void;
  /** A new history entry (back undoes it), else the current one is replaced. */
  push: boolean;
}

const pending: UrlWrite[] = [];
let written: Promise<void> = Promise.resolve();
let settle = () => {};

export function writeUrl(edit: (url: URL) => void, push = false): void {
  if (pending.length === 0) {
    written = new Promise((resolve) => (settle = resolve));
    setTimeout(flush);
  }
  pending.push({ edit, push });
}

function flush(): void {
  for (const { edit, push } of pending.splice(0)) {
    const url = new URL(location.href);
    edit(url);
    if (push) history.pushState(null, '', url);
    else history.replaceState(history.state, '', url);
  }
  settle();
}

// A page left (or reloaded) right after a change still keeps it in its URL.
addEventListener('pagehide', flush);

/** Resolves once the writes asked for so far are in the URL. */
export const urlWritten = (): Promise<void> => written;
