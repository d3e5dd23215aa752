// Process capability of one numeric field against its spec limits.
//   Cp  = (USL − LSL) / 6σ_within        Cpk = min(USL − μ, μ − LSL) / 3σ_within
//   Pp  = (USL − LSL) / 6σ_overall       Ppk = min(USL − μ, μ − LSL) / 3σ_overall
// With one limit only, Cp and Pp are undefined and Cpk / Ppk use the one side. Expected ppm is the
// normal tail mass beyond the limits with the overall σ (what the process is actually doing).
import { normalUpperTail } from './normal-distribution.js';

export interface SpecLimits {
  lsl?: number;
  usl?: number;
  target?: number;
}

export interface CapabilityInput extends SpecLimits {
  mean: number;
  sigmaWithin: number | null;
  sigmaOverall: number | null;
}

export interface CapabilityFigures {
  cp: number | null;
  cpk: number | null;
  pp: number | null;
  ppk: number | null;
  expectedPpm: number | null;
}

export type CapabilityGrade = 'good' | 'marginal' | 'poor';

const positive = (sigma: number | null): sigma is number => sigma !== null && Number.isFinite(sigma) && sigma > 0;

function indices(mean: number, sigma: number | null, { lsl, usl }: SpecLimits): { spread: number | null; worstSide: number | null } {
  if (!positive(sigma)) return { spread: null, worstSide: null };
  const sides = [usl === undefined ? null : (usl - mean) / (3 * sigma), lsl === undefined ? null : (mean - lsl) / (3 * sigma)]
    .filter((v): v is number => v !== null);
  return {
    spread: lsl !== undefined && usl !== undefined ? (usl - lsl) / (6 * sigma) : null,
    worstSide: sides.length ? Math.min(...sides) : null,
  };
}

export function capability(input: CapabilityInput): CapabilityFigures {
  const within = indices(input.mean, input.sigmaWithin, input);
  const overall = indices(input.mean, input.sigmaOverall, input);
  const sigma = input.sigmaOverall;
  const expectedPpm = positive(sigma) && (input.lsl !== undefined || input.usl !== undefined)
    ? 1e6 * ((input.usl === undefined ? 0 : normalUpperTail((input.usl - input.mean) / sigma)) +
      (input.lsl === undefined ? 0 : normalUpperTail((input.mean - input.lsl) / sigma)))
    : null;
  return { cp: within.spread, cpk: within.worstSide, pp: overall.spread, ppk: overall.worstSide, expectedPpm };
}

/** The usual reading of Cpk: ≥ 1.33 capable, 1.00–1.33 marginal, below 1.00 not capable. */
export function capabilityGrade(cpk: number | null): CapabilityGrade | null {
  if (cpk === null) return null;
  return cpk >= 1.33 ? 'good' : cpk >= 1 ? 'marginal' : 'poor';
}
