// Only the charts and components MoldLens draws, to keep the bundle small.
import { BarChart, BoxplotChart, HeatmapChart, LineChart, ScatterChart } from 'echarts/charts';
import { BrushComponent, DataZoomComponent, GridComponent, LegendComponent, TooltipComponent, VisualMapComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([LineChart, BarChart, ScatterChart, HeatmapChart, BoxplotChart, GridComponent, TooltipComponent,
  LegendComponent, DataZoomComponent, VisualMapComponent, BrushComponent, CanvasRenderer]);

export { echarts };
