// Seeded, class-balanced subsets of an image dataset: what the embedded sample is made with, and
// what a quick run can use to shrink the full data the same way.
import type { ImageDataset } from './datasets.ts'

// mulberry32: tiny, seeded, and the same in every JS engine, so a selection never drifts. Kept
// here rather than borrowed from src/tensor so the data layer depends on nothing else.
export function mulberry32(seed: number): () => number {
  let a = seed | 0
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

// Picks `perClass` indices of each class (a partial Fisher-Yates shuffle per class, classes in
// order 0, 1, ...), then sorts them so a subset keeps the source's order, classes interleaved.
export function selectBalanced(labels: Uint8Array, classes: number, perClass: number, rand: () => number): number[] {
  const byClass: number[][] = Array.from({ length: classes }, () => [])
  labels.forEach((label, i) => byClass[label]?.push(i))
  const chosen: number[] = []
  byClass.forEach((pool, c) => {
    if (pool.length < perClass) throw new Error(`selectBalanced: class ${c} has ${pool.length} examples, fewer than the ${perClass} wanted`)
    for (let i = 0; i < perClass; i++) {
      const j = i + Math.floor(rand() * (pool.length - i))
      ;[pool[i], pool[j]] = [pool[j]!, pool[i]!]
    }
    chosen.push(...pool.slice(0, perClass))
  })
  return chosen.sort((a, b) => a - b)
}

/** The images and labels at `indices`, in that order. */
export function takeExamples(dataset: Pick<ImageDataset, 'images' | 'labels' | 'rows' | 'cols'>, indices: readonly number[]): { images: Uint8Array; labels: Uint8Array } {
  const pixels = dataset.rows * dataset.cols
  const images = new Uint8Array(indices.length * pixels)
  const labels = new Uint8Array(indices.length)
  indices.forEach((src, dst) => {
    images.set(dataset.images.subarray(src * pixels, (src + 1) * pixels), dst * pixels)
    labels[dst] = dataset.labels[src]!
  })
  return { images, labels }
}
