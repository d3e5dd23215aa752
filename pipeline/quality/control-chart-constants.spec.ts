import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chartConstants } from './control-chart-constants.js';

// Montgomery, Introduction to Statistical Quality Control, Appendix Table VI, and ASTM MNL7 (n = 2…25).
const PUBLISHED_D2 = [1.128, 1.693, 2.059, 2.326, 2.534, 2.704, 2.847, 2.970, 3.078, 3.173, 3.258, 3.336, 3.407, 3.472, 3.532, 3.588,
  3.640, 3.689, 3.735, 3.778, 3.819, 3.858, 3.895, 3.931];
const PUBLISHED_D3 = [0.853, 0.888, 0.880, 0.864, 0.848, 0.833, 0.820, 0.808, 0.797, 0.787, 0.778, 0.770, 0.763, 0.756, 0.750, 0.744,
  0.739, 0.733, 0.729, 0.724, 0.720, 0.716, 0.712, 0.708];
const PUBLISHED_FACTORS: Record<number, { A2: number; D3: number; D4: number }> = {
  2: { A2: 1.880, D3: 0, D4: 3.267 }, 5: { A2: 0.577, D3: 0, D4: 2.114 }, 7: { A2: 0.419, D3: 0.076, D4: 1.924 },
  10: { A2: 0.308, D3: 0.223, D4: 1.777 }, 25: { A2: 0.153, D3: 0.459, D4: 1.541 },
};

const toPublished = (value: number) => Number(value.toFixed(3));

describe('control chart constants', () => {
  it('computes d2 and d3 from the distribution of the range, matching the published table for n = 2…25', () => {
    for (let n = 2; n <= 25; n++) {
      const { d2, d3 } = chartConstants(n);
      assert.equal(toPublished(d2), PUBLISHED_D2[n - 2], `d2 for n = ${n}: ${d2}`);
      assert.equal(toPublished(d3), PUBLISHED_D3[n - 2], `d3 for n = ${n}: ${d3}`);
    }
  });

  it('derives A2, D3 and D4 to the published digits', () => {
    for (const [n, expected] of Object.entries(PUBLISHED_FACTORS)) {
      const c = chartConstants(Number(n));
      assert.deepEqual({ A2: toPublished(c.A2), D3: toPublished(c.D3), D4: toPublished(c.D4) }, expected, `n = ${n}`);
    }
  });

  it('refuses subgroup sizes outside 2…25', () => {
    assert.throws(() => chartConstants(1), RangeError);
    assert.throws(() => chartConstants(26), RangeError);
    assert.throws(() => chartConstants(2.5), RangeError);
  });
});
