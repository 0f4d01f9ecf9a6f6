// The mutant check on a fixture repository: a bug the graded tests catch scores below full marks,
// one they miss scores full marks and fails the command (named in its table), and a `find` that
// does not occur exactly once is an error before anything runs.
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { writeGeneration } from '../../src/kata/generate.ts'
import { loadManifest } from '../../src/kata/manifest.ts'
import { applyMutant, formatMutantTable, loadMutants, runMutants } from '../../src/kata/mutants.ts'
import { makeTree, manifestJson, PACKAGE_JSON, REPO, removeTrees, writeTree } from './fixture.ts'

test.after(removeTrees)

const CH0 = (mutants: object[]) => `import type { Mutant } from '${join(REPO, 'tests/kata/mutants/types.ts')}'\nexport const mutants: Mutant[] = ${JSON.stringify(mutants)}\n`

function fixtureRepo(): string {
  const root = makeTree({
    'package.json': PACKAGE_JSON,
    'solutions/manifest.json': manifestJson([{ id: '1.1', name: 'double', file: 'double', points: 10 }]),
    'solutions/double.ts': 'export function double(x: number): number {\n  // BEGIN SOLUTION hint: x + x\n  return x + x\n  // END SOLUTION\n}\n',
    'tests/graded/1.1_double.test.ts': "import { test } from 'uvu'\nimport * as assert from 'uvu/assert'\nimport { double } from '#kata/double'\ntest('double 2', () => assert.is(double(2), 4))\ntest('double -1', () => assert.is(double(-1), -2))\ntest.run()\n",
    'tests/kata/mutants/ch0.ts': CH0([
      { exercise: '1.1', bug: 'squares instead', find: 'return x + x', replace: 'return x * x' },
      { exercise: '1.1', bug: 'twice, written differently', find: 'return x + x', replace: 'return 2 * x' },
    ]),
  })
  writeGeneration(root)
  return root
}

test('runMutants: a caught bug loses points, a missed one keeps full marks', async () => {
  const root = fixtureRepo()
  const manifest = loadManifest(root)
  const mutants = await loadMutants(root)
  assert.equal(mutants.map((m) => m.bug), ['squares instead', 'twice, written differently'])
  const rows = await runMutants({ root, manifest, mutants })
  assert.equal(rows.map((r) => [r.result.score, r.caught]), [[5, true], [10, false]])
  const table = formatMutantTable(rows).split('\n')
  assert.match(table[1]!, /^1\.1 double\s+squares instead\s+5\/10\s+"double -1": Expected values to be strictly equal: expected -2, got 1$/)
  assert.match(table[2]!, /MISSED: full marks$/)
})

test('applyMutant: `find` must occur exactly once; loadMutants checks the shape', async () => {
  const root = fixtureRepo()
  const manifest = loadManifest(root)
  assert.throws(() => applyMutant(root, manifest, { exercise: '1.1', bug: 'b', find: 'x', replace: 'y' }), /`find` occurs \d+ times in solutions\/double\.ts/)
  assert.throws(() => applyMutant(root, manifest, { exercise: '1.1', bug: 'b', find: 'nowhere', replace: 'y' }), /occurs 0 times/)
  assert.throws(() => applyMutant(root, manifest, { exercise: '9.9', bug: 'b', find: 'x', replace: 'y' }), /no exercise 9\.9/)
  writeTree(root, { 'tests/kata/mutants/ch1.ts': CH0([{ exercise: '1.1', bug: '', find: 'x', replace: 'y' }]) })
  try {
    await loadMutants(root)
    assert.unreachable('loaded a mutant without a bug')
  } catch (err) {
    assert.match((err as Error).message, /ch1\.ts: mutants\[0\]\.bug must be a non-empty string/)
  }
})

test('the CLI fails on a missed mutant and passes once only caught ones remain', () => {
  const root = fixtureRepo()
  const cli = () => spawnSync(process.execPath, ['--import', 'tsx', join(REPO, 'scripts/kata/mutants.ts'), '--root', root], { encoding: 'utf8' })
  let r = cli()
  assert.is(r.status, 1, r.stdout + r.stderr)
  assert.match(r.stderr, /1 of 2 mutants scored full marks/)
  writeTree(root, { 'tests/kata/mutants/ch0.ts': CH0([{ exercise: '1.1', bug: 'squares instead', find: 'return x + x', replace: 'return x * x' }]) })
  r = cli()
  assert.is(r.status, 0, r.stdout + r.stderr)
  assert.match(r.stdout, /every one of the 1 mutants loses points/)
})

test.run()
