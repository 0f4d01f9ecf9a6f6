// genkata doctor: every backend is started and checked on one small matmul against the reference;
// failures are reported with their reason, and the selection is left as it was.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { checkBackend, doctor, formatDoctorReport } from '../../src/backend/doctor.ts'
import { referenceBackend } from '../../src/backend/reference.ts'
import type { Backend } from '../../src/backend/backend.ts'
import { availableBackends, getBackend } from '../../src/index.ts'

/** The reference, with its matmul answer scaled: a backend that starts but computes wrongly. */
const wrong: Backend = {
  ...referenceBackend,
  name: 'wrong',
  matmul(a, b, out) {
    referenceBackend.matmul(a, b, out)
    out.data[3]! *= 1.01
  },
}
const throwing: Backend = {
  ...referenceBackend,
  name: 'throwing',
  matmul() {
    throw new Error('kernel exploded')
  },
}
const fixtures: Record<string, () => Backend> = {
  reference: () => referenceBackend,
  wrong: () => wrong,
  throwing: () => throwing,
  missing: () => {
    throw new Error('no adapter: install Mesa')
  },
}
const create = (name: string) => fixtures[name]!()

test('a working backend is ok, with a zero-ish error, a time, and what it runs on', () => {
  const check = checkBackend('reference', create)
  assert.is(check.ok, true)
  assert.is(check.error, null)
  assert.is(check.maxError, 0)
  assert.ok(check.ms >= 0)
  assert.match(check.runsOn, /TypeScript/)
})

test('a backend that answers wrongly, throws on the probe, or cannot start is FAILED with the reason', () => {
  const bad = checkBackend('wrong', create)
  assert.is(bad.ok, false)
  assert.match(bad.error!, /the probe matmul differs from the reference by \d\.\d\de-\d+ \(tolerance 1e-4\)/)
  const broken = checkBackend('throwing', create)
  assert.is(broken.ok, false)
  assert.match(broken.error!, /the probe matmul threw: kernel exploded/)
  const missing = checkBackend('missing', create)
  assert.is(missing.ok, false)
  assert.is(missing.error, 'no adapter: install Mesa')
  assert.ok(Number.isNaN(missing.maxError))
})

test('doctor() checks the backends asked for and names the selected one; the report prints every line', () => {
  const report = doctor({ names: ['reference', 'wrong', 'missing'], create })
  assert.equal(report.backends.map((b) => [b.name, b.ok]), [['reference', true], ['wrong', false], ['missing', false]])
  assert.is(report.selected, getBackend().name)
  const text = formatDoctorReport(report)
  assert.match(text, /reference\s+ok\s+\d+ ms\s+plain TypeScript loops/)
  assert.match(text, /missing\s+FAILED\s+\d+ ms\s+no adapter: install Mesa/)
  assert.match(text, new RegExp(`selected: ${getBackend().name}, by `))
})

test('doctor() over the real registry: gpu.js-cpu and gpu.js-webasm work here, and the selection is unchanged', () => {
  const before = getBackend()
  const report = doctor({ names: ['reference', 'gpu.js-cpu', 'gpu.js-webasm'] })
  for (const b of report.backends) assert.ok(b.ok, `${b.name}: ${b.error}`)
  assert.match(report.backends[2]!.runsOn, /webasm/)
  assert.ok(getBackend() === before, 'doctor leaves the selected backend in place')
  assert.ok(availableBackends().includes('gpu.js-webgpu'))
})

test('a selection that cannot start is reported as such', () => {
  const text = formatDoctorReport({ backends: [], selected: null, selectedBy: 'GENKATA_BACKEND=nope', selectionError: "unknown backend 'nope'" })
  assert.match(text, /selected: none: GENKATA_BACKEND=nope cannot start: unknown backend 'nope'/)
})

test.run()
