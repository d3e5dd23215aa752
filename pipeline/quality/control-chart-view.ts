// A control-chart model → ECharts option (X̄ over R, I over MR, or the p-chart alone, panels sharing
// the subgroup time axis), its table (one row per subgroup) and its notes, all in the model's time zone.
import type { EChartsCoreOption } from 'echarts/core';
import type { Cell, TableData } from '../result-to-option.js';
import { formatInstant, formatWallClock, fromWallClock } from '../time-zone.js';
import { plotArea } from '../plot-area.js';
import { CENTER_COLOR, itemTooltip, LIMIT_COLOR, limitLine, partsIndexOf, sig, WARNING_COLOR } from './chart-style.js';
import type { ControlChartModel, ControlPoint } from './control-chart-model.js';
import { MAX_SUBGROUPS_SHOWN } from './control-chart-sql.js';
import type { PartsScope } from './parts-scope.js';
import { describeSignals, type RunRule } from './run-rules.js';

const LABELS: Record<ControlChartModel['chart'], { stat: string; spread: string | null }> = {
  xbar_r: { stat: 'X̄', spread: 'R' },
  imr: { stat: 'I', spread: 'MR' },
  p_chart: { stat: 'p', spread: null },
};

export function controlChartScopes(model: ControlChartModel): PartsScope[] {
  return model.points.map((p): PartsScope => (p.firstRank !== null && p.lastRank !== null && p.press !== null
    ? { kind: 'sequence', field: model.field, press: p.press, firstRank: p.firstRank, lastRank: p.lastRank }
    : { kind: 'time', press: p.press, fromMs: fromWallClock(model.zone, p.startMs), toMs: fromWallClock(model.zone, p.endMs) }));
}

function signalText(point: ControlPoint, labels: (typeof LABELS)[keyof typeof LABELS]): string {
  return [point.signals.length ? `${labels.stat}: ${describeSignals(point.signals)}` : '',
    point.spreadSignals.length ? `${labels.spread}: ${describeSignals(point.spreadSignals)}` : ''].filter(Boolean).join('; ');
}

export function controlChartTable(model: ControlChartModel): TableData {
  const labels = LABELS[model.chart];
  const spreadColumns = labels.spread ? [labels.spread, `${labels.spread} center line`, `${labels.spread} UCL`, `${labels.spread} LCL`] : [];
  const zone = model.zone.name;
  return {
    columns: [`Subgroup start (${zone})`, `Subgroup end (${zone})`, 'Press', 'Parts', ...(model.chart === 'p_chart' ? ['Flagged'] : []),
      labels.stat, `${labels.stat} center line`, `${labels.stat} UCL`, `${labels.stat} LCL`, ...spreadColumns, 'signals'],
    rows: model.points.map((p): Cell[] => [
      formatWallClock(p.startMs, 'second'), formatWallClock(p.endMs, 'second'), p.press, p.size,
      ...(model.chart === 'p_chart' ? [p.value === null ? null : Math.round(p.value * p.size)] : []),
      p.value, p.limits?.center ?? null, p.limits?.ucl ?? null, p.limits?.lcl ?? null,
      ...(labels.spread ? [p.spread, p.spreadLimits?.center ?? null, p.spreadLimits?.ucl ?? null, p.spreadLimits?.lcl ?? null] : []),
      signalText(p, labels),
    ]),
  };
}

export function controlChartNotes(model: ControlChartModel): string[] {
  // An empty chart says why instead of showing bare axes.
  if (!model.points.length) return ['No subgroups: no parts match the filters of this view and the dashboard'];
  const notes: string[] = [];
  const time = (ms: number | null) => (ms === null ? '…' : formatInstant(model.zone, ms));
  notes.push(model.baseline ? `Limits from ${time(model.baseline.fromMs)} to ${time(model.baseline.toMs)} (${model.zone.name})` : 'Limits from all subgroups');
  if (model.points.every((p) => !p.limits)) notes.push('No subgroup falls in the baseline: there are no limits to judge by');
  for (const [series, sigma] of model.sigmaWithin) notes.push(`${series ? `${series}: ` : ''}σ within = ${sig(sigma)}`);
  if (model.total > model.points.length) notes.push(`Showing the latest ${MAX_SUBGROUPS_SHOWN.toLocaleString('en')} of ${model.total.toLocaleString('en')} subgroups`);
  const signalling = model.points.filter((p) => p.signals.length || p.spreadSignals.length).length;
  notes.push(signalling ? `${signalling} subgroup${signalling > 1 ? 's' : ''} signal` : 'No signals');
  return notes;
}

