// One owner per run folder, with the VAE trainer on 64 sample images: the lock held for the whole
// run and removed at its end (also on error), a second training refused naming the first, a stale
// lock taken over with a warning, foreign folders and folders with other settings refused, a
// killed run's temporary files removed, and a resume that asks for fewer epochs changing nothing.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { trainVae, type VaeRunConfig } from '../../src/train/vae_trainer.ts'
import { silenced } from '../helpers/quiet.ts'
import { tempDirs } from '../helpers/temp_dirs.ts'

const LOCK = '.genkata-run.lock'
const base: VaeRunConfig = {
  model: 'vae', dataset: 'fashion-mnist', sample: true, limit: 64,
  latent: 2, hidden: 8, beta: 1, epochs: 1, batch: 32, optimizer: 'adam', lr: 1e-3, seed: 7,
}
const tempDir = tempDirs(test, 'genkata-folder-')
const train = (config: VaeRunConfig, dir: string, options: Parameters<typeof trainVae>[2] = {}) => silenced(() => trainVae(config, dir, { log: () => {}, ...options }))
const caught = (fn: () => unknown): Error | null => {
  try {
    fn()
    return null
  } catch (e) {
    return e as Error
  }
}
/** Every file in a folder with its bytes and modification time. */
const snapshot = (dir: string) => readdirSync(dir).sort().map((name) => [name, readFileSync(join(dir, name)).toString('base64'), statSync(join(dir, name)).mtimeMs])

test('the lock is held (pid, host, start time) for the whole run and removed at its end, and after an error', () => {
  const dir = tempDir()
  const seen: unknown[] = []
  train(base, dir, { onStep: () => seen.push(JSON.parse(readFileSync(join(dir, LOCK), 'utf8'))) })
  assert.is(seen.length, 2)
  const owner = seen[0] as { pid: number; host: string; startedAt: string }
  assert.equal([owner.pid, owner.host], [process.pid, hostname()])
  assert.ok(!Number.isNaN(Date.parse(owner.startedAt)), owner.startedAt)
  assert.not.ok(existsSync(join(dir, LOCK)), 'removed at the end')
  const failing = tempDir()
  assert.ok(caught(() => train({ ...base, optimizer: 'sgd', lr: 1e30 }, failing)))
  assert.not.ok(existsSync(join(failing, LOCK)), 'removed after an error')
})

