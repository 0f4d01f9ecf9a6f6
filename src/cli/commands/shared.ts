// Small pieces the commands share.
import type { DatasetName } from '../../data/catalog.ts'

/** The data set names a user types: fashion, fashion-mnist, mnist. */
export function datasetName(value: string): DatasetName {
  if (value === 'fashion' || value === 'fashion-mnist') return 'fashion-mnist'
  if (value === 'mnist') return 'mnist'
  throw new Error(`unknown dataset '${value}': choose fashion or mnist`)
}
