// What a view says when its query fails: words about the view, never the engine's own message.
// A spec problem (SpecError) is already written for the user; anything else is recognised by kind
// and turned into what to change. The engine's text is kept for the console, not the screen.
import { SpecError } from './spec-error.js';

const KNOWN: readonly [pattern: RegExp, advice: string][] = [
  [/out of memory|memory limit/i, 'This view needs more memory than the browser allows. Narrow the time range or filter to fewer presses.'],
  [/(binder|conversion|type).*error|no function matches|cannot (cast|compare)/i,
    'This combination of fields and aggregation cannot be computed. Choose another aggregation or field in Edit.'],
  [/interrupt|cancel|abort/i, 'The query was stopped before it finished. It runs again when the view changes.'],
  [/catalog error|does not exist|not found/i, 'A field this view uses is not in the current dataset. Edit the view and choose another field.'],
];

/** The server could not answer a query for a device that does not keep the dataset: its message is in words. */
export class ServerAnswerError extends Error {}

/** The message a view shows for a failed query. */
export function explainQueryError(error: unknown): string {
  if (error instanceof SpecError) return `This view cannot be drawn: ${error.message}.`;
  if (error instanceof ServerAnswerError) return error.message;
  const text = error instanceof Error ? error.message : String(error);
  return KNOWN.find(([pattern]) => pattern.test(text))?.[1] ??
    'This view could not be computed. Try a shorter time range or a different chart, or reload the page.';
}
