// The backend registry: the cpu backend is the default, a backend is chosen by name, and
// asking for one that does not exist is an error naming those that do (never a silent fallback).
import { spawnSync } from 'node:child_process'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { availableBackends, getBackend, registerBackend, setBackend, tensor } from '../../src/index.ts'
import type { Backend } from '../../src/index.ts'
import { referenceBackend } from '../../src/backend/reference.ts'

// The suite also runs under other backends (GENKATA_BACKEND=gpu.js-webasm ...): 'cpu' is the default.
const selected = process.env.GENKATA_BACKEND || 'cpu'

test("getBackend().name is GENKATA_BACKEND's, 'cpu' by default (asked in a fresh process)", () => {
  // Other test files share this process and may have selected a backend: the default is only
  // visible in a process of its own.
  const env = { ...process.env }
  delete env.GENKATA_BACKEND
  const nameIn = (extra: NodeJS.ProcessEnv) => {
    const script = "import { getBackend } from './src/index.ts'; console.log(`backend=${getBackend().name}`)"
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', env: { ...env, ...extra } })
    assert.is(run.status, 0, run.stderr)
    return /backend=(\S+)/.exec(run.stdout)?.[1]
  }
  assert.is(nameIn({}), 'cpu')
  assert.is(nameIn({ GENKATA_BACKEND: 'reference' }), 'reference')
  assert.ok(availableBackends().includes('reference'))
  assert.ok(availableBackends().includes('cpu'))
})

test("setBackend('nope') throws naming the available backends, and keeps the current one", () => {
  const before = getBackend()
  assert.throws(() => setBackend('nope'), (e: Error) => /unknown backend 'nope'/.test(e.message) && e.message.includes(availableBackends().join(', ')) && e.message.includes('reference'))
  assert.ok(getBackend() === before)
})

test('every op runs through the selected backend; registering under a name replaces its factory', () => {
  // The registry has no unregister, and uvu runs every test file in one process: so the spy is
  // registered under 'reference' itself and the real reference is put back afterwards, leaving the
  // registry exactly as it was.
  const calls: string[] = []
  const spy: Backend = {
    name: 'reference (spy)',
    map: (...args) => (calls.push('map'), referenceBackend.map(...args)),
    zip: (...args) => (calls.push('zip'), referenceBackend.zip(...args)),
    reduce: (...args) => (calls.push('reduce'), referenceBackend.reduce(...args)),
    matmul: (...args) => (calls.push('matmul'), referenceBackend.matmul(...args)),
    conv2d: (...args) => (calls.push('conv2d'), referenceBackend.conv2d(...args)),
    conv2dInputGrad: (...args) => (calls.push('conv2dInputGrad'), referenceBackend.conv2dInputGrad(...args)),
    conv2dWeightGrad: (...args) => (calls.push('conv2dWeightGrad'), referenceBackend.conv2dWeightGrad(...args)),
  }
  const before = availableBackends()
  registerBackend('reference', () => spy)
  try {
    assert.is(setBackend('reference').name, 'reference (spy)')
    assert.ok(getBackend() === spy)
    const t = tensor([[1, 2], [3, 4]])
    assert.equal(t.matmul(t).add(1).exp().log().sum().item(), 7 + 10 + 15 + 22 + 4)
    assert.equal([...new Set(calls)].sort(), ['map', 'matmul', 'reduce', 'zip'])
  } finally {
    registerBackend('reference', () => referenceBackend)
    setBackend(selected)
  }
  assert.is(getBackend().name, selected)
  assert.equal(availableBackends(), before)
})

test.run()
