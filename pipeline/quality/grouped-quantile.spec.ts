import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { groupedQuantiles } from './grouped-quantile.js';

describe('grouped quantiles', () => {
  it('interpolates within the class holding the (p·N)-th value, as the textbook formula L + (pN − F)/f · w', () => {
    // Classes 0–10: 5, 10–20: 8, 20–30: 12, 30–40: 15, 40–50: 10 (N = 50). Median: the 25th value lies
    // in 20–30 (F = 13, f = 12): 20 + (25 − 13)/12 · 10 = 30. Q1: the 12.5th, in 10–20 (F = 5, f = 8):
    // 10 + 7.5/8 · 10 = 19.375. Q3: the 37.5th, in 30–40 (F = 25, f = 15): 30 + 12.5/15 · 10 = 38.333….
    const classes = [5, 8, 12, 15, 10].map((count, index) => ({ index, count }));
    const [q1, median, q3] = groupedQuantiles(classes, 10, [0.25, 0.5, 0.75]);
    assert.equal(median, 30);
    assert.equal(q1, 19.375);
    assert.ok(Math.abs(q3! - 38.3333333333) < 1e-9);
  });

  it('takes classes in any order, skips empty ones and keeps the extremes inside the counted classes', () => {
    const classes = [{ index: 7, count: 2 }, { index: 3, count: 0 }, { index: 5, count: 2 }];
    assert.deepEqual(groupedQuantiles(classes, 0.5, [0, 0.5, 1]), [2.5, 3, 4]);
    assert.deepEqual(groupedQuantiles([], 1, [0.5]), [null]);
  });

  it('lies within one class width of the exact quantile of dense data', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const values = Array.from({ length: 20_000 }, () => random() * random() * 2).sort((a, b) => a - b);
    const width = 1 / 256;
    const counts = new Map<number, number>();
    for (const v of values) counts.set(Math.floor(v / width), (counts.get(Math.floor(v / width)) ?? 0) + 1);
    const probabilities = [0.05, 0.25, 0.5, 0.75, 0.95];
    const estimates = groupedQuantiles([...counts].map(([index, count]) => ({ index, count })), width, probabilities);
    probabilities.forEach((p, k) => {
      const h = (values.length - 1) * p;
      const exact = values[Math.floor(h)]! + (h - Math.floor(h)) * (values[Math.ceil(h)]! - values[Math.floor(h)]!);
      assert.ok(Math.abs(estimates[k]! - exact) < width, `P${p * 100}: ${estimates[k]} vs ${exact}`);
    });
  });
});
