// genkata eval RUN_DIR: the test-set figures of a trained run, printed and written to eval.json.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseFlags } from '../args.ts'
import { setBackend, getBackend } from '../../backend/index.ts'
import { evaluateVae, openRun } from '../../train/vae_trainer.ts'
import { loadRunData } from '../../train/data.ts'

export const evalUsage = `genkata eval <run-dir> [--backend NAME]`

export function evaluate(argv: string[]): void {
  const [dir, ...rest] = argv
  if (dir === undefined || dir.startsWith('--')) throw new Error(`eval: which run? ${evalUsage}`)
  const flags = parseFlags(rest, { backend: 'string' })
  if (flags.backend !== undefined) setBackend(flags.backend as string)
  const { config, model, epoch } = openRun(dir)
  const { test } = loadRunData({ ...config, limit: undefined })
  const result = evaluateVae(model, test, { beta: config.beta, seed: config.seed })
  const report = { run: dir, model: config.model, epoch, test: test.source, images: test.count, backend: getBackend().name, ...result }
  writeFileSync(join(dir, 'eval.json'), JSON.stringify(report, null, 2) + '\n')
  console.log(
    `${config.model} after epoch ${epoch} on ${test.count} test images: loss ${result.loss.toFixed(2)} per image (reconstruction ${result.reconstruction.toFixed(2)} + ${config.beta} x KL ${result.kl.toFixed(2)}), MSE ${result.mse.toFixed(5)} per pixel; written to ${join(dir, 'eval.json')}`,
  )
}
