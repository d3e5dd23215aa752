// Western Electric run rules over one series of points in time order, each given as its distance
// from the center line in sigmas (z). A point signals a rule when the pattern ends at that point and
// the point itself is part of it, so the warning colour marks where the evidence became enough.
export const RUN_RULES = [1, 2, 3, 4] as const;
export type RunRule = (typeof RUN_RULES)[number];

export const RUN_RULE_LABELS: Record<RunRule, string> = {
  1: 'Rule 1: a point beyond 3σ',
  2: 'Rule 2: 2 of 3 beyond 2σ on one side',
  3: 'Rule 3: 4 of 5 beyond 1σ on one side',
  4: 'Rule 4: 8 in a row on one side',
};

/** Window length and how many points in it must lie beyond `sigmas` on the current point's side. */
const PATTERNS: Record<RunRule, { window: number; needed: number; sigmas: number }> = {
  1: { window: 1, needed: 1, sigmas: 3 },
  2: { window: 3, needed: 2, sigmas: 2 },
  3: { window: 5, needed: 4, sigmas: 1 },
  4: { window: 8, needed: 8, sigmas: 0 },
};

/** For each point, the enabled rules it signals (empty when none); a null z never signals or counts. */
export function runRuleSignals(z: readonly (number | null)[], rules: readonly RunRule[]): RunRule[][] {
  return z.map((current, i) => {
    if (current === null || current === 0) return [];
    const side = Math.sign(current);
    return rules.filter((rule) => {
      const { window, needed, sigmas } = PATTERNS[rule];
      if (side * current <= sigmas || i + 1 < needed) return false;
      let beyond = 0;
      for (let j = Math.max(0, i - window + 1); j <= i; j++) {
        const value = z[j];
        if (value !== null && value !== undefined && side * value > sigmas) beyond++;
      }
      return beyond >= needed;
    });
  });
}

export const describeSignals = (rules: readonly RunRule[]): string => rules.map((r) => RUN_RULE_LABELS[r]).join('; ');
