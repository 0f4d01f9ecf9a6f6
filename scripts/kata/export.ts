// npm run kata:export -- DIR   write the student edition (no solutions/, no git history) into DIR
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { exportStudentEdition } from '../../src/kata/export.ts'
import { GenerateError } from '../../src/kata/generate.ts'
import { ManifestError } from '../../src/kata/manifest.ts'

const args = process.argv.slice(2)
let root = fileURLToPath(new URL('../..', import.meta.url))
const rest: string[] = []
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--root' && args[i + 1] !== undefined) root = resolve(args[++i]!)
  else rest.push(args[i]!)
}
if (rest.length !== 1 || rest[0]!.startsWith('-')) {
  console.error('usage: npm run kata:export -- DIR [--root <repo>]')
  process.exit(2)
}
try {
  const { dest, files } = exportStudentEdition(resolve(root), resolve(rest[0]!))
  console.log(`wrote the student edition to ${dest} (${files} files); there: npm install && npm run grade`)
} catch (err) {
  console.error(err instanceof GenerateError || err instanceof ManifestError ? err.message : `kata:export: ${(err as Error).message}`)
  process.exit(1)
}