test('a second training on a folder in use is refused at once, naming the first (pid, host, start time)', () => {
  const dir = tempDir()
  // The parent of this test process is alive, on this host: it stands for a training in progress.
  const first = { pid: process.ppid, host: hostname(), startedAt: '2026-12-07T01:02:03.000Z' }
  writeFileSync(join(dir, LOCK), JSON.stringify(first))
  const error = caught(() => train(base, dir))
  assert.match(error!.message, new RegExp(`is in use by another training \\(pid ${first.pid} on ${hostname()}, started 2026-12-07T01:02:03\\.000Z\\)`))
  assert.equal(readdirSync(dir), [LOCK], 'nothing written')
  assert.equal(JSON.parse(readFileSync(join(dir, LOCK), 'utf8')), first, "the first training's lock stays")
  // A lock from another host cannot be checked: refused too.
  writeFileSync(join(dir, LOCK), JSON.stringify({ ...first, pid: 1, host: 'elsewhere' }))
  assert.match(caught(() => train(base, dir))!.message, /in use by another training \(pid 1 on elsewhere/)
})

test('a stale lock (its pid dead on this host) is taken over with a warning', () => {
  const dir = tempDir()
  const dead = spawnSync(process.execPath, ['-e', '']).pid
  writeFileSync(join(dir, LOCK), JSON.stringify({ pid: dead, host: hostname(), startedAt: '2026-12-07T00:00:00.000Z' }))
  const lines: string[] = []
  train(base, dir, { log: (l) => lines.push(l) })
  assert.ok(lines.some((l) => l.includes(`was left by a training that is gone (pid ${dead} on ${hostname()}`)), lines.join('\n'))
  assert.ok(existsSync(join(dir, 'checkpoint.gkt')))
  assert.not.ok(existsSync(join(dir, LOCK)))
})

test('a non-empty folder that is not a genkata run is refused, saying what was found, and left as it was', () => {
  const mine = tempDir()
  writeFileSync(join(mine, 'settings.json'), '{"theme": "dark"}\n')
  writeFileSync(join(mine, 'index.html'), '<h1>my page</h1>\n')
  const before = snapshot(mine)
  assert.match(caught(() => train(base, mine))!.message, /is not a genkata run folder: its settings\.json names no model, epochs and seed \(found 2 entries: index\.html, settings\.json\)/)
  assert.equal(snapshot(mine), before)
  const notes = tempDir()
  writeFileSync(join(notes, 'notes.txt'), 'hello\n')
  mkdirSync(join(notes, 'photos'))
  assert.match(caught(() => train(base, notes))!.message, /is not empty and is not a genkata run folder \(no settings\.json; found notes\.txt, photos\)/)
  assert.equal(readdirSync(notes).sort(), ['notes.txt', 'photos'])
})

test('a run folder made with other settings is refused, naming each setting that differs', () => {
  const dir = tempDir()
  train(base, dir)
  const before = snapshot(dir)
  assert.match(caught(() => train({ ...base, latent: 3, lr: 0.01 }, dir))!.message, /holds a run with other settings \(latent: 2 there, 3 here; lr: 0\.001 there, 0\.01 here\)/)
  assert.match(caught(() => train({ ...base, epochs: 2, hidden: 16 }, dir, { resume: true }))!.message, /holds a run with other settings \(hidden: 8 there, 16 here\)/)
  assert.match(caught(() => train(base, dir))!.message, /already holds a trained run: continue it with --resume/)
  assert.equal(snapshot(dir), before)
})

test("a killed run's temporary files are removed at the next start", () => {
  const dir = tempDir()
  train(base, dir)
  const orphans = ['.checkpoint.gkt.4242.0badf00d.tmp', '.metrics.json.4242.3.tmp']
  for (const name of orphans) writeFileSync(join(dir, name), 'half a file')
  const lines: string[] = []
  train({ ...base, epochs: 2 }, dir, { resume: true, log: (l) => lines.push(l) })
  for (const name of orphans) assert.not.ok(existsSync(join(dir, name)), name)
  assert.ok(lines.some((l) => l.startsWith('removed 2 temporary files left by a killed run')), lines.join('\n'))
})

test('resuming with fewer epochs than already trained says so and changes no file', () => {
  const dir = tempDir()
  train({ ...base, epochs: 2 }, dir)
  const before = snapshot(dir)
  const lines: string[] = []
  const result = train({ ...base, epochs: 1 }, dir, { resume: true, log: (l) => lines.push(l) })
  assert.equal(lines, [`${dir} is already trained for 2 epochs (--epochs 1 asked for): nothing to do; no file was changed`])
  assert.is(result.history.length, 2)
  assert.equal(snapshot(dir), before)
})

test("replace (genkata start's runs/start) starts a genkata run over whatever its settings, and still refuses a foreign folder", () => {
  const dir = tempDir()
  train(base, dir)
  const lines: string[] = []
  const result = train({ ...base, latent: 3 }, dir, { replace: true, log: (l) => lines.push(l) })
  assert.ok(lines.includes(`replacing the run in ${dir}`))
  assert.is(result.history.length, 1)
  assert.is(JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8')).latent, 3)
  const mine = tempDir()
  writeFileSync(join(mine, 'settings.json'), '{"theme": "dark"}\n')
  assert.match(caught(() => train(base, mine, { replace: true }))!.message, /is not a genkata run folder/)
})

test.run()
