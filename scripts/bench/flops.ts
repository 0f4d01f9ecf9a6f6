// The floating-point work of one training step of each bench:peers workload, counted in one place.
//
// How it is counted: only the matrix products and convolutions (the element-wise ops, the loss and
// Adam are a few FLOPs per value, under 2% of these models' work). A multiply-add is 2 FLOPs.
// Per image and per layer, with M the layer's multiply-adds:
//   forward      2M
//   backward     2M for the weight gradient, plus 2M for the input gradient unless the layer reads
//                the data or the noise directly (nobody asks for those gradients, and PyTorch skips
//                them)
// M per layer: linear in*out; conv outC*outH*outW*inC*k*k; transposed conv (the same product read
// the other way) inC*inH*inW*outC*k*k. Each layer is counted once per pass it takes part in, so
// the DCGAN's step counts D three times (real, fakes for D's loss, fakes for G's loss).

export interface Layer {
  /** Multiply-adds per image. */
  macs: number
  /** True for a layer that reads the input (data or noise): no input gradient. */
  first?: boolean
}

export const linear = (inFeatures: number, outFeatures: number, first = false): Layer => ({ macs: inFeatures * outFeatures, first })
/** A convolution with a k x k kernel producing [outC, outH, outW] from inC channels. */
export const conv = (inC: number, outC: number, k: number, outH: number, outW: number, first = false): Layer => ({ macs: outC * outH * outW * inC * k * k, first })
/** A transposed convolution reading [inC, inH, inW] into outC channels with a k x k kernel. */
export const convTranspose = (inC: number, outC: number, k: number, inH: number, inW: number, first = false): Layer => ({ macs: inC * inH * inW * outC * k * k, first })

export const forwardFlops = (layers: readonly Layer[]) => layers.reduce((sum, l) => sum + 2 * l.macs, 0)
/** Weight gradients everywhere, input gradients except where a layer reads the data. */
export const backwardFlops = (layers: readonly Layer[], inputGrad = false) =>
  layers.reduce((sum, l) => sum + 2 * l.macs + (l.first && !inputGrad ? 0 : 2 * l.macs), 0)
/** One forward and one backward pass. */
export const trainFlops = (layers: readonly Layer[]) => forwardFlops(layers) + backwardFlops(layers)

/** FC VAE 784-400-20: encoder 784->400, 400->20 twice (mu, logvar); decoder 20->400->784. */
export const fcVaeLayers = (hidden = 400, latent = 20): Layer[] => [
  linear(784, hidden, true), linear(hidden, latent), linear(hidden, latent), linear(latent, hidden), linear(hidden, 784),
]

/** ConvVAE: conv 1->32 (28->14), 32->64 (14->7), 3136->latent twice, latent->3136, convT 64->32, 32->1. */
export const convVaeLayers = (latent = 32, [c1, c2]: [number, number] = [32, 64]): Layer[] => [
  conv(1, c1, 4, 14, 14, true), conv(c1, c2, 4, 7, 7),
  linear(c2 * 49, latent), linear(c2 * 49, latent), linear(latent, c2 * 49),
  convTranspose(c2, c1, 4, 7, 7), convTranspose(c1, 1, 4, 14, 14),
]

/** DCGAN generator: z 100 -> 128x7x7 (no bias), convT 128->64 (7->14), convT 64->1 (14->28). */
export const dcganGenerator = (noise = 100, width = 64): Layer[] => [
  linear(noise, 2 * width * 49, true), convTranspose(2 * width, width, 4, 7, 7), convTranspose(width, 1, 4, 14, 14),
]
/** DCGAN discriminator: conv 1->64 (28->14), conv 64->128 (14->7), 6272 -> 1 logit. */
export const dcganDiscriminator = (width = 64): Layer[] => [
  conv(1, width, 4, 14, 14, true), conv(width, 2 * width, 4, 7, 7), linear(2 * width * 49, 1),
]

/**
 * One DCGAN step per image of the batch: G forward; D forward and backward on the real images
 * and on the detached fakes (no gradient into either); D forward again on the fakes, backward
 * through D into the fakes, and G backward.
 */
export function dcganStepFlops(noise = 100, width = 64): number {
  const g = dcganGenerator(noise, width)
  const d = dcganDiscriminator(width)
  const dStep = 2 * (forwardFlops(d) + backwardFlops(d))
  const gStep = forwardFlops(g) + forwardFlops(d) + backwardFlops(d, true) + backwardFlops(g)
  return dStep + gStep
}

/** FLOPs per image of one training step, per workload. */
export const FLOPS_PER_IMAGE = {
  fc: trainFlops(fcVaeLayers()),
  conv: trainFlops(convVaeLayers()),
  dcgan: dcganStepFlops(),
} as const

/**
 * WebAssembly's limit on the quiet machine of the guide (2 cores, AMD EPYC at 2.6 GHz): 128-bit
 * SIMD is 4 lanes x (1 mul + 1 add) x 2 pipes = 16 FLOP per cycle per core, 16 x 2.6 GHz x 2
 * cores = 83 GFLOP/s. On another machine the percentage is against this figure, not that machine's.
 */
export const WASM_LIMIT_GFLOPS = 83
