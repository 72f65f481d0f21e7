export { linePlot, type LinePlotOptions, type Series } from './line-plot.js';
export { heatmapPlot, type HeatmapOptions, type GridField, type ContourOverlay } from './heatmap.js';
export { flowFieldPlot, type FlowFieldOptions, type VectorField } from './flow-field.js';
export { composePanels, escapeXml } from './xml.js';
