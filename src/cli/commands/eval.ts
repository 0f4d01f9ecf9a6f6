// genkata eval RUN_DIR: the test-set figures of a trained VAE run (negative ELBO, its terms, MSE),
// and with --classifier DIR the judgement of a trained classifier: FID on its features (not
// Inception's), the floor, per-class accuracy of a conditional model's samples, latent maps.
// Everything goes into the run's eval.json and its index.html.
import { writeFileAtomic } from '../../report/atomic.ts'
import { join } from 'node:path'
import { parseFlags } from '../args.ts'
import { setBackend, getBackend } from '../../backend/index.ts'
import { evaluateVae, openRun } from '../../train/vae_trainer.ts'
import { loadRunData } from '../../train/data.ts'
import { evaluateGanRun, evaluateGenerativeRun } from '../../eval/index.ts'
import { isGanRun } from '../../train/gan_trainer.ts'
import { writeVaeIndex } from '../../train/vae_report.ts'

export const evalUsage = `genkata eval <run-dir> [--classifier DIR (a genkata train classifier-cnn run: adds FID, per-class accuracy, latent maps)]
  [--samples N (5000)] [--map-points N (2000)] [--backend NAME]`

export function evaluate(argv: string[]): void {
  const [dir, ...rest] = argv
  if (dir === undefined || dir.startsWith('--')) throw new Error(`eval: which run? ${evalUsage}`)
  const flags = parseFlags(rest, { backend: 'string', classifier: 'string', samples: 'number', 'map-points': 'number' })
  if (flags.backend !== undefined) setBackend(flags.backend as string)
  if (isGanRun(dir)) {
    if (flags.classifier === undefined) throw new Error(`${dir} is a GAN run: it has no likelihood to report; judge it with --classifier DIR (a genkata train classifier-cnn run)`)
    evaluateGanRun(dir, flags.classifier as string, { samples: flags.samples as number | undefined })
    console.log(`written to ${join(dir, 'eval.json')}`)
    return
  }
  const { config, model, epoch, history } = openRun(dir)
  const { test } = loadRunData({ ...config, limit: undefined })
  const result = evaluateVae(model, test, { beta: config.beta, seed: config.seed })
  console.log(
    `${config.model} after epoch ${epoch} on ${test.count} test images: loss ${result.loss.toFixed(2)} per image (reconstruction ${result.reconstruction.toFixed(2)} + ${config.beta} x KL ${result.kl.toFixed(2)}), MSE ${result.mse.toFixed(5)} per pixel`,
  )
  if (flags.classifier === undefined) {
    const report = { run: dir, model: config.model, epoch, test: test.source, images: test.count, backend: getBackend().name, ...result }
    writeFileAtomic(join(dir, 'eval.json'), JSON.stringify(report, null, 2) + '\n')
  } else {
    // One eval.json with both: the ELBO figures go in as extra fields of the generative evaluation.
    evaluateGenerativeRun(dir, flags.classifier as string, {
      samples: flags.samples as number | undefined,
      mapPoints: flags['map-points'] as number | undefined,
      extra: { elbo: { test: test.source, images: test.count, ...result } },
    })
  }
  writeVaeIndex(dir, { config: { ...config }, history, conditional: model.classes !== null })
  console.log(`written to ${join(dir, 'eval.json')}`)
}
