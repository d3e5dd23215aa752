// Wires a drawn chart to the dashboard filter: a drag across a time axis, a histogram or a scatter
// plot brushes a range; a click on a point, a bar or (on a time line) anywhere asks what to do with
// that point; a legend item filters to its press or defect type instead of hiding the series.
import type { ECharts, EChartsCoreOption } from 'echarts/core';
import type { ViewQuery } from '../../../../pipeline/spec-to-sql';
import type { ViewSpec } from '../../../../pipeline/view-spec';

/** Which dimension a drag on this chart selects, if any. */
export function brushDimension(spec: ViewSpec, query: ViewQuery): 'time' | 'field' | null {
  if (spec.chart === 'line' && query.xKind === 'time') return 'time';
  if (spec.chart === 'histogram' || spec.chart === 'scatter') return 'field';
  return null;
}

/** The chart's option with a horizontal brush, when the chart has something to brush. */
export function withBrush(option: EChartsCoreOption, dimension: 'time' | 'field' | null): EChartsCoreOption {
  if (!dimension) return option;
  return { ...option, brush: { xAxisIndex: 0, brushType: 'lineX', brushMode: 'single', brushLink: 'none', transformable: false,
    throttleType: 'debounce', throttleDelay: 200, outOfBrush: { colorAlpha: 0.25 }, removeOnClick: true,
    // No toolbox buttons: the brush is taken by a drag (the toolbox component is not even bundled).
    toolbox: [] } };
}

export interface ChartClick {
  clientX: number;
  clientY: number;
  dataIndex: number;
  seriesId?: string;
  data?: unknown;
}

export interface ChartLinkHandlers {
  /** A range brushed on x, or null when the brush was cleared. */
  brushed(range: [number, number] | null): void;
  clicked(click: ChartClick): void;
  legendClicked(seriesName: string): void;
}

interface EventWithPointer { event?: { offsetX: number; offsetY: number } }

/**
 * Where a chart event happened, in viewport coordinates (where the point menu opens). From
 * zrender's offsets within the chart, which it gives for touches too: a TouchEvent has no clientX.
 */
export function viewportPoint(chart: ECharts, event: { offsetX: number; offsetY: number }): { clientX: number; clientY: number } {
  const box = chart.getDom().getBoundingClientRect();
  return { clientX: box.left + event.offsetX, clientY: box.top + event.offsetY };
}

/** The plot-area click listener set on each chart, so it alone is removed (ECharts keeps its own there too). */
const plotClicks = new WeakMap<ECharts, (event: { offsetX: number; offsetY: number }) => void>();

/** Whether the chart is to take the brush cursor at the next press on it. */
const brushPending = new WeakMap<ECharts, boolean>();

const takeBrushCursor = (chart: ECharts) =>
  chart.dispatchAction({ type: 'takeGlobalCursor', key: 'brush', brushOption: { brushType: 'lineX', brushMode: 'single' } });

/**
 * The brush cursor, taken when a press starts on the chart rather than with each new option (ECharts
 * forgets it then): taking it lays the whole chart out again, which was a third of the cost of
 * drawing a new result. The capturing listener runs before zrender's own, so the press that starts a
 * drag already draws the brush.
 */
function takeBrushCursorOnPress(chart: ECharts): void {
  if (!brushPending.has(chart)) {
    chart.getDom().addEventListener('pointerdown', () => {
      if (!brushPending.get(chart)) return;
      brushPending.set(chart, false);
      takeBrushCursor(chart);
    }, { capture: true });
  }
  brushPending.set(chart, true);
}

/** Listens to the chart; call again after each new option. */
export function linkChart(chart: ECharts, dimension: 'time' | 'field' | null, handlers: ChartLinkHandlers): void {
  chart.off('brushEnd');
  chart.off('click');
  chart.off('legendselectchanged');
  const previous = plotClicks.get(chart);
  if (previous) chart.getZr().off('click', previous);
  if (brushPending.has(chart)) brushPending.set(chart, false);
  if (dimension) {
    takeBrushCursorOnPress(chart);
    chart.on('brushEnd', (event) => {
      const area = (event as { areas: { coordRange?: [number, number] }[] }).areas[0];
      handlers.brushed(area?.coordRange ? [area.coordRange[0], area.coordRange[1]] : null);
    });
  }
  let hitSeries = false;
  chart.on('click', (event) => {
    const e = event as EventWithPointer & { dataIndex: number; seriesId?: string; data?: unknown; componentType: string };
    if (e.componentType !== 'series') return;
    hitSeries = true;
    // The menu opens at the point: the tooltip would cover it.
    chart.dispatchAction({ type: 'hideTip' });
    if (!e.event) return;
    handlers.clicked({ ...viewportPoint(chart, e.event), dataIndex: e.dataIndex, seriesId: e.seriesId, data: e.data });
  });
  if (dimension === 'time') {
    // A time line has no bars to hit: a click anywhere on the plot picks the bucket under it.
    const onPlotClick = (event: { offsetX: number; offsetY: number }) => {
      if (hitSeries) {
        hitSeries = false;
        return;
      }
      const pixel = [event.offsetX, event.offsetY];
      if (!chart.containPixel({ gridIndex: 0 }, pixel)) return;
      const [x] = chart.convertFromPixel({ gridIndex: 0 }, pixel) as number[];
      chart.dispatchAction({ type: 'hideTip' });
      handlers.clicked({ ...viewportPoint(chart, event), dataIndex: -1, data: [x] });
    };
    plotClicks.set(chart, onPlotClick);
    chart.getZr().on('click', onPlotClick);
  }
  chart.on('legendselectchanged', (event) => {
    const { name, selected } = event as { name: string; selected: Record<string, boolean> };
    // Undo the hide: a legend item filters the dashboard instead.
    chart.dispatchAction({ type: selected[name] ? 'legendUnSelect' : 'legendSelect', name });
    handlers.legendClicked(name);
  });
}

/** Shows the dashboard's current range on the chart it was brushed on (and takes the brush cursor, to move it). */
export function showBrush(chart: ECharts, range: [number, number]): void {
  brushPending.set(chart, false);
  takeBrushCursor(chart);
  chart.dispatchAction({ type: 'brush', areas: [{ brushType: 'lineX', xAxisIndex: 0, coordRange: range }] });
}
