// Run by the Gradescope autograder's run_autograder (inside /autograder/source): grades
// AUTOGRADER_ROOT/submission's exercises and writes AUTOGRADER_ROOT/results/results.json.
//   node --import tsx scripts/kata/autograde.ts --autograder-root DIR
import { resolve } from 'node:path'
import { autogradeSubmission } from '../../src/kata/autograder.ts'
import { killRunningChildren } from '../../src/kata/grade.ts'

const args = process.argv.slice(2)
const at = args.indexOf('--autograder-root')
const root = resolve(at >= 0 && args[at + 1] ? args[at + 1]! : process.env.AUTOGRADER_ROOT ?? '/autograder')
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    killRunningChildren()
    process.exit(130)
  })
}
try {
  await autogradeSubmission({ autograderRoot: root })
} catch (err) {
  console.error(`autograde: ${(err as Error).message}`)
  process.exit(1)
}
