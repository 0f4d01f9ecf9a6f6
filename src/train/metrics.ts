// Per-epoch metrics of a run, as the report layer writes them (metrics.json and metrics.csv).
import { writeMetricsFiles } from '../report/metrics.ts'

export interface EpochMetrics {
  epoch: number
  train_loss: number
  train_reconstruction: number
  train_kl: number
  test_loss: number
  test_reconstruction: number
  test_kl: number
  test_mse: number
  images_per_second: number
}

export function writeMetrics(dir: string, history: readonly EpochMetrics[]): void {
  writeMetricsFiles(dir, 'metrics', history as unknown as Record<string, number>[])
}
