// Saving what a view shows as a file: one way for the views' CSV and PNG and the parts' CSV.
import { tableToCsv, type TableData } from '../../../../pipeline/result-to-option';

/** A file name from a view's title: "Average of CycleTime — Line" → "average-of-cycletime-line.csv". */
export const fileNameOf = (title: string, extension: string): string => `${title.replace(/[^\w-]+/g, '-').toLowerCase()}.${extension}`;

/** Saves a URL (a data: URL, or a blob: URL while it lives) under `name`. */
export function saveUrl(name: string, url: string): void {
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = name;
  anchor.click();
}

/** Saves a table as CSV under `name`. */
export function saveCsv(name: string, table: TableData): void {
  const url = URL.createObjectURL(new Blob([tableToCsv(table)], { type: 'text/csv;charset=utf-8' }));
  saveUrl(name, url);
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
