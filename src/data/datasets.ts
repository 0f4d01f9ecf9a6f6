// Finding and loading MNIST-format image datasets (Fashion-MNIST, MNIST) from IDX files.
// Returns plain typed arrays; turning them into tensors is the caller's business, so this module
// depends on nothing else in genkata.
import { existsSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { candidateNames, DATASETS, describeCandidates, type DatasetName, type Split } from './catalog.ts'
import { readIdxFile, type IdxArray } from './idx.ts'

export interface ImageDataset {
  name: DatasetName
  split: Split
  /** count*rows*cols pixels, 0..255, row-major, one image after another */
  images: Uint8Array
  /** count labels, each < classes.length */
  labels: Uint8Array
  count: number
  rows: number
  cols: number
  classes: string[]
  /** the directory the files were read from */
  source: string
  files: { images: string; labels: string }
  /** true for genkata's embedded sample, a small subset of the real dataset */
  sample: boolean
}

export interface DatasetLocation {
  name: DatasetName
  split: Split
  dir: string
  images: string
  labels: string
}

/** What one searched directory held; a dataset is found where both files are present. */
export interface PlaceReport {
  dir: string
  exists: boolean
  images?: string
  labels?: string
}

export interface FindOptions {
  name: DatasetName
  split: Split
  /** look only here (an error if the files are not there) */
  dataDir?: string
  /** where to look without dataDir; defaults to defaultSearchDirs(name) */
  searchDirs?: readonly string[]
}

/** ./data/<name> (from the working directory), then Debian's /usr/share/datasets/<name>. */
export function defaultSearchDirs(name: DatasetName, cwd: string = process.cwd()): string[] {
  return [resolve(cwd, 'data', name), `/usr/share/datasets/${name}`]
}

const isFile = (path: string) => existsSync(path) && statSync(path).isFile()

function firstExisting(dir: string, names: string[]): string | undefined {
  for (const name of names) {
    for (const file of [name, `${name}.gz`]) if (isFile(join(dir, file))) return join(dir, file)
  }
  return undefined
}

export function inspectDir(dir: string, split: Split): PlaceReport {
  const exists = existsSync(dir) && statSync(dir).isDirectory()
  if (!exists) return { dir, exists }
  const report: PlaceReport = { dir, exists }
  const images = firstExisting(dir, candidateNames(split, 'images'))
  const labels = firstExisting(dir, candidateNames(split, 'labels'))
  if (images !== undefined) report.images = images
  if (labels !== undefined) report.labels = labels
  return report
}

function whatIsMissing(place: PlaceReport, split: Split): string {
  if (!place.exists) return 'no such directory'
  const missing: string[] = []
  if (place.images === undefined) missing.push(`no ${split} images (looked for ${describeCandidates(candidateNames(split, 'images'))})`)
  if (place.labels === undefined) missing.push(`no ${split} labels (looked for ${describeCandidates(candidateNames(split, 'labels'))})`)
  return missing.join('; ')
}

/** Every place searched, in order, and the first one that holds both files (null if none). */
export function surveyDataset(options: FindOptions): { found: DatasetLocation | null; places: PlaceReport[] } {
  const { name, split } = options
  const dirs = options.dataDir !== undefined ? [resolve(options.dataDir)] : (options.searchDirs ?? defaultSearchDirs(name))
  const places = dirs.map((dir) => inspectDir(dir, split))
  const hit = places.find((p) => p.images !== undefined && p.labels !== undefined)
  const found = hit ? { name, split, dir: hit.dir, images: hit.images!, labels: hit.labels! } : null
  return { found, places }
}

/** Where the dataset's files are; throws, listing every place looked at, when none has them. */
export function findDataset(options: FindOptions): DatasetLocation {
  const { found, places } = surveyDataset(options)
  if (found) return found
  const info = DATASETS[options.name]
  const what = `${info.title} (${options.split} split)`
  if (options.dataDir !== undefined) {
    throw new Error(`${what} not found in the data directory ${places[0]!.dir}: ${whatIsMissing(places[0]!, options.split)}`)
  }
  const lines = places.map((p) => `  ${p.dir}: ${whatIsMissing(p, options.split)}`)
  throw new Error(`${what} not found. Looked in:\n${lines.join('\n')}\nTo get it: ${info.howToGet}.`)
}

function checkImages(array: IdxArray, path: string): { count: number; rows: number; cols: number } {
  if (array.dtype !== 'uint8' || array.shape.length !== 3) {
    throw new Error(`${path}: expected images as a 3-D uint8 IDX array [count, rows, cols], found ${array.dtype} [${array.shape.join(', ')}]`)
  }
  const [count, rows, cols] = array.shape as [number, number, number]
  return { count, rows, cols }
}

function checkLabels(array: IdxArray, path: string, classes: readonly string[], title: string): void {
  if (array.dtype !== 'uint8' || array.shape.length !== 1) {
    throw new Error(`${path}: expected labels as a 1-D uint8 IDX array [count], found ${array.dtype} [${array.shape.join(', ')}]`)
  }
  const data = array.data
  for (let i = 0; i < data.length; i++) {
    if (data[i]! >= classes.length) {
      throw new Error(`${path}: label ${data[i]} at index ${i} is out of range: ${title} has ${classes.length} classes, labels 0..${classes.length - 1}`)
    }
  }
}

/** Reads and checks the two IDX files of a located dataset. */
export function loadDatasetAt(location: DatasetLocation, sample = false): ImageDataset {
  const { name, split } = location
  const info = DATASETS[name]
  const imagesArray = readIdxFile(location.images)
  const { count, rows, cols } = checkImages(imagesArray, location.images)
  const labelsArray = readIdxFile(location.labels)
  checkLabels(labelsArray, location.labels, info.classes, info.title)
  if (labelsArray.shape[0] !== count) {
    throw new Error(
      `${location.dir}: image and label counts differ: ${count} images in ${location.images}, ${labelsArray.shape[0]} labels in ${location.labels}`,
    )
  }
  return {
    name,
    split,
    images: imagesArray.data as Uint8Array,
    labels: labelsArray.data as Uint8Array,
    count,
    rows,
    cols,
    classes: [...info.classes],
    source: location.dir,
    files: { images: location.images, labels: location.labels },
    sample,
  }
}

/** Finds (see findDataset for the search order) and loads one split of a dataset. */
export function loadImageDataset(options: FindOptions): ImageDataset {
  return loadDatasetAt(findDataset(options))
}
