// A training killed by a signal (SIGTERM here; SIGKILL alike) never reaches its cleanup: training is
// synchronous, so no signal handler could run before the loop ends. Its lock names a dead pid on
// this host, so the next start takes the folder over with a warning, removes the temporary files
// the killed run left, and resumes from its last checkpoint.
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { trainVae, type VaeRunConfig } from '../../src/train/vae_trainer.ts'
import { LOCK_FILE } from '../../src/train/run_folder.ts'
import { readCheckpoint } from '../../src/nn/checkpoint.ts'
import { silenced } from '../helpers/quiet.ts'

const base: VaeRunConfig = {
  model: 'vae', dataset: 'fashion-mnist', sample: true, limit: 64,
  latent: 2, hidden: 8, beta: 1, epochs: 1000, batch: 32, optimizer: 'adam', lr: 1e-3, seed: 7,
}
const root = mkdtempSync(join(tmpdir(), 'genkata-killed-'))
test.after(() => rmSync(root, { recursive: true, force: true }))
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

test('after SIGTERM the stale lock is taken over with a warning, orphans are removed, and the run resumes', async () => {
  const dir = join(root, 'run')
  const script = join(root, 'train.ts')
  writeFileSync(script, `import { trainVae } from ${JSON.stringify(resolve('src/train/vae_trainer.ts'))}\ntrainVae(${JSON.stringify(base)}, ${JSON.stringify(dir)}, { log: () => {} })\n`)
  const child = spawn(process.execPath, ['--import', 'tsx', script], { stdio: 'ignore' })
  try {
    // Wait for a checkpoint (one epoch done), then kill it mid-run.
    for (let waited = 0; !existsSync(join(dir, 'checkpoint.gkt')); waited += 100) {
      if (waited > 120_000 || child.exitCode !== null) throw new Error(`the child training did not write a checkpoint (exit ${child.exitCode})`)
      await sleep(100)
    }
    assert.ok(existsSync(join(dir, LOCK_FILE)), 'the running training holds the lock')
    const exited = new Promise((r) => child.once('exit', r))
    child.kill('SIGTERM')
    await exited
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  }
  assert.ok(existsSync(join(dir, LOCK_FILE)), 'the killed training left its lock')
  writeFileSync(join(dir, `.checkpoint.gkt.${child.pid}.0123abcd.tmp`), 'half a checkpoint')
  const trained = (readCheckpoint(join(dir, 'checkpoint.gkt')).extra as { epoch: number }).epoch
  const lines: string[] = []
  const result = silenced(() => trainVae({ ...base, epochs: trained + 1 }, dir, { resume: true, log: (l) => lines.push(l) }))
  assert.ok(lines.some((l) => l.includes(`was left by a training that is gone (pid ${child.pid} on `)), lines.join('\n'))
  // (the killed run may have left one of its own too, if the signal came while it wrote)
  assert.ok(lines.some((l) => /^removed \d+ temporary files? left by a killed run: .*\.checkpoint\.gkt\.\d+\.0123abcd\.tmp/.test(l)), lines.join('\n'))
  assert.ok(lines.some((l) => l.startsWith(`resumed ${dir} after epoch ${trained}`)), lines.join('\n'))
  assert.is(result.history.length, trained + 1)
  assert.equal(readdirSync(dir).filter((n) => n.startsWith('.')), [], 'no lock, no temporary file')
})

test.run()
