// Where a chart's plot area sits in its card. ECharts 6 moves the axes in until their labels and
// names fit within the same margins (its `outerBounds`), so no axis name is cut off at the card's
// edge whatever the size of the labels beside it (its legacy `containLabel` kept only the labels in).
type Margin = number | string;

export interface PlotMargins {
  left: Margin;
  right: Margin;
  top: Margin;
  bottom: Margin;
}

export const plotArea = (margins: PlotMargins) => ({ ...margins, outerBoundsMode: 'auto', outerBounds: margins, outerBoundsContain: 'all' });
