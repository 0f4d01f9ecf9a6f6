// The size limit (issue 12): a tensor above 2^28 elements (or GENKATA_MAX_ELEMENTS, or
// setMaxElements) is refused before any memory is taken, naming the op and the shape.
import { spawnSync } from 'node:child_process'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { DEFAULT_MAX_ELEMENTS, getMaxElements, ones, randn, setMaxElements, tensor, zeros } from '../../src/index.ts'

test('the default limit is 2^28 elements; a 2^31-element tensor is refused at once, naming the op and the shape', () => {
  assert.is(DEFAULT_MAX_ELEMENTS, 2 ** 28)
  if (process.env.GENKATA_MAX_ELEMENTS === undefined) assert.is(getMaxElements(), 2 ** 28)
  const started = Date.now()
  assert.throws(() => zeros([2 ** 31]), /^zeros: a tensor of shape \[2147483648\] would hold 2147483648 elements, above the limit of 268435456 \(2\^28\); raise it with GENKATA_MAX_ELEMENTS or setMaxElements/)
  assert.throws(() => randn([2 ** 16, 2 ** 15], { seed: 1 }), /randn: a tensor of shape \[65536, 32768\] would hold 2147483648 elements/)
  assert.ok(Date.now() - started < 2000, 'refused before filling any memory')
})

test('results of ops are checked too: matmul, broadcasting, reductions', () => {
  const previous = setMaxElements(1000)
  try {
    const column = ones([40, 1])
    const row = ones([1, 40])
    assert.throws(() => column.matmul(row), /matmul: a tensor of shape \[40, 40\] would hold 1600 elements, above the limit of 1000;/)
    assert.throws(() => column.add(row), /add: a tensor of shape \[40, 40\] would hold 1600 elements/)
    assert.throws(() => tensor(Array.from({ length: 1001 }, () => 0)), /fromArray: a tensor of shape \[1001\]/)
    assert.is(ones([10, 100]).sum().item(), 1000, 'at the limit is fine')
  } finally {
    setMaxElements(previous)
  }
  assert.is(getMaxElements(), previous)
  assert.throws(() => setMaxElements(0), /setMaxElements: the limit must be a positive integer, got 0/)
  assert.throws(() => setMaxElements(1.5), /got 1.5/)
})

function childWith(limit: string): ReturnType<typeof spawnSync> {
  const code = "import('./src/index.ts').then((g) => { console.log(g.getMaxElements()); g.zeros([64]) })"
  return spawnSync(process.execPath, ['--import', 'tsx', '-e', code], { env: { ...process.env, GENKATA_MAX_ELEMENTS: limit }, encoding: 'utf8' })
}

test('GENKATA_MAX_ELEMENTS sets the limit; a malformed value is an error naming the variable', () => {
  const small = childWith('32')
  assert.is(String(small.stdout).trim(), '32')
  assert.match(String(small.stderr), /zeros: a tensor of shape \[64\] would hold 64 elements, above the limit of 32 \(2\^5\)/)
  const bad = childWith('lots')
  assert.is.not(bad.status, 0)
  assert.match(String(bad.stderr), /GENKATA_MAX_ELEMENTS must be a positive integer \(a count of tensor elements\), got 'lots'/)
})

test.run()
