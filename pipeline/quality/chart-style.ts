// What the quality charts share: the warning colour of signalling points, limit-line styles, and
// the tooltip that shows each item's own text.
export const WARNING_COLOR = '#e8590c';
export const LIMIT_COLOR = '#c92a2a';
export const CENTER_COLOR = '#868e96';
export const GOOD_COLOR = '#2b8a3e';
export const MARGINAL_COLOR = '#e67700';

/** A data item that carries the text its tooltip shows and the index of the parts behind it. */
export interface TippedItem {
  value: (number | string | null)[] | number | null;
  tip: string;
  parts?: number;
}

/** The index of the parts scope a chart item stands for: `parts` of an object item, the third value of an array item. */
export const partsIndexOf = (data: unknown): number | undefined => {
  const index = Array.isArray(data) ? data[2] : (data as { parts?: unknown } | null | undefined)?.parts;
  return typeof index === 'number' ? index : undefined;
};

export const itemTooltip = {
  trigger: 'item',
  confine: true,
  formatter: (p: { data?: { tip?: string } }) => p.data?.tip ?? '',
};

export const limitLine = (name: string, data: [number, number | null][], color: string, xAxisIndex = 0, yAxisIndex = 0) => ({
  type: 'line', name, data, xAxisIndex, yAxisIndex, step: 'middle', showSymbol: false, silent: true,
  lineStyle: { color, width: 1, type: color === CENTER_COLOR ? 'solid' : 'dashed' }, itemStyle: { color }, z: 1,
});

/** Enough significant digits to tell a limit from its center line (74.0144 vs 74.0013). */
export const sig = (v: number | null): string => (v === null || !Number.isFinite(v) ? '—' : String(Number(v.toPrecision(6))));
