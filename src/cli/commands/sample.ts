// genkata sample RUN_DIR: decode fresh draws from the prior of a trained run into a PNG grid.
import { join } from 'node:path'
import { parseFlags } from '../args.ts'
import { noGrad } from '../../autograd/grad_mode.ts'
import { Rng } from '../../tensor/random.ts'
import { samplePrior } from '#kata/models/sampling'
import { openRun } from '../../train/vae_trainer.ts'
import { imageGrid } from '../../report/grid.ts'
import { writePng } from '../../report/png.ts'

export const sampleUsage = `genkata sample <run-dir> [--n N (64)] [--seed N (0)] [--label K (cvae: the class to draw; default one row per class)] [--out FILE]`

export function sample(argv: string[]): void {
  const [dir, ...rest] = argv
  if (dir === undefined || dir.startsWith('--')) throw new Error(`sample: which run? ${sampleUsage}`)
  const flags = parseFlags(rest, { n: 'number', seed: 'number', label: 'number', out: 'string' })
  const { model, epoch } = openRun(dir)
  const n = (flags.n as number | undefined) ?? 64
  if (!(Number.isInteger(n) && n > 0)) throw new RangeError(`--n must be a positive integer, got ${n}`)
  const rng = new Rng((flags.seed as number | undefined) ?? 0)
  let labels: Int32Array | undefined
  if (model.classes !== null) {
    const label = flags.label as number | undefined
    if (label !== undefined && !(Number.isInteger(label) && label >= 0 && label < model.classes)) {
      throw new RangeError(`--label must be an integer in [0, ${model.classes}), got ${label}`)
    }
    labels = Int32Array.from({ length: n }, (_, i) => label ?? Math.floor((i * model.classes!) / n))
  } else if (flags.label !== undefined) throw new Error(`--label needs a conditional model (cvae, conv-cvae); ${dir} is not one`)
  const images = noGrad(() => samplePrior((z) => model.decode(z, labels), n, model.latent, rng))
  const cols = Math.ceil(Math.sqrt(n))
  const out = (flags.out as string | undefined) ?? join(dir, `samples-seed${(flags.seed as number | undefined) ?? 0}.png`)
  writePng(out, imageGrid({ data: images.toTypedArray(), shape: [n, model.imageShape[1], model.imageShape[2]] }, { cols, scale: 2 }))
  console.log(`${n} samples from ${dir} (after epoch ${epoch}) in ${out}`)
}
