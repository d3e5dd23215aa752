// Quantiles of grouped data: from counts per class of equal width, the textbook interpolation
// Q(p) = L + (p·N − F) / f · w, where the class holding the (p·N)-th value starts at L, is w wide,
// holds f values and F values lie below it. Used where exact quantiles would need every value kept
// (the near misses' pre-aggregated table keeps counts per class instead).

/** One class: its index (it spans [index·width, (index + 1)·width)) and how many values fell in it. */
export interface ClassCount {
  index: number;
  count: number;
}

/** The quantiles `probabilities` (each in [0, 1]) of values counted in `classes` (any order), or nulls when there are none. */
export function groupedQuantiles(classes: readonly ClassCount[], width: number, probabilities: readonly number[]): (number | null)[] {
  const sorted = classes.filter((c) => c.count > 0).sort((a, b) => a.index - b.index);
  const total = sorted.reduce((sum, c) => sum + c.count, 0);
  if (total === 0) return probabilities.map(() => null);
  return probabilities.map((p) => {
    const rank = p * total;
    let below = 0;
    for (const c of sorted) {
      if (below + c.count >= rank) return (c.index + Math.max(0, rank - below) / c.count) * width;
      below += c.count;
    }
    return (sorted.at(-1)!.index + 1) * width;
  });
}
