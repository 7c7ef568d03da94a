// The echarts the report pages inline: echarts/core with only the chart types,
// components and renderers the pages draw with (go-echarts v2.6.7 options).
// tools/echarts-build bundles and minifies this file with esbuild into
// reports/assets/echarts.min.js (make assets). Adding a chart type or a
// component to a page means adding it here, and to the list that
// reports/assets_test.go checks the bundle for.
import * as echarts from 'echarts/core';
import {
  BarChart, // bar, vertical and horizontal
  CustomChart, // custom series (interval whiskers)
  HeatmapChart, // heat maps and tile maps on category axes
  LineChart,
  MapChart, // map series; brings the geo component, for echarts.registerMap
  ScatterChart,
} from 'echarts/charts';
import {
  AriaComponent, // aria labels and decal patterns
  DatasetComponent,
  DataZoomComponent, // inside and slider
  GraphicComponent,
  GridComponent, // cartesian grid with category, value and time axes
  LegendComponent, // plain and scroll
  MarkAreaComponent,
  MarkLineComponent,
  MarkPointComponent,
  TitleComponent,
  ToolboxComponent, // saveAsImage
  TooltipComponent, // brings axisPointer
  VisualMapComponent, // continuous and piecewise
} from 'echarts/components';
import { CanvasRenderer, SVGRenderer } from 'echarts/renderers';
import { LabelLayout } from 'echarts/features'; // labelLayout.hideOverlap: map and heat-map labels never overprint

echarts.use([
  BarChart,
  CustomChart,
  HeatmapChart,
  LineChart,
  MapChart,
  ScatterChart,
  AriaComponent,
  DatasetComponent,
  DataZoomComponent,
  GraphicComponent,
  GridComponent,
  LegendComponent,
  MarkAreaComponent,
  MarkLineComponent,
  MarkPointComponent,
  TitleComponent,
  ToolboxComponent,
  TooltipComponent,
  VisualMapComponent,
  CanvasRenderer,
  SVGRenderer,
  LabelLayout,
]);

// The pages' inline scripts call echarts.init and echarts.registerMap on
// this global, as they would with the full dist/echarts.min.js.
window.echarts = echarts;
