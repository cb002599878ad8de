export { vegaLiteToSvg, svgToPng, VEGA_LITE_SCHEMA, VEGA_LITE_MIME, type VegaLiteSpec } from './render';
export * from './images';
export { filtersSpec, type FiltersSpecOptions } from './filters';
export { featureMapsSpec, type FeatureMapsSpecOptions } from './feature-maps';
export { channelWeightsSpec, heatmapOverlaySpec, type OverlayItem } from './attention';
export { trainingCurvesSpec, movingAverage, type CurvePoint, type HistoryRecord, type NamedHistory } from './training';
export { gradientFlowSpec, type GradientFlowRun } from './gradient-flow';
export { confusionMatrixSpec, type LabelPairs } from './confusion';
export { predictionGridSpec, type PredictionItem } from './predictions';
export { parameterBarsSpec, type ParameterRow } from './parameters';
export { receptiveFieldGrowthSpec, type ReceptiveFieldGrowthRow } from './receptive-field-growth';
export {
  plotlyHeatmapSpec,
  plotlySurfaceSpec,
  plotlyToVegaLiteSpec,
  PLOTLY_MIME,
  type PlotlyFigure,
  type PlotlyTrace,
} from './plotly';
export { textTable, type TextCell, type TextTableOptions } from './text-table';
export type { TensorLike, ArrayND, DataND } from './data';
