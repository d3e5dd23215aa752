// What a quality view hands the card: the chart, the table (and CSV), notes to show beside the
// chart, and the parts behind each clickable item (an item's `parts` indexes `scopes`).
import type { EChartsCoreOption } from 'echarts/core';
import type { TableData } from '../result-to-option.js';
import type { CapabilityGrade } from './capability.js';
import type { PartsScope } from './parts-scope.js';

export interface QualityNote {
  text: string;
  tone?: CapabilityGrade;
}

export interface QualityOutcome {
  option: EChartsCoreOption;
  table: TableData;
  notes: QualityNote[];
  scopes: PartsScope[];
}
