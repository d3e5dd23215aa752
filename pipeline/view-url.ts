// Dashboards and single views travel in the URL as base64url JSON; what comes back is untrusted
// and goes through parseViewSpec.
import { parseViewSpec, SpecError, type ViewSpec } from './view-spec.js';

export const DASHBOARD_PARAM = 'd';
export const VIEW_PARAM = 'v';

function toBase64Url(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

function fromBase64Url(encoded: string): string {
  if (encoded.length > 100_000 || !/^[A-Za-z0-9_+/-]*={0,2}$/.test(encoded)) throw new SpecError('the link is not a MoldLens view');
  const binary = atob(encoded.replaceAll('-', '+').replaceAll('_', '/'));
  return new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
}

export const encodeViews = (views: readonly ViewSpec[]): string => toBase64Url(JSON.stringify(views));
export const encodeView = (view: ViewSpec): string => toBase64Url(JSON.stringify(view));

export function decodeViews(encoded: string): ViewSpec[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fromBase64Url(encoded));
  } catch (error) {
    throw error instanceof SpecError ? error : new SpecError('the link is damaged: it does not decode to a dashboard');
  }
  if (!Array.isArray(parsed) || parsed.length > 50) throw new SpecError('the link does not hold a list of views');
  return parsed.map(parseViewSpec);
}

export function decodeView(encoded: string): ViewSpec {
  try {
    return parseViewSpec(JSON.parse(fromBase64Url(encoded)));
  } catch (error) {
    throw error instanceof SpecError ? error : new SpecError('the link is damaged: it does not decode to a view');
  }
}

export function viewLink(view: ViewSpec, base: string): string {
  const url = new URL(base);
  url.search = `?${VIEW_PARAM}=${encodeView(view)}`;
  return url.href;
}
