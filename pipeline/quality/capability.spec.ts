import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { capability, capabilityGrade } from './capability.js';
import { normalCdf, normalUpperTail } from './normal-distribution.js';

const round = (v: number | null, digits: number) => (v === null ? null : Number(v.toFixed(digits)));

describe('capability', () => {
  it('reproduces Montgomery\'s piston-ring study: Cp = 0.10 / (6 × 0.0099) = 1.68', () => {
    // Example 6.1: LSL 73.95, USL 74.05, σ̂ = R̄ / d2 = 0.023 / 2.326 = 0.0099.
    const figures = capability({ mean: 74.001, sigmaWithin: 0.0099, sigmaOverall: 0.0099, lsl: 73.95, usl: 74.05 });
    assert.equal(round(figures.cp, 2), 1.68);
  });

  it('reproduces the off-center process of Montgomery §8.3.3: Cp = 2.0, Cpk = 1.5, and the six-sigma 3.4 ppm', () => {
    // LSL 38, USL 62, μ = 53, σ = 2: Cpu = (62 − 53)/6 = 1.5, Cpl = (53 − 38)/6 = 2.5.
    const figures = capability({ mean: 53, sigmaWithin: 2, sigmaOverall: 2, lsl: 38, usl: 62 });
    assert.deepEqual([round(figures.cp, 2), round(figures.cpk, 2), round(figures.pp, 2), round(figures.ppk, 2)], [2, 1.5, 2, 1.5]);
    // 4.5σ to the nearer limit: the famous 3.4 defects per million of a 1.5σ-shifted six-sigma process.
    assert.equal(round(figures.expectedPpm, 1), 3.4);
  });

  it('uses the one side given when only one limit is set, and grades Cpk', () => {
    const upperOnly = capability({ mean: 10, sigmaWithin: 1, sigmaOverall: 2, usl: 13 });
    assert.deepEqual([upperOnly.cp, upperOnly.cpk, upperOnly.ppk], [null, 1, 0.5]);
    assert.deepEqual([1.5, 1.33, 1.2, 1, 0.7, null].map(capabilityGrade), ['good', 'good', 'marginal', 'marginal', 'poor', null]);
    assert.equal(capability({ mean: 1, sigmaWithin: 0, sigmaOverall: null, lsl: 0, usl: 2 }).cp, null);
  });

  it('keeps normal tail probabilities to their published digits', () => {
    assert.equal(normalCdf(1.96).toFixed(4), '0.9750');
    assert.equal(normalUpperTail(3).toExponential(3), '1.350e-3');
    assert.equal(normalUpperTail(6).toExponential(2), '9.87e-10');
  });
});
