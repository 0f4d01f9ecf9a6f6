// The test command: every uvu suite under tests/ in one process, under c8 with the coverage
// thresholds from package.json, ending with the line CI reads: "N passed, N failed".
// Usage: npm test [-- <pattern>]   (pattern: a regex on test file paths, e.g. "autograd")
import { spawn } from 'node:child_process'

const pattern = process.argv[2] ?? '\\.test\\.ts$'
const noCoverage = process.env.GENKATA_NO_COVERAGE === '1' || process.argv[2] !== undefined
const uvu = ['node', '--import', 'tsx', 'node_modules/uvu/bin.js', 'tests', pattern, '--color', 'false']
const cmd = noCoverage ? uvu : ['node_modules/.bin/c8', ...uvu]

const child = spawn(cmd[0]!, cmd.slice(1), { stdio: ['ignore', 'pipe', 'inherit'] })
let out = ''
child.stdout.on('data', (chunk: Buffer) => {
  process.stdout.write(chunk)
  out += chunk.toString()
})
child.on('close', (code) => {
  const plain = out.replace(/\x1b\[[0-9;]*m/g, '')
  const count = (label: string) => Number(/^\s*(\w+):\s+(\d+)/m.exec(plain.slice(plain.lastIndexOf(label)))?.[2] ?? NaN)
  const total = count('Total:')
  const passed = count('Passed:')
  const skipped = count('Skipped:')
  if (!Number.isFinite(total)) {
    console.log(`the test run crashed before uvu printed its totals (exit ${code})`)
    console.log('0 passed, 1 failed')
    process.exit(1)
  }
  // uvu's Total already leaves skipped tests out.
  const failed = total - passed
  if (code !== 0 && failed === 0) console.log(`tests passed but the run exited ${code} (coverage below the thresholds in package.json?)`)
  console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`)
  process.exit(code === 0 && failed === 0 ? 0 : 1)
})
