// Control-chart constants for subgroups of n = 2…25, computed from their definitions rather than
// copied from a table (the spec checks them against the published table):
//   d2 = E[W] and d3 = sd(W) for W, the range of n standard normal values, with
//   P(W ≤ w) = n ∫ φ(x) (Φ(x + w) − Φ(x))^(n−1) dx,  E[W] = ∫ P(W > w) dw,  E[W²] = ∫ 2w P(W > w) dw;
//   A2 = 3 / (d2 √n), D3 = max(0, 1 − 3 d3 / d2), D4 = 1 + 3 d3 / d2.
import { normalCdf, normalPdf } from './normal-distribution.js';

export const MIN_SUBGROUP = 2;
export const MAX_SUBGROUP = 25;

export interface ChartConstants {
  n: number;
  d2: number;
  d3: number;
  A2: number;
  D3: number;
  D4: number;
}

/** Composite Simpson's rule over [a, b] with an even number of steps. */
function simpson(f: (x: number) => number, a: number, b: number, steps: number): number {
  const h = (b - a) / steps;
  let sum = f(a) + f(b);
  for (let i = 1; i < steps; i++) sum += f(a + i * h) * (i % 2 ? 4 : 2);
  return (sum * h) / 3;
}

function rangeMoments(n: number): { mean: number; sd: number } {
  // Beyond ±8 and a range of 12 the normal's mass is below 1e-14: nothing left to integrate.
  const rangeCdf = (w: number) => n * simpson((x) => normalPdf(x) * (normalCdf(x + w) - normalCdf(x)) ** (n - 1), -8, 8, 160);
  const tail = new Map<number, number>();
  const survival = (w: number) => {
    let p = tail.get(w);
    if (p === undefined) tail.set(w, (p = 1 - rangeCdf(w)));
    return p;
  };
  const mean = simpson(survival, 0, 12, 240);
  const second = simpson((w) => 2 * w * survival(w), 0, 12, 240);
  return { mean, sd: Math.sqrt(second - mean * mean) };
}

const cache = new Map<number, ChartConstants>();

export function chartConstants(n: number): ChartConstants {
  if (!Number.isInteger(n) || n < MIN_SUBGROUP || n > MAX_SUBGROUP) {
    throw new RangeError(`subgroup size must be a whole number from ${MIN_SUBGROUP} to ${MAX_SUBGROUP}`);
  }
  let constants = cache.get(n);
  if (!constants) {
    const { mean: d2, sd: d3 } = rangeMoments(n);
    constants = { n, d2, d3, A2: 3 / (d2 * Math.sqrt(n)), D3: Math.max(0, 1 - (3 * d3) / d2), D4: 1 + (3 * d3) / d2 };
    cache.set(n, constants);
  }
  return constants;
}
