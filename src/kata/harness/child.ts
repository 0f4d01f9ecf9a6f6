// The grading child's entry: node --conditions=... --import tsx src/kata/harness/child.ts TEST
// Runs one graded test file and reports each test over fd 3, a pipe the grader opened, every line
// tagged with a secret the grader wrote to stdin (read once, before any test code loads, and never
// put in the environment). Nothing the student's code prints on stdout counts, and a line it writes
// to fd 3 without the secret is dropped. The grader scores only what arrives here.
import { readFileSync, writeSync } from 'node:fs'
import { register } from 'node:module'
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import fc from 'fast-check'
import { describeError } from '../format.ts'
import type { ChildMessage } from '../protocol.ts'
import { lockdown } from './lockdown.ts'
import { claimRegistry, type SuiteRecord } from './uvu_shim.ts'

const CHANNEL_FD = 3
const secret = readFileSync(0, 'utf8').trim()
// Copies of the functions themselves, not the live bindings: code under test could swap node:fs's
// exports (fs.writeSync = spy; syncBuiltinESMExports()) to read the secret off the first message.
const write = writeSync
const stringify = JSON.stringify
const exit = process.exit.bind(process)
const send = (message: ChildMessage) => {
  write(CHANNEL_FD, `${secret} ${stringify(message)}\n`)
}

const testFile = process.argv[2]
if (!testFile || !secret) {
  process.stderr.write('usage: node --import tsx src/kata/harness/child.ts TEST_FILE (secret on stdin, channel on fd 3)\n')
  exit(2)
}
const testUrl = pathToFileURL(resolve(testFile!)).href

register(new URL('./hooks.mjs', import.meta.url), { data: { shim: new URL('./uvu_shim.ts', import.meta.url).href } })
// One seed for every property test (printed with any counterexample): a score never changes from
// one run to the next.
export const PROPERTY_SEED = 20260101
fc.configureGlobal({ seed: PROPERTY_SEED })
const registry = claimRegistry(resolve(testFile!), [`${resolve('exercises')}/`])
// Which stubs threw during the current test, caught or not (src/kata/not_implemented.ts calls this).
let thrown: string[] = []
Object.defineProperty(globalThis, Symbol.for('genkata.kata.notImplemented'), { value: (id: unknown) => thrown.push(String(id)), writable: false, configurable: false })
lockdown()

// Exercise ids of NotImplementedErrors (thrown by untouched stubs), to tell "not started" and
// "needs an earlier exercise" from a real failure.
function notImplementedId(err: unknown): string | undefined {
  let e = err as { name?: unknown; exerciseId?: unknown; cause?: unknown } | undefined
  for (let depth = 0; e && depth < 3; depth++, e = e.cause as typeof e) {
    if (e.name === 'NotImplementedError' && typeof e.exerciseId === 'string') return e.exerciseId
  }
  return undefined
}

async function runSuite(s: SuiteRecord): Promise<void> {
  const list = s.only.length ? s.only : s.tests
  const skipped = [...s.skipped, ...(s.only.length ? s.tests.map((t) => t.name) : [])]
  for (const name of skipped) send({ type: 'test', suite: s.name, name, outcome: 'skipped' })
  try {
    for (const hook of s.before) await hook(s.state)
  } catch (err) {
    for (const t of list) send({ type: 'test', suite: s.name, name: t.name, outcome: 'failed', error: `before hook failed: ${describeError(err)}`, notImplemented: notImplementedId(err) })
    return
  }
  for (const t of list) {
    s.state.__test__ = t.name
    thrown = []
    try {
      for (const hook of s.beforeEach) await hook(s.state)
      await t.handler(s.state)
      for (const hook of s.afterEach) await hook(s.state)
      send({ type: 'test', suite: s.name, name: t.name, outcome: 'passed' })
    } catch (err) {
      send({ type: 'test', suite: s.name, name: t.name, outcome: 'failed', error: describeError(err), notImplemented: notImplementedId(err) ?? thrown[0] })
    }
  }
  try {
    for (const hook of s.after) await hook(s.state)
  } catch {
    // An after hook cleans up; its failure does not change what the tests showed.
  }
}

try {
  await import(testUrl)
} catch (err) {
  send({ type: 'crash', error: describeError(err), notImplemented: notImplementedId(err) })
  exit(1)
}
if (registry.ignored.length) send({ type: 'ignored', what: registry.ignored.slice(0, 20) })
for (const s of registry.suites) await runSuite(s)
send({ type: 'done' })
exit(0)
