// Embedding: a lookup table of numEmbeddings vectors of size embeddingDim; forward(indices)
// returns the rows the indices name, with shape [...indices.shape, embeddingDim].
//
// Implemented as a differentiable gather (one graph node): forward copies the rows, backward
// adds each incoming gradient row into the row it came from (a scatter-add, since an index can
// repeat). A one-hot matmul would give the same values and gradients, but costs
// N * numEmbeddings * embeddingDim operations and an [N, numEmbeddings] matrix where the gather
// costs N * embeddingDim: for a vocabulary of any size the gather is the one that scales.
import { Tensor } from '../tensor/tensor.ts'
import { empty } from '../tensor/raw/ops.ts'
import { randn, zeros } from '../tensor/creation.ts'
import type { Rng } from '../tensor/random.ts'
import { formatShape } from '../tensor/strided.ts'
import type { OpDefinition } from '../autograd/node.ts'
import { apply } from '../autograd/node.ts'
import { Module } from './module.ts'
import { rngFrom } from './init.ts'

interface GatherAttrs {
  indices: Int32Array
  shape: readonly number[]
}

const embeddingOp: OpDefinition<GatherAttrs> = {
  name: 'embedding',
  forward([weight], { indices, shape }) {
    const w = weight!.contiguous()
    const dim = w.shape[1]!
    const out = empty([...shape, dim], w.dtype)
    for (let i = 0; i < indices.length; i++) {
      const from = w.offset + indices[i]! * dim
      out.data.set(w.data.subarray(from, from + dim), i * dim)
    }
    return out
  },
  backward(grad, [weight], _out, { indices }) {
    const [rows, dim] = weight!.shape as [number, number]
    const g = grad.toTypedArray()
    const dw = zeros([rows, dim], { dtype: grad.dtype })
    for (let i = 0; i < indices.length; i++) {
      const to = indices[i]! * dim
      for (let j = 0; j < dim; j++) dw.data[to + j]! += g[i * dim + j]!
    }
    return [dw]
  },
}

/** Rows of a [rows, dim] table by index (differentiable in the table). */
export function embeddingLookup(weight: Tensor, indices: Tensor | ArrayLike<number>): Tensor {
  if (weight.ndim !== 2) throw new Error(`embedding: the table must be [numEmbeddings, embeddingDim], got ${formatShape(weight.shape)}`)
  const shape = indices instanceof Tensor ? [...indices.shape] : [indices.length]
  const values = indices instanceof Tensor ? indices.toTypedArray() : indices
  const rows = weight.shape[0]!
  const checked = new Int32Array(values.length)
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!
    if (!(Number.isInteger(v) && v >= 0 && v < rows)) {
      throw new RangeError(`embedding: index ${v} at flat position ${i} is not an integer in [0, ${rows})`)
    }
    checked[i] = v
  }
  return apply(embeddingOp, [weight], { indices: checked, shape })
}

export interface EmbeddingOptions {
  numEmbeddings: number
  embeddingDim: number
  rng?: Rng
  seed?: number
}

export class Embedding extends Module {
  readonly numEmbeddings: number
  readonly embeddingDim: number
  weight: Tensor

  constructor(options: EmbeddingOptions) {
    super()
    const { numEmbeddings, embeddingDim } = options
    if (!(Number.isInteger(numEmbeddings) && numEmbeddings > 0 && Number.isInteger(embeddingDim) && embeddingDim > 0)) {
      throw new RangeError(`Embedding: numEmbeddings and embeddingDim must be positive integers, got ${numEmbeddings} and ${embeddingDim}`)
    }
    this.numEmbeddings = numEmbeddings
    this.embeddingDim = embeddingDim
    // PyTorch's default: N(0, 1).
    this.weight = randn([numEmbeddings, embeddingDim], { rng: rngFrom('Embedding', options), requiresGrad: true })
  }

  /** Integer indices of any shape (a Tensor holding integers, or a flat list) -> [...shape, embeddingDim]. */
  forward(indices: Tensor | ArrayLike<number>): Tensor {
    return embeddingLookup(this.weight, indices)
  }
}
