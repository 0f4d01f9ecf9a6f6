// The index of the largest value in each row: how a classifier's logits become its predictions.

/** The index of the largest value (the first, on ties) in each row of a [rows, cols] row-major matrix. */
export function argmax(values: ArrayLike<number>, rows: number, cols: number): Int32Array {
  if (values.length !== rows * cols) throw new RangeError(`argmax: [${rows}, ${cols}] needs ${rows * cols} values, got ${values.length}`)
  const out = new Int32Array(rows)
  for (let i = 0; i < rows; i++) {
    let best = 0
    for (let c = 1; c < cols; c++) if (values[i * cols + c]! > values[i * cols + best]!) best = c
    out[i] = best
  }
  return out
}
