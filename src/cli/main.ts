#!/usr/bin/env -S node --import tsx
// The genkata command line: one file per command under commands/, dispatched by cli.ts. An error
// is printed as "genkata: <message>" with exit status 1; help (--help, -h) exits 0.
// First, before any other module runs: --mine re-runs the command on the student's own code.
import '../kata/mine.ts'
import { runCli } from './cli.ts'

async function main(argv: string[]): Promise<void> {
  await runCli(argv)
}

try {
  await main(process.argv.slice(2))
} catch (error) {
  console.error(`genkata: ${(error as Error).message}`)
  process.exit(1)
}
