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
  /** The graded file's absolute path: declarations must come from it (directly, or through a helper it calls). */
  owner: string
  /** Folders of student code: a declaration with any of these on the stack is dropped. */
  untrusted: string[]
  suites: SuiteRecord[]
  ignored: string[]
}

let registry: Registry | null = null
let claimed = false

/** Called once by the harness before the test file is imported; a second call throws. */
export function claimRegistry(owner: string, untrusted: string[] = []): Registry {
  if (claimed) throw new Error('the grading registry is already claimed')
  claimed = true
  registry = { owner, untrusted, suites: [], ignored: [] }
  return registry
}

// The stack is read with V8's own formatting (the harness pins Error.prepareStackTrace). A
// declaration counts when the graded file is on the stack (a helper of tests/ may declare for it)
// and no student file is.
const SELF = import.meta.url
const SELF_PATH = fileURLToPath(SELF)
function callerIsOwner(): boolean {
  if (!registry) return false
  const stack = String(new Error().stack ?? '')
  const frames = stack.split('\n').slice(1).filter((l) => !l.includes(`${SELF}:`) && !l.includes(`${SELF_PATH}:`))
  const names = (path: string) => [`${path}:`, `${pathToFileURL(path).href}:`]
  const has = (prefix: string) => frames.some((f) => names(prefix).some((n) => f.includes(n.slice(0, -1))))
  const owner = frames.some((f) => names(registry!.owner).some((n) => f.includes(n)))
  return owner && !registry.untrusted.some(has)
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
