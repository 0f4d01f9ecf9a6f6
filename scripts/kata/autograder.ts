// npm run kata:autograder -- DIR [--visibility [ID=]visible|after_due_date|hidden]... [--timeout S] [--jobs N]
// writes the Gradescope autograder folder DIR and DIR.zip (upload the zip on Gradescope).
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { buildAutograder, DEFAULT_CONFIG, parseVisibility } from '../../src/kata/autograder.ts'
import { GenerateError } from '../../src/kata/generate.ts'
import { ManifestError } from '../../src/kata/manifest.ts'

const USAGE = 'usage: npm run kata:autograder -- DIR [--visibility [ID=]visible|after_due_date|hidden]... [--timeout S] [--jobs N] [--root <repo>]'
const args = process.argv.slice(2)
let root = fileURLToPath(new URL('../..', import.meta.url))
const visibility: string[] = []
let timeoutSeconds = DEFAULT_CONFIG.timeoutSeconds
let jobs = DEFAULT_CONFIG.jobs
const rest: string[] = []
const fail = (message: string): never => {
  console.error(`kata:autograder: ${message}\n${USAGE}`)
  process.exit(2)
}
for (let i = 0; i < args.length; i++) {
  const arg = args[i]!
  const value = () => args[++i] ?? fail(`${arg} needs a value`)
  const positive = (v: string) => (Number(v) > 0 ? Number(v) : fail(`${arg} needs a positive number, got ${v}`))
  if (arg === '--root') root = resolve(value())
  else if (arg === '--visibility') visibility.push(value())
  else if (arg === '--timeout') timeoutSeconds = positive(value())
  else if (arg === '--jobs') jobs = Math.floor(positive(value()))
  else if (arg.startsWith('-')) fail(`unknown option ${arg}`)
  else rest.push(arg)
}
if (rest.length !== 1) fail('give one output directory')
try {
  const { dir, zip, files } = buildAutograder(resolve(root), resolve(rest[0]!), { visibility: parseVisibility(visibility), timeoutSeconds, jobs })
  console.log(`wrote ${dir} and ${zip} (${files} files): upload the zip as the assignment's autograder on Gradescope`)
} catch (err) {
  console.error(err instanceof GenerateError || err instanceof ManifestError ? err.message : `kata:autograder: ${(err as Error).message}`)
  process.exit(1)
}
