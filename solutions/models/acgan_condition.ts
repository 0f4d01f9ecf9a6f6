// Exercise 9.2: class-conditioned generation. The ACGAN's generator gets the class through a
// learned embedding with one row per class, the size of the noise, and multiplies it into the
// noise element by element (as the common PyTorch implementations of the ACGAN paper do):
//   input = z * E[y]        z ~ N(0, I) [N, noise],  E [classes, noise]
// Each class scales and flips the noise's coordinates its own way, so the same z lands in a
// different region of the generator's input for each class, and z is left to carry the style.
import type { Tensor } from '../../src/tensor/tensor.ts'
import { embeddingLookup } from '../../src/nn/embedding.ts'
import { formatShape } from '../../src/tensor/strided.ts'

/** 9.2 The generator's input: noise [N, d] times the rows of table [classes, d] that labels pick. */
export function conditionNoise(noise: Tensor, table: Tensor, labels: ArrayLike<number>): Tensor {
  if (noise.ndim !== 2 || table.ndim !== 2 || noise.shape[1] !== table.shape[1] || noise.shape[0] !== labels.length) {
    throw new Error(`conditionNoise: expected noise [N, d], a table [classes, d] and N labels, got noise ${formatShape(noise.shape)}, table ${formatShape(table.shape)} and ${labels.length} labels`)
  }
  // BEGIN SOLUTION hint: multiplicative conditioning: look up each label's row of the embedding table and combine it with the noise element by element
  // HINT 2: embeddingLookup(table, labels) gives [N, d]; multiply, do not add or concatenate.
  return noise.mul(embeddingLookup(table, labels))
  // END SOLUTION
}

/**
 * 9.2 The batch behind a class grid: each of the `rows` noise vectors in noise [rows, d] once with
 * every class, row by row: entry r * classes + c is noise row r with label c. A generator fed this
 * draws one row per noise vector and one column per class.
 */
export function eachClassBatch(noise: Tensor, classes: number): { noise: Tensor; labels: Int32Array } {
  if (noise.ndim !== 2) throw new Error(`eachClassBatch: expected noise [rows, d], got ${formatShape(noise.shape)}`)
  if (!(Number.isInteger(classes) && classes > 0)) throw new RangeError(`eachClassBatch: classes must be a positive integer, got ${classes}`)
  const [rows, d] = noise.shape as [number, number]
  // BEGIN SOLUTION hint: repeat each noise row once per class, consecutively, with the labels cycling through the classes
  // HINT 2: a view does it with no copying by hand: a new axis after the rows, expanded to the number of classes, reshaped back to two dimensions; label i is i modulo classes.
  const repeated = noise.unsqueeze(1).expand([rows, classes, d]).reshape([rows * classes, d])
  const labels = Int32Array.from({ length: rows * classes }, (_, i) => i % classes)
  return { noise: repeated, labels }
  // END SOLUTION
}
