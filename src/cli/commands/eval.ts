// genkata eval RUN_DIR: the test-set figures of a trained VAE run (negative ELBO, its terms, MSE),
// and with --classifier DIR the judgement of a trained classifier: FID on its features (not
// Inception's), the floor, per-class accuracy of a conditional model's samples, latent maps.
// Everything goes into the run's eval.json and its index.html.
import { writeFileAtomic } from '../../report/atomic.ts'
import { join } from 'node:path'
import { defineCommand, helpText, parseCommand } from '../args.ts'
import { setBackend, getBackend } from '../../backend/index.ts'
import { evaluateVae } from '../../train/vae_trainer.ts'
import { isGanRun, openRun } from '../../train/reopen.ts'
import { loadRunData } from '../../train/data.ts'
import { evaluateGanRun, evaluateGenerativeRun } from '../../eval/index.ts'
import { writeVaeIndex } from '../../train/vae_report.ts'

export const evalSpec = defineCommand({
  usage: 'genkata eval <run-dir>',
  description: 'the test-set figures of a trained run, into its eval.json and index.html',
  positionals: ['run-dir'],
  options: {
    classifier: { type: 'string', value: 'DIR', description: 'a genkata train classifier-cnn run: adds FID, per-class accuracy, latent maps' },
    samples: { type: 'number', value: 'N', default: '5000', description: 'generated images for FID' },
    'map-points': { type: 'number', value: 'N', default: '2000', description: 'test images on the latent maps' },
    backend: { type: 'string', value: 'NAME', description: 'the backend to run on (see genkata doctor)' },
  },
})

export const evalUsage = helpText(evalSpec)

export function evaluate(argv: string[]): void {
  const { flags, positionals } = parseCommand(argv, evalSpec)
  const dir = positionals[0]
  if (dir === undefined) throw new Error(`eval: which run? ${evalUsage}`)
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
