// The test command: every uvu suite under tests/ in one process, under c8 with the coverage
// thresholds from package.json; then the op suite (tests/tensor, tests/autograd) again on every
// other backend, so each backend is held to the same tests. Ends with the line CI reads:
// "N passed, N failed".
// Usage: npm test [-- <pattern>]   (pattern: a regex on test file paths, e.g. "autograd"; with a
// pattern, only that, without coverage and without the backend passes)
import { spawn } from 'node:child_process'

const pattern = process.argv[2]
const noCoverage = process.env.GENKATA_NO_COVERAGE === '1' || pattern !== undefined
const mainBackend = process.env.GENKATA_BACKEND || 'cpu'
// gpu.js's webgpu needs an adapter: CI installs Mesa's EGL and sets GENKATA_TEST_WEBGPU=1.
const opSuiteBackends = ['reference', 'cpu', 'gpu.js-webasm', ...(process.env.GENKATA_TEST_WEBGPU === '1' ? ['gpu.js-webgpu'] : [])].filter((b) => b !== mainBackend)

interface PassResult {
  label: string
  passed: number
  failed: number
  skipped: number
  code: number | null
}

function run(label: string, args: string[], env: NodeJS.ProcessEnv): Promise<PassResult> {
  return new Promise((resolve) => {
    const child = spawn(args[0]!, args.slice(1), { stdio: ['ignore', 'pipe', 'inherit'], env })
    let out = ''
    child.stdout.on('data', (chunk: Buffer) => {
      process.stdout.write(chunk)
      out += chunk.toString()
    })
    child.on('close', (code) => {
      const plain = out.replace(/\x1b\[[0-9;]*m/g, '')
      const count = (name: string) => Number(/^\s*(\w+):\s+(\d+)/m.exec(plain.slice(plain.lastIndexOf(name)))?.[2] ?? NaN)
      const total = count('Total:')
      if (!Number.isFinite(total)) {
        console.log(`${label}: the test run crashed before uvu printed its totals (exit ${code})`)
        resolve({ label, passed: 0, failed: 1, skipped: 0, code })
        return
      }
      // uvu's Total already leaves skipped tests out.
      const passed = count('Passed:')
      resolve({ label, passed, failed: total - passed, skipped: count('Skipped:'), code })
    })
  })
}

const uvu = (files: string) => ['node', '--import', 'tsx', 'node_modules/uvu/bin.js', 'tests', files, '--color', 'false']
const results: PassResult[] = []
// A pattern picks among the test files only, never a fixture that happens to match it.
const main = uvu(pattern === undefined ? '\\.test\\.ts$' : `^(?=.*\\.test\\.ts$)(?:${pattern})`)
results.push(await run(`all tests on ${mainBackend}`, noCoverage ? main : ['node_modules/.bin/c8', ...main], { ...process.env, GENKATA_BACKEND: mainBackend }))
if (pattern === undefined) {
  for (const backend of opSuiteBackends) {
    console.log(`\nthe op suite (tests/tensor, tests/autograd) on ${backend}`)
    results.push(await run(`op suite on ${backend}`, uvu('^(tensor|autograd)/'), { ...process.env, GENKATA_BACKEND: backend }))
  }
}

console.log('')
for (const r of results) {
  const trouble = r.code !== 0 && r.failed === 0 ? ` (exit ${r.code}: coverage below the thresholds in package.json?)` : ''
  console.log(`${r.label}: ${r.passed} passed, ${r.failed} failed${r.skipped ? `, ${r.skipped} skipped` : ''}${trouble}`)
}
const passed = results.reduce((s, r) => s + r.passed, 0)
const failed = results.reduce((s, r) => s + r.failed + (r.code !== 0 && r.failed === 0 ? 1 : 0), 0)
const skipped = results.reduce((s, r) => s + r.skipped, 0)
if (skipped) console.log(`${skipped} skipped (each says why above)`)
console.log(`${passed} passed, ${failed} failed`)
process.exit(failed === 0 ? 0 : 1)
