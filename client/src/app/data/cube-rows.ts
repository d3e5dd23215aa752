// Where a pre-aggregated table's rows come from, so the engine need not scan the dataset to fill it:
// kept on this device from an earlier visit (with the results: keyed by the pack and the table's
// statement, so never another pack's), else sent by the server while online — and then kept, so a
// later visit has them offline too. None: the engine fills the table itself.
export interface CubeRowSources {
  kept(): Promise<Uint8Array | null>;
  online(): boolean;
  ask(): Promise<Uint8Array>;
  keep(rows: Uint8Array): void;
}

export async function cubeRows(sources: CubeRowSources): Promise<Uint8Array | undefined> {
  const kept = await sources.kept().catch(() => null);
  if (kept) return kept;
  if (!sources.online()) return undefined;
  const sent = await sources.ask().catch(() => null);
  if (!sent) return undefined;
  sources.keep(sent);
  return sent;
}

/** The rows if they come within `ms`, else none (the engine then scans rather than waits on a slow network). */
export const rowsWithin = (rows: Promise<Uint8Array | undefined>, ms: number): Promise<Uint8Array | undefined> =>
  Promise.race([rows, new Promise<undefined>((resolve) => setTimeout(resolve, ms))]);
