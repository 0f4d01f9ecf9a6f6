import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { Progress, formatDuration, formatNumber } from '../../src/train/progress.ts'

function fakeStream(isTTY: boolean) {
  const writes: string[] = []
  return { writes, stream: { isTTY, write: (s: string) => writes.push(s) } }
}

test('running means are weighted by batch size; rate and time left come from the clock', () => {
  let t = 0
  const { stream } = fakeStream(true)
  const p = new Progress({ label: 'epoch 1/2', total: 4, stream, now: () => t })
  t = 1000
  p.tick(100, { loss: 2, kl: 1 })
  t = 2000
  p.tick(50, { loss: 5, kl: 1 })
  assert.equal(p.means(), { loss: 3, kl: 1 })
  assert.is(p.imagesPerSecond(), 75)
  // Two of four steps in 2 s: 2 s left.
  assert.match(p.line(), /^epoch 1\/2 \[#{12}\.{12}\] 2\/4  loss 3\.0000  kl 1\.0000  75 img\/s  2s left$/)
})

test('a terminal gets one redrawn line per step, however fast the steps come', () => {
  let t = 0
  const tty = fakeStream(true)
  const p = new Progress({ label: 'e', total: 3, stream: tty.stream, now: () => t })
  for (let i = 0; i < 3; i++) p.tick(1, { loss: 1 })
  p.finish()
  assert.is(tty.writes.length, 4)
  assert.ok(tty.writes.slice(0, 3).every((w) => w.startsWith('\r')))
  assert.is(tty.writes[3], '\n')
})

test('a log gets nothing from a short epoch: the trainer prints its summary', () => {
  let t = 0
  const log = fakeStream(false)
  const q = new Progress({ label: 'e', total: 100, stream: log.stream, now: () => t })
  for (let i = 0; i < 100; i++) {
    t += 50 // 5 s for the whole epoch
    q.tick(1, { loss: 1 })
  }
  q.finish()
  assert.equal(log.writes, [])
})

test('a log gets at most one line per tenth of a long epoch, and at most one per 10 s', () => {
  let t = 0
  const log = fakeStream(false)
  const q = new Progress({ label: 'e', total: 1000, stream: log.stream, now: () => t })
  const at: number[] = []
  for (let i = 0; i < 1000; i++) {
    t += 1000 // 1000 s for the epoch: time alone would allow 100 lines
    const before = log.writes.length
    q.tick(1, { loss: 1 })
    if (log.writes.length > before) at.push(i + 1)
  }
  q.finish()
  assert.is(log.writes.length, 10)
  assert.equal(at, [100, 200, 300, 400, 500, 600, 700, 800, 900, 1000])
  assert.ok(log.writes.every((w) => w.endsWith('\n') && !w.includes('\r')))

  // Fast steps in a long epoch: deciles alone would allow 10 lines, the 10 s gap allows 3.
  t = 0
  const fast = fakeStream(false)
  const r = new Progress({ label: 'e', total: 100, stream: fast.stream, now: () => t })
  const times: number[] = []
  for (let i = 0; i < 100; i++) {
    t += 350 // 35 s in all
    const before = fast.writes.length
    r.tick(1, { loss: 1 })
    if (fast.writes.length > before) times.push(t)
  }
  assert.equal(times, [10150, 20300, 30450]) // the first tick at or past each 10 s
})

test('logIntervalMs 0 gives the old line per tenth; a negative one is refused', () => {
  const log = fakeStream(false)
  const q = new Progress({ label: 'e', total: 100, stream: log.stream, now: () => 0, logIntervalMs: 0 })
  for (let i = 0; i < 100; i++) q.tick(1, { loss: 1 })
  assert.is(log.writes.length, 10)
  assert.throws(() => new Progress({ label: 'e', total: 1, stream: log.stream, logIntervalMs: -1 }), /logIntervalMs must be a number >= 0, got -1/)
})

test('numbers and durations read well at every scale', () => {
  assert.is(formatNumber(262.3117), '262.31')
  assert.is(formatNumber(0.51234), '0.5123')
  assert.is(formatNumber(1.5e-5), '1.500e-5')
  assert.is(formatNumber(0), '0.0000')
  assert.is(formatNumber(NaN), 'NaN')
  assert.is(formatDuration(42.4), '42s')
  assert.is(formatDuration(125), '2m05s')
  assert.is(formatDuration(3 * 3600 + 61), '3h01m')
  assert.is(formatDuration(Infinity), '?')
})

test.run()
