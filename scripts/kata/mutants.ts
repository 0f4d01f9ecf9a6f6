// npm run kata:mutants [-- --only <exercise id>]... [--jobs N] [--root <repo>]
// grades every plausible student bug of tests/kata/mutants/ch*.ts; exits 1 unless each loses points.
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { killRunningChildren } from '../../src/kata/grade.ts'
import { loadManifest } from '../../src/kata/manifest.ts'
import { formatMutantTable, loadMutants, MUTANTS_DIR, runMutants } from '../../src/kata/mutants.ts'

const args = process.argv.slice(2)
let root = fileURLToPath(new URL('../..', import.meta.url))
const only: string[] = []
let jobs = 2
for (let i = 0; i < args.length; i++) {
  const arg = args[i]!
  if (arg === '--root' && args[i + 1]) root = resolve(args[++i]!)
  else if (arg === '--only' && args[i + 1]) only.push(...args[++i]!.split(','))
  else if (arg === '--jobs' && Number(args[i + 1]) > 0) jobs = Math.floor(Number(args[++i]))
  else {
    console.error(`kata:mutants: unexpected argument ${arg}\nusage: npm run kata:mutants -- [--only <id>]... [--jobs N] [--root <repo>]`)
    process.exit(2)
  }
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    killRunningChildren()
    process.exit(130)
  })
}
try {
  const manifest = loadManifest(root)
  const mutants = (await loadMutants(root)).filter((m) => only.length === 0 || only.includes(m.exercise))
  if (mutants.length === 0) {
    console.log(`no mutants in ${MUTANTS_DIR}/ch*.ts${only.length ? ` for ${only.join(', ')}` : ''}`)
    process.exit(0)
  }
  console.log(`grading ${mutants.length} mutants, ${jobs} at a time\n`)
  const rows = await runMutants({ root, manifest, mutants, jobs })
  console.log(formatMutantTable(rows))
  const missed = rows.filter((r) => !r.caught)
  if (missed.length) {
    console.error(`\n${missed.length} of ${rows.length} mutants scored full marks: the graded tests miss these bugs`)
    process.exit(1)
  }
  console.log(`\nevery one of the ${rows.length} mutants loses points`)
} catch (err) {
  console.error(`kata:mutants: ${(err as Error).message}`)
  process.exit(1)
}
