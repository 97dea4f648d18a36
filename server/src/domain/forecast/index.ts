export * from './config';
export { computeForecast, type ForecastResult } from './compute-forecast';
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
} from './statistical/statistical-forecast';
