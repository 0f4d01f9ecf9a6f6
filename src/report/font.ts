// A 5x7 bitmap font, drawn here as text so a reader can see (and fix) every glyph, and a renderer
// with an integer scale factor. It covers printable ASCII. Upper and lower case are both drawn:
// plot labels are mostly lower case ("epoch", "loss") and names mix cases ("KL", "beta-VAE"),
// which case folding would render as shouting and make "KL" and "kl" look the same.
//
// Each glyph is 5 pixels wide and 7 tall above the baseline, plus 2 rows below it for the
// descenders of g, j, p, q, y and the comma. Characters advance 6 pixels (one blank column).
// Any character outside the sheet is drawn as a hollow box, so a missing glyph shows rather than
// vanishing.
import { BLACK, setPixel, type Color, type Image } from './canvas.ts'

export const GLYPH_WIDTH = 5
export const CAP_HEIGHT = 7
export const DESCENT = 2
export const ADVANCE = GLYPH_WIDTH + 1
export const TEXT_HEIGHT = CAP_HEIGHT + DESCENT

// Blocks separated by blank lines: a line naming the characters (split on spaces; a name written
// "\x" stands for x, needed only for the backtick inside this template), then 7 rows, or 9 with
// the descender rows. Glyph k's pixels are columns 6k..6k+4 of each row; '#' is ink.
const SHEET = String.raw`
0     1     2     3     4     5     6     7     8     9
.###. ..#.. .###. .###. ...#. ##### ..##. ##### .###. .###.
#...# .##.. #...# #...# ..##. #.... .#... ....# #...# #...#
#..## ..#.. ....# ....# .#.#. ####. #.... ...#. #...# #...#
#.#.# ..#.. ...#. ..##. #..#. ....# ####. ..#.. .###. .####
##..# ..#.. ..#.. ....# ##### ....# #...# .#... #...# ....#
#...# ..#.. .#... #...# ...#. #...# #...# .#... #...# ...#.
.###. .###. ##### .###. ...#. .###. .###. .#... .###. .##..

A     B     C     D     E     F     G     H     I     J
.###. ####. .###. ####. ##### ##### .###. #...# .###. ..###
#...# #...# #...# #...# #.... #.... #...# #...# ..#.. ...#.
#...# #...# #.... #...# #.... #.... #.... #...# ..#.. ...#.
##### ####. #.... #...# ####. ####. #.### ##### ..#.. ...#.
#...# #...# #.... #...# #.... #.... #...# #...# ..#.. ...#.
#...# #...# #...# #...# #.... #.... #...# #...# ..#.. #..#.
#...# ####. .###. ####. ##### #.... .#### #...# .###. .##..

K     L     M     N     O     P     Q     R     S     T
#...# #.... #...# #...# .###. ####. .###. ####. .#### #####
#..#. #.... ##.## #...# #...# #...# #...# #...# #.... ..#..
#.#.. #.... #.#.# ##..# #...# #...# #...# #...# #.... ..#..
##... #.... #.#.# #.#.# #...# ####. #...# ####. .###. ..#..
#.#.. #.... #...# #..## #...# #.... #.#.# #.#.. ....# ..#..
#..#. #.... #...# #...# #...# #.... #..#. #..#. ....# ..#..
#...# ##### #...# #...# .###. #.... .##.# #...# ####. ..#..

U     V     W     X     Y     Z
#...# #...# #...# #...# #...# #####
#...# #...# #...# #...# #...# ....#
#...# #...# #...# .#.#. .#.#. ...#.
#...# #...# #.#.# ..#.. ..#.. ..#..
#...# #...# #.#.# .#.#. ..#.. .#...
#...# .#.#. ##.## #...# ..#.. #....
.###. ..#.. #...# #...# ..#.. #####

a     b     c     d     e     f     g     h     i     j
..... #.... ..... ....# ..... ..##. ..... #.... ..#.. ...#.
..... #.... ..... ....# ..... .#..# ..... #.... ..... .....
.###. #.##. .###. .##.# .###. .#... .#### #.##. .##.. ..##.
....# ##..# #.... #..## #...# ###.. #...# ##..# ..#.. ...#.
.#### #...# #.... #...# ##### .#... #...# #...# ..#.. ...#.
#...# #...# #...# #...# #.... .#... #...# #...# ..#.. ...#.
.#### ####. .###. .#### .###. .#... .#### #...# .###. ...#.
..... ..... ..... ..... ..... ..... ....# ..... ..... #..#.
..... ..... ..... ..... ..... ..... .###. ..... ..... .##..

k     l     m     n     o     p     q     r     s     t
#.... .##.. ..... ..... ..... ..... ..... ..... ..... .#...
#.... ..#.. ..... ..... ..... ..... ..... ..... ..... .#...
#..#. ..#.. ##.#. #.##. .###. ####. .#### #.##. .#### ###..
#.#.. ..#.. #.#.# ##..# #...# #...# #...# ##..# #.... .#...
##... ..#.. #.#.# #...# #...# #...# #...# #.... .###. .#...
#.#.. ..#.. #.#.# #...# #...# #...# #...# #.... ....# .#..#
#..#. .###. #.#.# #...# .###. ####. .#### #.... ####. ..##.
..... ..... ..... ..... ..... #.... ....# ..... ..... .....
..... ..... ..... ..... ..... #.... ....# ..... ..... .....

u     v     w     x     y     z
..... ..... ..... ..... ..... .....
..... ..... ..... ..... ..... .....
#...# #...# #...# #...# #...# #####
#...# #...# #...# .#.#. #...# ...#.
#...# #...# #.#.# ..#.. #...# ..#..
#..## .#.#. #.#.# .#.#. #...# .#...
.##.# ..#.. .#.#. #...# .#### #####
..... ..... ..... ..... ....# .....
..... ..... ..... ..... .###. .....

!     "     #     $     %     &     '     (     )     *
..#.. .#.#. .#.#. ..#.. ##... .##.. ..#.. ...#. .#... .....
..#.. .#.#. .#.#. .#### ##..# #..#. ..#.. ..#.. ..#.. ..#..
..#.. .#.#. ##### #.#.. ...#. #.#.. .#... .#... ...#. #.#.#
..#.. ..... .#.#. .###. ..#.. .#... ..... .#... ...#. .###.
..#.. ..... ##### ..#.# .#... #.#.# ..... .#... ...#. #.#.#
..... ..... .#.#. ####. #..## #..#. ..... ..#.. ..#.. ..#..
..#.. ..... .#.#. ..#.. ...## .##.# ..... ...#. .#... .....

+     ,     -     .     /     :     ;     <     =     >
..... ..... ..... ..... ..... ..... ..... ...#. ..... .#...
..#.. ..... ..... ..... ....# .##.. .##.. ..#.. ..... ..#..
..#.. ..... ..... ..... ...#. .##.. .##.. .#... ##### ...#.
##### ..... .###. ..... ..#.. ..... ..... #.... ..... ....#
..#.. ..... ..... ..... .#... .##.. .##.. .#... ##### ...#.
..#.. .##.. ..... .##.. #.... .##.. .##.. ..#.. ..... ..#..
..... .##.. ..... .##.. ..... ..... ..#.. ...#. ..... .#...
..... ..#.. ..... ..... ..... ..... .#... ..... ..... .....
..... .#... ..... ..... ..... ..... ..... ..... ..... .....

?     @     [     \     ]     ^     _     {     |     }
.###. .###. .###. ..... .###. ..#.. ..... ...## ..#.. ##...
#...# #...# .#... #.... ...#. .#.#. ..... ..#.. ..#.. ..#..
....# #.### .#... .#... ...#. #...# ..... ..#.. ..#.. ..#..
...#. #.#.# .#... ..#.. ...#. ..... ..... .#... ..#.. ...#.
..#.. #.### .#... ...#. ...#. ..... ..... ..#.. ..#.. ..#..
..... #.... .#... ....# ...#. ..... ..... ..#.. ..#.. ..#..
..#.. .#### .###. ..... .###. ..... ..... ...## ..#.. ##...
..... ..... ..... ..... ..... ..... ##### ..... ..... .....
..... ..... ..... ..... ..... ..... ..... ..... ..... .....

~     \`
..... .#...
..... ..#..
.#... ...#.
#.#.# .....
...#. .....
..... .....
..... .....
`

