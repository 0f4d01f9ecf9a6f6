// Grids of grayscale images: samples, originals above their reconstructions, latent traversals.
// Pixel values are read as intensities in [0, 1] and clamped there (a decoder's sigmoid output
// fits; a raw logit does not, and clamping shows it as black or white rather than failing). NaN
// is an error: it means training diverged, and a gray square would hide that.
//
// Layout (pixel-exact, in output pixels): every gap is `pad` wide, the outer border too. With
// cell width W = w * scale and height H = h * scale, image (r, c) has its top-left corner at
//   x = pad + labelWidth + c * (W + pad),   y = pad + headerHeight + r * (H + pad)
// where labelWidth (row labels) and headerHeight (column labels) are 0 without labels.
import { createImage, fillRect, type Image } from './canvas.ts'
import { CAP_HEIGHT, drawText, measureText, TEXT_HEIGHT } from './font.ts'

type Pixels = Float32Array | Float64Array

// Several images as separate arrays (each h*w, row-major); one array of n images back to back,
// with options.imageShape giving [h, w]; or one array with its shape, [n, h, w] or [n, 1, h, w]
// (a contiguous NCHW batch with one channel, say a tensor's toTypedArray() and shape).
export type ImageBatch = readonly Pixels[] | Pixels | { data: Pixels; shape: readonly number[] }

export interface GridOptions {
  rows?: number
  cols?: number
  pad?: number
  // Integer upscale, nearest neighbour: 28x28 digits are small on a screen.
  scale?: number
  // Height and width of each image for the forms without a shape: required for one flat array,
  // and by default square for an array of images.
  imageShape?: readonly [number, number]
  // One label per row, drawn to the left of it, and one per column, drawn above it.
  labels?: readonly string[]
  colLabels?: readonly string[]
  // Gray level of the padding, in [0, 1].
  background?: number
  labelScale?: number
}

interface Batch {
  images: (ArrayLike<number> | null)[] // null: an empty cell
  h: number
  w: number
}

function unpack(batch: ImageBatch, imageShape: readonly [number, number] | undefined, op: string): Batch {
  if (ArrayBuffer.isView(batch)) {
    if (!imageShape) throw new RangeError(`${op}: one flat array of ${batch.length} values needs imageShape: [height, width]`)
    const [h, w] = imageShape
    const n = batch.length / (h * w)
    if (!Number.isInteger(n)) throw new RangeError(`${op}: ${batch.length} values are not a whole number of ${h}x${w} images`)
    return unpack({ data: batch, shape: [n, h, w] }, undefined, op)
  }
  if (Array.isArray(batch)) {
    const images = batch as readonly Pixels[]
    if (images.length === 0) throw new RangeError(`${op}: expected at least one image, got none`)
    const len = images[0]!.length
    let h: number
    let w: number
    if (imageShape) [h, w] = imageShape
    else {
      h = w = Math.round(Math.sqrt(len))
      if (h * w !== len) throw new RangeError(`${op}: images of ${len} pixels are not square; pass imageShape: [height, width]`)
    }
    images.forEach((img, i) => {
      if (img.length !== h * w) throw new RangeError(`${op}: expected every image to have ${h}x${w} = ${h * w} pixels, image ${i} has ${img.length}`)
    })
    return { images: [...images], h, w }
  }
  const { data, shape } = batch as { data: Pixels; shape: readonly number[] }
  const ok = (shape.length === 3 || (shape.length === 4 && shape[1] === 1)) && shape.every((d) => Number.isInteger(d) && d > 0)
  if (!ok) throw new RangeError(`${op}: expected a batch shape [n, h, w] or [n, 1, h, w] of positive sizes, got [${shape.join(', ')}]`)
  const [n, h, w] = [shape[0]!, shape.at(-2)!, shape.at(-1)!]
  if (data.length !== n * h * w) throw new RangeError(`${op}: shape [${shape.join(', ')}] needs ${n * h * w} values, data has ${data.length}`)
  return { images: Array.from({ length: n }, (_, i) => data.subarray(i * h * w, (i + 1) * h * w)), h, w }
}

