// Center lines and 3σ limits of the Shewhart charts, from the baseline's statistics.
//   X̄-R:  σ = R̄ / d2;  X̄: X̿ ± A2·R̄ (= 3σ/√n);  R: D3·R̄ … D4·R̄
//   I-MR:  σ = MR̄ / d2(2) = MR̄ / 1.128;  I: X̄ ± 3σ;  MR: 0 … D4(2)·MR̄ (= 3.267·MR̄)
//   p:     p̄ ± 3·√(p̄(1 − p̄) / nᵢ), the lower limit floored at 0 (and the upper capped at 1)
import { chartConstants } from './control-chart-constants.js';

export interface Limits {
  center: number;
  ucl: number;
  lcl: number;
  /** One sigma of the plotted statistic: the unit of the run rules' zones. */
  sigma: number;
}

export interface PairedLimits {
  location: Limits;
  spread: Limits;
  /** σ within subgroups, the process's short-term spread. */
  sigmaWithin: number;
}

export function xbarRLimits(grandMean: number, meanRange: number, n: number): PairedLimits {
  const { d2, d3, A2, D3, D4 } = chartConstants(n);
  const sigmaWithin = meanRange / d2;
  return {
    sigmaWithin,
    location: { center: grandMean, ucl: grandMean + A2 * meanRange, lcl: grandMean - A2 * meanRange, sigma: sigmaWithin / Math.sqrt(n) },
    spread: { center: meanRange, ucl: D4 * meanRange, lcl: D3 * meanRange, sigma: d3 * sigmaWithin },
  };
}

export function individualsLimits(mean: number, meanMovingRange: number): PairedLimits {
  const { d2, d3, D3, D4 } = chartConstants(2);
  const sigmaWithin = meanMovingRange / d2;
  return {
    sigmaWithin,
    location: { center: mean, ucl: mean + 3 * sigmaWithin, lcl: mean - 3 * sigmaWithin, sigma: sigmaWithin },
    spread: { center: meanMovingRange, ucl: D4 * meanMovingRange, lcl: D3 * meanMovingRange, sigma: d3 * sigmaWithin },
  };
}

export function proportionLimits(pBar: number, n: number): Limits {
  const sigma = Math.sqrt((pBar * (1 - pBar)) / n);
  return { center: pBar, ucl: Math.min(1, pBar + 3 * sigma), lcl: Math.max(0, pBar - 3 * sigma), sigma };
}

/** Distance from the center line in sigmas, or null when it cannot be told. */
export const zScore = (value: number | null, limits: Limits | null): number | null =>
  value === null || !limits || !(limits.sigma > 0) ? null : (value - limits.center) / limits.sigma;
