// The standard normal distribution, for capability figures and the control-chart constants. erfc
// is the Chebyshev fit of Numerical Recipes (erfcc): relative error below 1.2e-7 everywhere, so tail
// probabilities (parts per million out of spec) keep their digits.

export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 +
    t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return x >= 0 ? r : 2 - r;
}

/** P(Z ≤ z) for a standard normal Z. */
export const normalCdf = (z: number): number => 0.5 * erfc(-z / Math.SQRT2);

/** P(Z > z), computed directly so a far tail does not vanish in 1 − Φ. */
export const normalUpperTail = (z: number): number => 0.5 * erfc(z / Math.SQRT2);

export const normalPdf = (z: number): number => Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
