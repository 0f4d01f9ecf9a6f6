// A raster image in memory and the few drawing primitives the plots and grids need. Pixels are
// 8-bit, row-major, channels interleaved; no anti-aliasing, so tests can check pixels exactly.

export type Rgb = readonly [number, number, number]
// A colour for either kind of image: a gray level 0..255 or an RGB triple (turned to gray with
// the Rec. 601 luma weights when drawn on a grayscale image).
export type Color = number | Rgb

export interface Image {
  width: number
  height: number
  channels: 1 | 3
  data: Uint8Array
}

export const BLACK: Rgb = [0, 0, 0]
export const WHITE: Rgb = [255, 255, 255]

const byte = (v: number) => (v <= 0 ? 0 : v >= 255 ? 255 : Math.round(v))

export function createImage(width: number, height: number, channels: 1 | 3 = 3, fill: Color = WHITE): Image {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new RangeError(`createImage: expected a positive integer width and height, got ${width}x${height}`)
  }
  const img: Image = { width, height, channels, data: new Uint8Array(width * height * channels) }
  fillRect(img, 0, 0, width, height, fill)
  return img
}

function channelsOf(img: Image, color: Color): number[] {
  if (img.channels === 1) return [typeof color === 'number' ? byte(color) : byte(0.299 * color[0] + 0.587 * color[1] + 0.114 * color[2])]
  return typeof color === 'number' ? [byte(color), byte(color), byte(color)] : [byte(color[0]), byte(color[1]), byte(color[2])]
}

// Silently ignores pixels outside the image: drawing is clipped, never an error.
export function setPixel(img: Image, x: number, y: number, color: Color): void {
  if (x < 0 || y < 0 || x >= img.width || y >= img.height) return
  const c = channelsOf(img, color)
  const at = (y * img.width + x) * img.channels
  for (let k = 0; k < c.length; k++) img.data[at + k] = c[k]!
}

// The pixel as an RGB triple (a gray level repeated on a grayscale image).
export function getPixel(img: Image, x: number, y: number): Rgb {
  if (!Number.isInteger(x) || !Number.isInteger(y) || x < 0 || y < 0 || x >= img.width || y >= img.height) {
    throw new RangeError(`getPixel: (${x}, ${y}) is outside the ${img.width}x${img.height} image`)
  }
  const at = (y * img.width + x) * img.channels
  const d = img.data
  return img.channels === 1 ? [d[at]!, d[at]!, d[at]!] : [d[at]!, d[at + 1]!, d[at + 2]!]
}

export function fillRect(img: Image, x: number, y: number, w: number, h: number, color: Color): void {
  const c = channelsOf(img, color)
  const x0 = Math.max(0, Math.round(x))
  const y0 = Math.max(0, Math.round(y))
  const x1 = Math.min(img.width, Math.round(x + w))
  const y1 = Math.min(img.height, Math.round(y + h))
  for (let yy = y0; yy < y1; yy++) {
    for (let xx = x0; xx < x1; xx++) {
      const at = (yy * img.width + xx) * img.channels
      for (let k = 0; k < c.length; k++) img.data[at + k] = c[k]!
    }
  }
}

// A one-pixel rectangle outline whose outer edge is (x, y, w, h).
export function strokeRect(img: Image, x: number, y: number, w: number, h: number, color: Color): void {
  fillRect(img, x, y, w, 1, color)
  fillRect(img, x, y + h - 1, w, 1, color)
  fillRect(img, x, y, 1, h, color)
  fillRect(img, x + w - 1, y, 1, h, color)
}

// Bresenham's line between rounded endpoints, stamped with a square pen `thickness` pixels wide.
// `clip` (x, y, w, h) keeps the line inside a region, the plot area for instance.
export function drawLine(
  img: Image,
  xa: number,
  ya: number,
  xb: number,
  yb: number,
  color: Color,
  thickness = 1,
  clip?: { x: number; y: number; w: number; h: number },
): void {
  let x = Math.round(xa)
  let y = Math.round(ya)
  const x1 = Math.round(xb)
  const y1 = Math.round(yb)
  const dx = Math.abs(x1 - x)
  const dy = -Math.abs(y1 - y)
  const sx = x < x1 ? 1 : -1
  const sy = y < y1 ? 1 : -1
  const lo = -Math.floor((thickness - 1) / 2)
  let err = dx + dy
  for (;;) {
    for (let oy = lo; oy < lo + thickness; oy++) {
      for (let ox = lo; ox < lo + thickness; ox++) {
        const px = x + ox
        const py = y + oy
        if (clip && (px < clip.x || py < clip.y || px >= clip.x + clip.w || py >= clip.y + clip.h)) continue
        setPixel(img, px, py, color)
      }
    }
    if (x === x1 && y === y1) return
    const e2 = 2 * err
    if (e2 >= dy) {
      err += dy
      x += sx
    }
    if (e2 <= dx) {
      err += dx
      y += sy
    }
  }
}

// Copies `src` into `dst` with its top-left corner at (x, y); a gray source on an RGB target is
// repeated over the three channels. Clipped like every other primitive.
export function blit(dst: Image, src: Image, x: number, y: number): void {
  for (let sy = 0; sy < src.height; sy++) {
    for (let sx = 0; sx < src.width; sx++) {
      const at = (sy * src.width + sx) * src.channels
      const color: Color = src.channels === 1 ? src.data[at]! : [src.data[at]!, src.data[at + 1]!, src.data[at + 2]!]
      setPixel(dst, x + sx, y + sy, color)
    }
  }
}