const MISSING = ['#####', '#...#', '#...#', '#...#', '#...#', '#...#', '#####']

function parseSheet(sheet: string): Map<string, string[]> {
  const glyphs = new Map<string, string[]>([[' ', Array(CAP_HEIGHT).fill('.....')]])
  for (const block of sheet.trim().split(/\n\s*\n/)) {
    const [header, ...rows] = block.split('\n')
    const names = header!.trim().split(/\s+/).map((n) => (n.length === 2 && n[0] === '\\' ? n[1]! : n))
    names.forEach((name, k) => glyphs.set(name, rows.map((row) => row.slice(ADVANCE * k, ADVANCE * k + GLYPH_WIDTH))))
  }
  return glyphs
}

const GLYPHS = parseSheet(SHEET)

// The glyph's rows ('#' ink, '.' blank), 7 or 9 of them; the hollow box for unknown characters.
export function glyph(ch: string): readonly string[] {
  return GLYPHS.get(ch) ?? MISSING
}

export function hasGlyph(ch: string): boolean {
  return GLYPHS.has(ch)
}

export interface TextSize {
  width: number
  height: number
}

// The text's box before rotation: no trailing gap after the last character; the height always
// includes the descender rows, so lines of text line up whatever letters they hold.
export function measureText(text: string, scale = 1): TextSize {
  const n = [...text].length
  return { width: n === 0 ? 0 : (n * ADVANCE - 1) * scale, height: TEXT_HEIGHT * scale }
}

export interface TextOptions {
  color?: Color
  scale?: number
  // 'up' turns the text 90 degrees counter-clockwise, reading bottom to top (a y-axis label).
  direction?: 'right' | 'up'
}

// Draws `text` with its box's top-left corner at (x, y) (the box is measureText's, turned for
// 'up'); returns that box.
export function drawText(img: Image, text: string, x: number, y: number, options: TextOptions = {}): TextSize {
  const { color = BLACK, scale = 1, direction = 'right' } = options
  if (!Number.isInteger(scale) || scale < 1) throw new RangeError(`drawText: scale must be a positive integer, got ${scale}`)
  const size = measureText(text, scale)
  const x0 = Math.round(x)
  const y0 = Math.round(y)
  let u0 = 0
  for (const ch of text) {
    const rows = glyph(ch)
    for (let r = 0; r < rows.length; r++) {
      for (let c = 0; c < GLYPH_WIDTH; c++) {
        if (rows[r]![c] !== '#') continue
        for (let dy = 0; dy < scale; dy++) {
          for (let dx = 0; dx < scale; dx++) {
            const u = u0 + c * scale + dx // along the text
            const v = r * scale + dy // across it, downwards
            if (direction === 'right') setPixel(img, x0 + u, y0 + v, color)
            else setPixel(img, x0 + v, y0 + size.width - 1 - u, color)
          }
        }
      }
    }
    u0 += ADVANCE * scale
  }
  return direction === 'right' ? size : { width: size.height, height: size.width }
}