function renderGrid(batch: Batch, o: GridOptions, op: string): Image {
  const n = batch.images.length
  const { pad = 2, scale = 1, background = 1, labelScale = 1 } = o
  for (const [name, v] of [['pad', pad], ['scale', scale], ['labelScale', labelScale]] as const) {
    if (!Number.isInteger(v) || v < (name === 'pad' ? 0 : 1)) throw new RangeError(`${op}: ${name} must be an integer >= ${name === 'pad' ? 0 : 1}, got ${v}`)
  }
  if (!(background >= 0 && background <= 1)) throw new RangeError(`${op}: background must be a gray level in [0, 1], got ${background}`)
  let { rows, cols } = o
  if (cols === undefined && rows === undefined) cols = Math.ceil(Math.sqrt(n))
  if (cols === undefined) cols = Math.ceil(n / rows!)
  if (rows === undefined) rows = Math.ceil(n / cols)
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 1 || cols < 1 || rows * cols < n) {
    throw new RangeError(`${op}: ${n} images do not fit a grid of ${rows} rows x ${cols} columns`)
  }
  if (o.labels && o.labels.length !== rows) throw new RangeError(`${op}: expected ${rows} row labels, got ${o.labels.length}`)
  if (o.colLabels && o.colLabels.length !== cols) throw new RangeError(`${op}: expected ${cols} column labels, got ${o.colLabels.length}`)

  const W = batch.w * scale
  const H = batch.h * scale
  const labelWidth = o.labels ? Math.max(...o.labels.map((l) => measureText(l, labelScale).width)) + pad + 2 : 0
  const headerHeight = o.colLabels ? TEXT_HEIGHT * labelScale + 2 : 0
  const img = createImage(pad + labelWidth + cols * (W + pad), pad + headerHeight + rows * (H + pad), 1, Math.round(background * 255))
  const ink = background < 0.5 ? 255 : 0
  const cellX = (c: number) => pad + labelWidth + c * (W + pad)
  const cellY = (r: number) => pad + headerHeight + r * (H + pad)

  batch.images.forEach((pixels, i) => {
    if (!pixels) return
    const x0 = cellX(i % cols)
    const y0 = cellY(Math.floor(i / cols))
    for (let y = 0; y < batch.h; y++) {
      for (let x = 0; x < batch.w; x++) {
        const v = pixels[y * batch.w + x]!
        if (Number.isNaN(v)) throw new RangeError(`${op}: image ${i} has NaN at pixel (row ${y}, col ${x}); expected intensities in [0, 1]`)
        fillRect(img, x0 + x * scale, y0 + y * scale, scale, scale, Math.round((v <= 0 ? 0 : v >= 1 ? 1 : v) * 255))
      }
    }
  })
  o.labels?.forEach((label, r) => {
    drawText(img, label, pad, cellY(r) + Math.floor((H - CAP_HEIGHT * labelScale) / 2), { scale: labelScale, color: ink })
  })
  o.colLabels?.forEach((label, c) => {
    drawText(img, label, cellX(c) + Math.floor((W - measureText(label, labelScale).width) / 2), pad, { scale: labelScale, color: ink })
  })
  return img
}

// Images laid out row by row, by default in a near-square grid (ceil(sqrt(n)) columns).
export function imageGrid(images: ImageBatch, options: GridOptions = {}): Image {
  return renderGrid(unpack(images, options.imageShape, 'imageGrid'), options, 'imageGrid')
}

export interface ReconstructionOptions extends Omit<GridOptions, 'rows' | 'labels' | 'colLabels'> {
  // Labels of the two kinds of row; null for none.
  labels?: readonly [string, string] | null
}

// Each original directly above its reconstruction: a row of up to `cols` originals (default
// min(n, 10)), the row of their reconstructions under it, then the next pair of rows.
export function reconstructionGrid(originals: ImageBatch, reconstructions: ImageBatch, options: ReconstructionOptions = {}): Image {
  const op = 'reconstructionGrid'
  const a = unpack(originals, options.imageShape, op)
  const b = unpack(reconstructions, options.imageShape, op)
  if (a.images.length !== b.images.length || a.h !== b.h || a.w !== b.w) {
    throw new RangeError(`${op}: expected as many reconstructions as originals, of the same size; got ${a.images.length} of ${a.h}x${a.w} and ${b.images.length} of ${b.h}x${b.w}`)
  }
  const n = a.images.length
  const cols = options.cols ?? Math.min(n, 10)
  const bands = Math.ceil(n / cols)
  const cells: (ArrayLike<number> | null)[] = []
  for (let band = 0; band < bands; band++) {
    for (const source of [a, b]) {
      for (let c = 0; c < cols; c++) cells.push(source.images[band * cols + c] ?? null)
    }
  }
  const kinds = options.labels === undefined ? (['orig', 'recon'] as const) : options.labels
  const labels = kinds ? Array.from({ length: 2 * bands }, (_, r) => kinds[r % 2]!) : undefined
  return renderGrid({ images: cells, h: a.h, w: a.w }, { ...options, cols, rows: 2 * bands, labels }, op)
}

export interface TraversalOptions extends Omit<GridOptions, 'rows' | 'cols' | 'labels' | 'colLabels'> {
  // The values each latent dimension was set to: one column each, labelled with the value.
  values: readonly number[]
  // The latent dimensions traversed, one row each, labelled z<d>; by default 0, 1, 2, ...
  dims?: readonly number[]
}

// A latent traversal: the decoded images ordered dimension by dimension (all of dims[0]'s values,
// then dims[1]'s, ...), drawn with a row per dimension and a column per value.
export function traversalGrid(images: ImageBatch, options: TraversalOptions): Image {
  const op = 'traversalGrid'
  const batch = unpack(images, options.imageShape, op)
  const k = options.values.length
  if (k === 0) throw new RangeError(`${op}: expected at least one traversal value`)
  const dims = options.dims ?? Array.from({ length: Math.floor(batch.images.length / k) }, (_, i) => i)
  if (dims.length * k !== batch.images.length) {
    throw new RangeError(`${op}: ${dims.length} dimensions x ${k} values need ${dims.length * k} images, got ${batch.images.length}`)
  }
  const colLabels = options.values.map((v) => String(Number(v.toPrecision(3))))
  return renderGrid(batch, { ...options, rows: dims.length, cols: k, labels: dims.map((d) => `z${d}`), colLabels }, op)
}
