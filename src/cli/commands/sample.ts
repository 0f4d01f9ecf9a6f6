// genkata sample RUN_DIR: fresh draws from a trained run into a PNG grid: a VAE's decoded prior
// samples, or a GAN's generated images (gan, dcgan, acgan).
import { join } from 'node:path'
import { defineCommand, helpText, parseCommand } from '../args.ts'
import { noGrad } from '../../autograd/grad_mode.ts'
import { Rng } from '../../tensor/random.ts'
import type { Tensor } from '../../tensor/tensor.ts'
import { samplePrior } from '#kata/models/sampling'
import { isGanRun, openGanRun, openRun } from '../../train/reopen.ts'
import { imageGrid } from '../../report/grid.ts'
import { writePng } from '../../report/png.ts'

export const sampleSpec = defineCommand({
  usage: 'genkata sample <run-dir>',
  description: 'fresh draws from a trained run (VAE, CVAE, gan, dcgan, acgan) into a PNG grid',
  positionals: ['run-dir'],
  options: {
    n: { type: 'number', value: 'N', default: '64', description: 'how many images' },
    seed: { type: 'number', value: 'N', default: '0', description: 'the seed of the draws' },
    label: { type: 'number', value: 'K', description: 'cvae, conv-cvae, acgan: the class to draw (default: every class, a row band each for a CVAE, a column each for the ACGAN)' },
    out: { type: 'string', value: 'FILE', default: '<run-dir>/samples-seed<seed>.png', description: 'the PNG to write' },
  },
})

export const sampleUsage = helpText(sampleSpec)

function checkLabel(label: number | undefined, classes: number): void {
  if (label !== undefined && !(Number.isInteger(label) && label >= 0 && label < classes)) {
    throw new RangeError(`--label must be an integer in [0, ${classes}), got ${label}`)
  }
}

/** Returns the PNG written. */
export function sample(argv: string[], options: { log?: (line: string) => void } = {}): string {
  const log = options.log ?? ((line: string) => console.log(line))
  const { flags, positionals } = parseCommand(argv, sampleSpec)
  const dir = positionals[0]
  if (dir === undefined) throw new Error(`sample: which run? ${sampleUsage}`)
  const n = (flags.n as number | undefined) ?? 64
  if (!(Number.isInteger(n) && n > 0)) throw new RangeError(`--n must be a positive integer, got ${n}`)
  const seed = (flags.seed as number | undefined) ?? 0
  const rng = new Rng(seed)
  const label = flags.label as number | undefined
  let images: Tensor
  let cols = Math.ceil(Math.sqrt(n))
  let epoch: number
  if (isGanRun(dir)) {
    const run = openGanRun(dir)
    epoch = run.epoch
    const classes = run.generator.classes
    if (classes === null && label !== undefined) throw new Error(`--label needs a conditional model (acgan); ${dir} is a ${run.config.model} run`)
    if (classes !== null) {
      checkLabel(label, classes)
      // One column per class unless one class is asked for.
      if (label === undefined) cols = classes
    }
    images = run.generate(n, rng, classes !== null && label !== undefined ? new Int32Array(n).fill(label) : undefined).images
  } else {
    const opened = openRun(dir)
    const { model } = opened
    epoch = opened.epoch
    let labels: Int32Array | undefined
    if (model.classes !== null) {
      checkLabel(label, model.classes)
      labels = Int32Array.from({ length: n }, (_, i) => label ?? Math.floor((i * model.classes!) / n))
    } else if (label !== undefined) throw new Error(`--label needs a conditional model (cvae, conv-cvae); ${dir} is not one`)
    images = noGrad(() => samplePrior((z) => model.decode(z, labels), n, model.latent, rng))
  }
  const [h, w] = [images.shape[images.ndim - 2]!, images.shape[images.ndim - 1]!]
  const out = (flags.out as string | undefined) ?? join(dir, `samples-seed${seed}.png`)
  writePng(out, imageGrid({ data: images.toTypedArray() as Float32Array, shape: [n, h, w] }, { cols, scale: 2 }))
  log(`${n} samples from ${dir} (after epoch ${epoch}) in ${out}`)
  return out
}
