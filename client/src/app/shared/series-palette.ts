// The series colours of every chart, legible on the light and on the dark card: ECharts' own palette
// has a dark slate third colour (#505372) that all but disappears on the dark theme's background,
// and its dark theme keeps that palette. Mid-tone colours instead, with orange and red last: the
// first presses must not look like a control chart's signals (orange) and limits (red).
import type { EChartsCoreOption } from 'echarts/core';

const SERIES_PALETTE = ['#5070dd', '#b6d634', '#0ca8df', '#9d87d6', '#3fbe95', '#ffd10a', '#8c9bd6', '#fb628b', '#ff994d'];

/** The option with MoldLens' palette, unless it names its own colours. */
export const withSeriesPalette = (option: EChartsCoreOption): EChartsCoreOption => ({ color: SERIES_PALETTE, ...option });
