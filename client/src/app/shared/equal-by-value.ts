// Equality for signals holding plain data (specs, dataset descriptions, zones): a value recomputed or
// set again unchanged is not a change, so nothing downstream re-runs its query for it.
export const equalByValue = (a: unknown, b: unknown): boolean => a === b || JSON.stringify(a) === JSON.stringify(b);
