// Readers for the values of an untrusted spec (from a URL or storage): each returns a clean value or
// throws a SpecError that says which key is wrong.
import { SpecError } from './spec-error.js';

export const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export const oneOf = <T extends string>(values: readonly T[], v: unknown, what: string): T => {
  if (typeof v === 'string' && (values as readonly string[]).includes(v)) return v as T;
  throw new SpecError(`${what} must be one of ${values.join(', ')}`);
};

export const optionalNumber = (v: unknown, what: string): number | undefined => {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  throw new SpecError(`${what} must be a number`);
};

export const isoTime = (v: unknown, what: string): string | undefined => {
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v === 'string' && !Number.isNaN(Date.parse(v))) return new Date(v).toISOString();
  throw new SpecError(`${what} must be a date and time`);
};
