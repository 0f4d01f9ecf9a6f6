#!/usr/bin/env -S node --import tsx
// The genkata command line: one file per command under commands/, dispatched by cli.ts. An error
// is printed as "genkata: <message>" with exit status 1; help (--help, -h) exits 0.
import { rerunIfMine } from '../kata/mine.ts'

const argv = process.argv.slice(2)
// First, before the library loads: --mine re-runs the command on the student's own code.
rerunIfMine(argv)
const { runCli } = await import('./cli.ts')

try {
  await runCli(argv)
} catch (error) {
  console.error(`genkata: ${(error as Error).message}`)
  process.exit(1)
}
