export * from './config';
export {
  computeForecast,
  type ForecastOptions,
  type ForecastResult,
  type TrainingInputs,
} from './compute-forecast';
export { forEachTrainingInput } from './statistical/training-key';
export type { ForecastRow, ForecastTrace, AdjustmentAudit } from './rows';
export type { Waterfall } from './waterfall/compute-waterfalls';
export {
  buildWaterfall,
  CHANGE_REASONS,
  type DealPoint,
  type ChangeReason,
} from './waterfall/build-waterfall';
export type {
  StatisticalResult,
  Backtest,
  BacktestQuarter,
  CalibrationBin,
  StatisticalModel,
} from './statistical/statistical-forecast';
