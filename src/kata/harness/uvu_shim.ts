// What `import { test } from 'uvu'` gives a graded test file inside the grading harness: the same
// API (test, test.only, test.skip, hooks, suite, test.run), but tests are recorded for the harness
// to run and report over its own channel instead of printed. Only tests declared by the graded
// file itself count: a student's module that declares passing tests of its own is ignored.

import { fileURLToPath, pathToFileURL } from 'node:url'

export type Handler = (state: Record<string, unknown>) => unknown
export interface TestCase { name: string; handler: Handler }
export interface SuiteRecord {
  name: string
  tests: TestCase[]
  only: TestCase[]
  skipped: string[]
  before: Handler[]
  after: Handler[]
  beforeEach: Handler[]
  afterEach: Handler[]
  state: Record<string, unknown>
}

interface Registry {
  /** The graded file's absolute path: declarations from anywhere else are dropped. */
  owner: string
  suites: SuiteRecord[]
  ignored: string[]
}

let registry: Registry | null = null
let claimed = false

/** Called once by the harness before the test file is imported; a second call throws. */
export function claimRegistry(owner: string): Registry {
  if (claimed) throw new Error('the grading registry is already claimed')
  claimed = true
  registry = { owner, suites: [], ignored: [] }
  return registry
}

// The stack is read with V8's own formatting (the harness pins Error.prepareStackTrace), so a
// declaration's caller is the first frame outside this file.
const SELF = import.meta.url
const SELF_PATH = fileURLToPath(SELF)
function callerIsOwner(): boolean {
  if (!registry) return false
  const stack = String(new Error().stack ?? '')
  const frames = stack.split('\n').slice(1).filter((l) => !l.includes(`${SELF}:`) && !l.includes(`${SELF_PATH}:`))
  const top = frames[0] ?? ''
  // Frames name the file by path (tsx maps them back to the .ts source) or by file: URL.
  return top.includes(`${registry.owner}:`) || top.includes(`${pathToFileURL(registry.owner).href}:`)
}

function makeSuite(name: string, state: Record<string, unknown>) {
  const record: SuiteRecord = { name, tests: [], only: [], skipped: [], before: [], after: [], beforeEach: [], afterEach: [], state }
  let counted = false
  const guard = (what: string): boolean => {
    if (callerIsOwner()) return true
    registry?.ignored.push(what)
    return false
  }
  const test = (testName: string, handler: Handler) => {
    if (guard(`test "${testName}"`)) record.tests.push({ name: String(testName), handler })
  }
  const hook = (list: Handler[], what: string) => (handler: Handler) => {
    if (guard(what)) list.push(handler)
  }
  const before = Object.assign(hook(record.before, 'before hook'), { each: hook(record.beforeEach, 'before.each hook') })
  const after = Object.assign(hook(record.after, 'after hook'), { each: hook(record.afterEach, 'after.each hook') })
  return Object.assign(test, {
    before,
    after,
    only: (testName: string, handler: Handler) => {
      if (guard(`test.only "${testName}"`)) record.only.push({ name: String(testName), handler })
    },
    skip: (testName?: string) => {
      if (guard(`test.skip "${testName}"`)) record.skipped.push(String(testName ?? '(unnamed)'))
    },
    run: () => {
      if (!guard('test.run') || counted || !registry) return
      counted = true
      registry.suites.push(record)
    },
  })
}

export const suite = (name = '', state: Record<string, unknown> = {}) => makeSuite(name, state)
export const test = suite()
/** uvu's exec: the harness runs the suites itself, so this does nothing. */
export async function exec(): Promise<void> {}
