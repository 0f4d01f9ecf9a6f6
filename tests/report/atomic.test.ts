// writeFileAtomic: the whole file or none of it, at a temporary name nobody can predict or plant.
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { ATOMIC_TEMP_PATTERN, atomicTempPath, writeFileAtomic } from '../../src/report/atomic.ts'

const dir = mkdtempSync(join(tmpdir(), 'genkata-atomic-'))
test.after(() => rmSync(dir, { recursive: true, force: true }))

test('writes strings, bytes and chunk lists, creating the folder; no temporary file stays', () => {
  const folder = join(dir, 'a', 'b')
  writeFileAtomic(join(folder, 's.txt'), 'héllo\n')
  writeFileAtomic(join(folder, 'b.bin'), new Uint8Array([1, 2, 3]))
  writeFileAtomic(join(folder, 'c.bin'), [new Uint8Array([1]), new Uint8Array(0), new Uint8Array([2, 3])])
  assert.is(readFileSync(join(folder, 's.txt'), 'utf8'), 'héllo\n')
  assert.equal([...readFileSync(join(folder, 'b.bin'))], [1, 2, 3])
  assert.equal([...readFileSync(join(folder, 'c.bin'))], [1, 2, 3])
  writeFileAtomic(join(folder, 's.txt'), 'replaced')
  assert.is(readFileSync(join(folder, 's.txt'), 'utf8'), 'replaced')
  assert.equal(readdirSync(folder).sort(), ['b.bin', 'c.bin', 's.txt'])
  assert.throws(() => writeFileAtomic(join(dir, 'missing', 'x'), 'x', { mkdir: false }), /ENOENT/)
})

test('the temporary name is unpredictable, beside the target, and matched by ATOMIC_TEMP_PATTERN', () => {
  const target = join(dir, 'settings.json')
  const names = new Set(Array.from({ length: 50 }, () => atomicTempPath(target)))
  assert.is(names.size, 50)
  for (const name of names) {
    assert.ok(name.startsWith(join(dir, `.settings.json.${process.pid}.`)), name)
    assert.match(name.slice(dir.length + 1), ATOMIC_TEMP_PATTERN)
  }
  assert.not.match('settings.json', ATOMIC_TEMP_PATTERN)
  assert.not.match('.settings.json', ATOMIC_TEMP_PATTERN)
  // What older genkatas left: writeFileAtomic's counter, saveCheckpoint's 8 hex digits.
  assert.match('.metrics.csv.4242.17.tmp', ATOMIC_TEMP_PATTERN)
  assert.match('.checkpoint.gkt.4242.0a1b2c3d.tmp', ATOMIC_TEMP_PATTERN)
})

test('a symlink planted at the old predictable temporary names does not redirect the write', () => {
  const folder = join(dir, 'planted')
  mkdirSync(folder)
  const victim = join(dir, 'victim.txt')
  writeFileSync(victim, 'precious')
  // The old writeFileAtomic used `.<name>.<pid>.<counter>.tmp`, the counter counting from 0.
  for (let counter = 0; counter < 2000; counter++) symlinkSync(victim, join(folder, `.metrics.csv.${process.pid}.${counter}.tmp`))
  const target = join(folder, 'metrics.csv')
  writeFileAtomic(target, 'epoch,loss\n1,0.5\n')
  assert.is(readFileSync(victim, 'utf8'), 'precious', 'the symlink target was not written')
  assert.ok(lstatSync(target).isFile() && !lstatSync(target).isSymbolicLink(), 'the target is a regular file')
  assert.is(readFileSync(target, 'utf8'), 'epoch,loss\n1,0.5\n')
})

test('a failed rename leaves the old file intact and removes the temporary file', () => {
  const folder = join(dir, 'fail')
  mkdirSync(join(folder, 'blocked'), { recursive: true })
  writeFileSync(join(folder, 'blocked', 'keep'), 'x')
  assert.throws(() => writeFileAtomic(join(folder, 'blocked'), 'data'))
  assert.equal(readdirSync(folder), ['blocked'])
  assert.ok(existsSync(join(folder, 'blocked', 'keep')))
})

test.run()
