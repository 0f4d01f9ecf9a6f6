// The harness's stand-in for uvu (src/kata/harness/uvu_shim.ts), in process: declarations from the
// owner file are recorded (tests, only, skip, hooks, suites), declarations from anywhere else are
// dropped and listed, and the registry can be claimed once only.
import { fileURLToPath, pathToFileURL } from 'node:url'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { claimRegistry, exec, suite, test as shimTest } from '../../src/kata/harness/uvu_shim.ts'
import { makeTree, removeTrees } from './fixture.ts'

test.after(removeTrees)

test('the owner file\'s declarations are recorded; another file\'s are dropped; one claim only', async () => {
  const root = makeTree({
    'exercises/elsewhere.mjs': `import { test } from ${JSON.stringify(new URL('../../src/kata/harness/uvu_shim.ts', import.meta.url).href)}\ntest('free', () => {})\ntest.only('free only', () => {})\ntest.run()\n`,
    // A helper of tests/ may declare tests for the graded file; student code (exercises/) may not.
    'helpers/declare.mjs': `export const declare = (t, name) => t(name, () => {})\n`,
    'exercises/sneaky.mjs': `export const sneak = (t) => t('sneaked', () => {})\n`,
  })
  const registry = claimRegistry(fileURLToPath(import.meta.url), [`${root}/exercises/`])
  const { declare } = await import(pathToFileURL(`${root}/helpers/declare.mjs`).href)
  const { sneak } = await import(pathToFileURL(`${root}/exercises/sneaky.mjs`).href)
  declare(shimTest, 'through a helper')
  sneak(shimTest)
  assert.throws(() => claimRegistry('/elsewhere.ts'), /already claimed/)
  shimTest('plain', () => {})
  shimTest.only('focused', () => {})
  shimTest.skip('skipped')
  shimTest.before(() => {})
  shimTest.before.each(() => {})
  shimTest.after(() => {})
  shimTest.after.each(() => {})
  const named = suite('named', { x: 1 })
  named('in a suite', () => {})
  named.run()
  shimTest.run()
  shimTest.run() // a second run of the same suite adds nothing
  await import(pathToFileURL(`${root}/exercises/elsewhere.mjs`).href)
  await exec()
  assert.equal(registry.suites.map((s) => [s.name, s.tests.map((t) => t.name), s.only.map((t) => t.name), s.skipped, s.before.length + s.after.length + s.beforeEach.length + s.afterEach.length]), [
    ['named', ['in a suite'], [], [], 0],
    ['', ['through a helper', 'plain'], ['focused'], ['skipped'], 4],
  ])
  assert.equal(registry.suites[0]!.state, { x: 1 })
  assert.equal(registry.ignored, ['test "sneaked"', 'test "free"', 'test.only "free only"', 'test.run'])
})

test.run()
