// npm run kata:generate   regenerate exercises/ and package.json "imports" from solutions/
// npm run kata:check      (--check) write nothing; exit 1 listing what is stale, missing or extra
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { checkGeneration, GenerateError, writeGeneration } from '../../src/kata/generate.ts'
import { ManifestError } from '../../src/kata/manifest.ts'

// --root <dir> generates another tree (the tests use it on fixtures); default: this repository.
let root = fileURLToPath(new URL('../..', import.meta.url))
let check = false
const args = process.argv.slice(2)
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--check') check = true
  else if (args[i] === '--root' && args[i + 1] !== undefined) root = resolve(args[++i]!)
  else {
    console.error(`kata:generate: unexpected argument ${args[i]}\nusage: tsx scripts/kata/generate.ts [--check] [--root <dir>]`)
    process.exit(2)
  }
}

try {
  if (check) {
    const problems = checkGeneration(root)
    if (problems.length) {
      console.error(`exercises/ is out of date with solutions/ (run npm run kata:generate):\n  ${problems.join('\n  ')}`)
      process.exit(1)
    }
    console.log('exercises/ and package.json "imports" are up to date')
  } else {
    const { written, removed, importsUpdated } = writeGeneration(root)
    for (const path of written) console.log(`wrote ${path}`)
    for (const path of removed) console.log(`removed ${path}`)
    if (importsUpdated) console.log('updated package.json "imports"')
    if (!written.length && !removed.length && !importsUpdated) console.log('exercises/ already up to date')
  }
} catch (err) {
  // Marker and manifest problems are the user's to fix: print them without a stack trace.
  console.error(err instanceof GenerateError || err instanceof ManifestError ? err.message : err)
  process.exit(1)
}
