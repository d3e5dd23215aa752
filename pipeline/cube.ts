// Pre-aggregated tables (data cubes, as Mosaic builds them): a view's partial aggregates per press and
// verdict under every other filter, so a press or verdict filter change re-aggregates a small table
// instead of scanning the dataset. The browser's engine fills one per view on first use; a cube is
// named after the statement that fills it and its parameters, so equal views share one.
import type { ColumnInfo } from './columns.js';
import { filtersToWhere, PRESS_AND_VERDICT, quoteIdentifier, whereSql, type SqlParam } from './filter-sql.js';
import type { ViewFilters } from './view-spec.js';

/** A pre-aggregated table: its name and the SELECT that fills it, run once. */
export interface CubeStatement {
  name: string;
  sql: string;
  params: SqlParam[];
}

/** The cube's key columns, so a press or verdict filter only changes the query over it. */
const KEYS = { press: 'k_press', reject: 'k_reject' } as const;
export const CUBE_KEY_NAMES: readonly string[] = Object.values(KEYS);

/** The dataset's columns a cube is keyed by: the press and the verdict. */
export const CUBE_KEY_SOURCES: readonly string[] = Object.values(PRESS_AND_VERDICT);

/** Whether the dataset has the press and verdict columns a cube is keyed by (a file "in the same format" may lack them). */
export const hasCubeKeys = (columns: readonly ColumnInfo[]): boolean =>
  CUBE_KEY_SOURCES.every((name) => columns.some((c) => c.name === name));

/** The filters a cube is filled under: all but the press and the verdict, which are its keys. */
export const cubeFilters = (filters: ViewFilters): ViewFilters => ({ ...filters, presses: undefined, reject: undefined });

/**
 * SELECT columns that keep each row's press and verdict under the cube's key names; `keys` narrows
 * them to the press for figures of consecutive parts, which a verdict filter would change.
 */
export const cubeKeyColumns = (keys: readonly (keyof typeof KEYS)[] = ['press', 'reject']): string[] =>
  keys.map((key) => `${quoteIdentifier(PRESS_AND_VERDICT[key])} AS ${KEYS[key]}`);

/**
 * The cube filled by `partials` (a SELECT … GROUP BY ALL with the key columns, over `params`) and
 * the rows of it that `filters`' presses and verdict keep, as a subquery, with its parameters.
 */
export function readCube(partials: string, params: readonly SqlParam[], filters: ViewFilters): { cube: CubeStatement; rows: string; params: SqlParam[] } {
  const cube = { name: `cube_${hashText(JSON.stringify([partials, params]))}`, sql: partials, params: [...params] };
  const presses = keptPresses(filters.presses);
  const verdict = filtersToWhere({ reject: filters.reject }, KEYS);
  return { cube, rows: `(SELECT * FROM ${cube.name}${whereSql([presses.condition, ...verdict.conditions])})`, params: [...presses.params, ...verdict.params] };
}

/**
 * Press slots in a cube's read. Its text is the same for no press filter and for any choice of up to
 * this many presses (the list padded by repeating its first), so the statement the engine keeps
 * prepared answers every press filter change: planning a new one took 15–60 ms in DuckDB-WASM, more
 * than reading the cube with it (5–17 ms).
 */
const PRESS_SLOTS = 8;

function keptPresses(presses: readonly string[] | undefined): { condition: string; params: SqlParam[] } {
  // An empty list is what intersecting a view's presses with the dashboard's can leave: no press.
  if (presses?.length === 0) return { condition: 'FALSE', params: [] };
  const slots = Math.max(PRESS_SLOTS, 2 ** Math.ceil(Math.log2(presses?.length ?? 1)));
  // Without a press filter the first parameter keeps every row (a NULL press too); the slots' values are then never read.
  const listed = presses ?? [''];
  return {
    condition: `(? OR ${quoteIdentifier(KEYS.press)} IN (${Array(slots).fill('?').join(', ')}))`,
    params: [presses === undefined, ...Array.from({ length: slots }, (_, i) => listed[i] ?? listed[0]!)],
  };
}

/** A short stable name for a text (53-bit cyrb53). */
function hashText(text: string): string {
  let h1 = 0xdeadbeef, h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}
