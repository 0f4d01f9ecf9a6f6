// The README's exercise table is what students read first: it must list exactly the manifest's
// exercises, with their titles and points, in order.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { loadManifest } from '../../src/kata/manifest.ts'
import { REPO } from './fixture.ts'

test('README lists every exercise of solutions/manifest.json with its title and points', () => {
  const readme = readFileSync(join(REPO, 'README.md'), 'utf8')
  const rows = [...readme.matchAll(/^\| (\d+\.\d+) \| ([^|]+) \| ([^|]+) \| (\d+) \|$/gm)].map((m) => [m[1], m[2]!.trim(), m[3]!.trim(), Number(m[4])])
  const expected = loadManifest(REPO).exercises.map((e) => [e.id, e.name, e.title, e.points])
  assert.equal(rows, expected)
})

test('README starts with the two set-up commands: one trains, one tests', () => {
  const [first, second] = readFileSync(join(REPO, 'README.md'), 'utf8').split('\n')
  assert.match(first!, /^\s+npm install && npm start\b/)
  assert.match(second!, /^\s+npm install && npm test\b/)
})

test.run()
