// Rejected vs accepted: each field's standardized mean difference, (mean rejected − mean accepted)
// ÷ √((var rejected + var accepted) / 2), ranked by its size. |d| ≈ 0.2 is small, 0.5 medium, 0.8 large.
import type { ResultTable } from '../result-to-option.js';
import { numberColumn } from '../result-columns.js';

export interface FieldDifference {
  field: string;
  rejectedMean: number | null;
  acceptedMean: number | null;
  smd: number | null;
}

export function rankDifferences(table: ResultTable, fields: readonly string[]): FieldDifference[] {
  const first = (name: string) => numberColumn(table, name)[0] ?? null;
  return fields.map((field, i): FieldDifference => {
    const [rm, rv, am, av] = [`r_mean_${i}`, `r_var_${i}`, `a_mean_${i}`, `a_var_${i}`].map(first) as (number | null)[];
    const pooled = rv !== null && av !== null && rv !== undefined && av !== undefined ? Math.sqrt((rv + av) / 2) : null;
    return { field, rejectedMean: rm ?? null, acceptedMean: am ?? null,
      smd: pooled && rm !== null && am !== null && rm !== undefined && am !== undefined ? (rm - am) / pooled : null };
  }).sort((a, b) => Math.abs(b.smd ?? 0) - Math.abs(a.smd ?? 0));
}