export function controlChartOption(model: ControlChartModel): EChartsCoreOption {
  const labels = LABELS[model.chart];
  const twoPanels = labels.spread !== null;
  // Presses in their names' order (machine-2 before machine-10), not in the order their first subgroup came.
  const groups = [...new Set(model.points.map((p) => p.series))].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  const multi = groups.length > 1;
  const indexed = model.points.map((point, index) => ({ point, index }));
  const panel = (which: 'stat' | 'spread', axis: number) => {
    const valueOf = (p: ControlPoint) => (which === 'stat' ? p.value : p.spread);
    const limitsOf = (p: ControlPoint) => (which === 'stat' ? p.limits : p.spreadLimits);
    const signalsOf = (p: ControlPoint): RunRule[] => (which === 'stat' ? p.signals : p.spreadSignals);
    const label = which === 'stat' ? labels.stat : labels.spread!;
    const members = groups.map((group) => indexed.filter(({ point }) => point.series === group));
    // A point's tooltip is written when it is shown, not for each of thousands of points up front.
    const tip = (point: ControlPoint): string => {
      const limits = limitsOf(point);
      const rules = signalsOf(point);
      return [`${formatWallClock(point.startMs, 'second')} (${model.zone.name})${point.press ? ` · ${point.press}` : ''} · ${point.size} parts`,
        `${label} = ${sig(valueOf(point))}`, limits ? `CL ${sig(limits.center)} · UCL ${sig(limits.ucl)} · LCL ${sig(limits.lcl)}` : '',
        rules.length ? `⚠ ${describeSignals(rules)}` : ''].filter(Boolean).join('<br>');
    };
    const tooltip = { formatter: (p: { data?: unknown }) => {
      const index = partsIndexOf(p.data);
      return index === undefined ? '' : tip(model.points[index]!);
    } };
    // Arrays, not objects: ECharts reads thousands of them much faster (time, value, index of the parts).
    const item = ({ point, index }: (typeof indexed)[number]) => [point.startMs, valueOf(point), index];
    // One series per limit for every press, each press's steps apart (a null breaks the line): a few
    // series instead of three per press, which is most of the cost of drawing a chart per press.
    const limitSeries = (key: 'ucl' | 'center' | 'lcl', text: string, color: string) => limitLine(`${label} ${text}`,
      members.flatMap((own, i) => [...(i ? [[own[0]!.point.startMs, null] as [number, null]] : []),
        ...stepCorners(own.map(({ point }) => [point.startMs, limitsOf(point)?.[key] ?? null]))]), color, axis, axis);
    return [
      // Named by press alone on both panels: ECharts colours series by name, so a press has one colour on both.
      ...groups.map((group, i) => ({ type: 'line', name: multi ? group : label, xAxisIndex: axis, yAxisIndex: axis,
        data: members[i]!.map(item), showSymbol: members[i]!.length <= 400, symbolSize: 4, sampling: members[i]!.length > 2000 ? 'lttb' : undefined,
        lineStyle: { width: 1 }, z: 2, tooltip })),
      limitSeries('ucl', 'UCL', LIMIT_COLOR), limitSeries('center', 'center', CENTER_COLOR), limitSeries('lcl', 'LCL', LIMIT_COLOR),
      { type: 'scatter', name: `${label} signals`, xAxisIndex: axis, yAxisIndex: axis, symbolSize: 9, z: 3, tooltip,
        itemStyle: { color: WARNING_COLOR }, data: indexed.filter(({ point }) => signalsOf(point).length).map(item) },
    ];
  };
  const grid = (twoPanels ? [{ left: 8, right: 16, top: multi ? 40 : 16, bottom: '40%' }, { left: 8, right: 16, top: '66%', bottom: 8 }]
    : [{ left: 8, right: 16, top: multi ? 40 : 16, bottom: 8 }]).map(plotArea);
  const axes = grid.map((_, i) => i);
  return {
    backgroundColor: 'transparent',
    // Times are wall-clock milliseconds in the model's zone: shown as they are, never converted again.
    useUTC: true,
    animation: false,
    grid,
    legend: multi ? { type: 'scroll', top: 0, data: groups } : undefined,
    tooltip: itemTooltip,
    axisPointer: { link: [{ xAxisIndex: 'all' }] },
    xAxis: axes.map((i) => ({ type: 'time', gridIndex: i, axisLabel: { hideOverlap: true, show: i === axes.length - 1 || !twoPanels } })),
    yAxis: axes.map((i) => ({ type: 'value', gridIndex: i, scale: true, name: i === 0 ? labels.stat : labels.spread,
      // About four intervals on the statistic's panel and two on the spread's, a third of the chart's
      // height, keep their labels apart (five and three drew 20, 22, … 34 and 10, 20, 30 touching).
      nameTextStyle: { align: 'left' }, splitNumber: i === 0 ? 4 : 2,
      // A share runs from 0 to 1: its axis never shows values it cannot take (every p = 1 drew 0.4–1.6).
      // Within them ECharts picks round bounds (undefined = its own choice).
      ...(model.chart === 'p_chart' ? { min: (extent: { min: number }) => (extent.min <= 0 ? 0 : undefined),
        max: (extent: { max: number }) => (extent.max >= 1 ? 1 : undefined) } : {}) })),
    // Not 'filter': limit lines keep only their steps' corners, which a zoom window would drop.
    dataZoom: [{ type: 'inside', xAxisIndex: axes, filterMode: 'none' }],
    series: [...panel('stat', 0), ...(twoPanels ? panel('spread', 1) : [])],
  };
}

/**
 * A step line's points without the ones inside a run of equal values: the first and last point of
 * each run stay, so the line (stepping halfway between points) is drawn exactly as with all of them,
 * from a few points instead of thousands when limits are constant.
 */
export function stepCorners(points: [number, number | null][]): [number, number | null][] {
  return points.filter(([, v], i) => i === 0 || i === points.length - 1 || points[i - 1]![1] !== v || points[i + 1]![1] !== v);
}
