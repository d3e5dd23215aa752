// The Parts panel's state in the URL (`parts=`, base64url JSON), read back as untrusted input.
import { SpecError } from '../spec-error.js';
import { isRecord, optionalNumber } from '../spec-values.js';
import { parseViewFilters } from '../view-spec.js';
import type { PartsRequest } from './parts-sql.js';
import type { PartsScope } from './parts-scope.js';

export const PARTS_PARAM = 'parts';

export interface PartsPanelState extends PartsRequest {
  heading: string;
  mode: 'parts' | 'compare';
}

export const encodePartsState = (state: PartsPanelState): string =>
  btoa(String.fromCharCode(...new TextEncoder().encode(JSON.stringify(state)))).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');

const text = (v: unknown, what: string): string => {
  if (typeof v === 'string' && v.length <= 300) return v;
  throw new SpecError(`${what} must be text`);
};
const number = (v: unknown, what: string): number => {
  const n = optionalNumber(v, what);
  if (n === undefined) throw new SpecError(`${what} must be a number`);
  return n;
};
const pressOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : text(v, 'press'));

function parseScope(v: unknown): PartsScope {
  if (!isRecord(v)) throw new SpecError('the parts link has no scope');
  switch (v['kind']) {
    case 'sequence': return { kind: 'sequence', field: text(v['field'], 'field'), press: text(v['press'], 'press'),
      firstRank: number(v['firstRank'], 'firstRank'), lastRank: number(v['lastRank'], 'lastRank') };
    case 'time': return { kind: 'time', press: pressOrNull(v['press']), fromMs: number(v['fromMs'], 'fromMs'), toMs: number(v['toMs'], 'toMs') };
    case 'defect': return { kind: 'defect', defect: v['defect'] === null ? null : text(v['defect'], 'defect'), press: pressOrNull(v['press']) };
    case 'range': return { kind: 'range', field: text(v['field'], 'field'), min: number(v['min'], 'min'), max: number(v['max'], 'max'),
      includeMax: v['includeMax'] === true, press: pressOrNull(v['press']) };
    case 'near_miss': return { kind: 'near_miss', defect: text(v['defect'], 'defect') };
    case 'all': return { kind: 'all' };
    default: throw new SpecError('the parts link has an unknown scope');
  }
}

/** A parts request from untrusted input (a link, a request to the server), checked field by field. */
export function parsePartsRequest(v: unknown): PartsRequest {
  if (!isRecord(v) || !isRecord(v['sort']) || !Array.isArray(v['fields'])) throw new SpecError('the parts request is damaged');
  return {
    filters: parseViewFilters(v['filters']), scope: parseScope(v['scope']),
    fields: (v['fields'] as unknown[]).slice(0, 40).map((f, i) => text(f, `fields[${i}]`)),
    sort: { field: text(v['sort']['field'], 'sort.field'), descending: v['sort']['descending'] === true },
    page: Math.max(0, Math.floor(number(v['page'] ?? 0, 'page'))),
  };
}

export function decodePartsState(encoded: string): PartsPanelState {
  try {
    const binary = atob(encoded.replaceAll('-', '+').replaceAll('_', '/'));
    const v = JSON.parse(new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)))) as unknown;
    if (!isRecord(v)) throw new SpecError('the parts link is damaged');
    return { heading: text(v['heading'] ?? '', 'heading'), mode: v['mode'] === 'compare' ? 'compare' : 'parts', ...parsePartsRequest(v) };
  } catch (error) {
    throw error instanceof SpecError ? error : new SpecError('the parts link is damaged');
  }
}
