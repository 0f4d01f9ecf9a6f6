// Tensors that stay on a device between ops: the storage bookkeeping (dispose, tidy, views sharing
// a buffer, reading back once, the finalizer safety net) on a fake device that any machine has, and
// then the real thing on gpu.js-webgpu (GENKATA_TEST_WEBGPU=1): a training step leaks no device
// buffer and reads back only what the host needs.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { deviceReadbacks, fromArray, getBackend, keep, liveDeviceBuffers, setBackend, tidy, Tensor } from '../../src/index.ts'
import { DeviceBuffer, type DeviceOwner } from '../../src/backend/device_buffer.ts'
import { gpujsBackend, WebGpuRunner } from '../../src/backend/gpujs/index.ts'
import { Adam, Linear, mse, ReLU, Sequential } from '../../src/nn/index.ts'

// ---- a fake device: buffers are arrays kept here, reads are counted ---------------------------------

class FakeDevice implements DeviceOwner {
  readonly name = 'fake-device'
  readonly buffers = new Map<number, Float32Array>()
  reads = 0
  private next = 1

  put(values: number[], shape: number[]): Tensor {
    const id = this.next++
    this.buffers.set(id, Float32Array.from(values))
    const strides = shape.map((_, i) => shape.slice(i + 1).reduce((p, d) => p * d, 1))
    return new Tensor(new DeviceBuffer(this, id, 'float32', values.length), shape, strides, 0)
  }
  read(id: number): Float32Array {
    this.reads++
    const values = this.buffers.get(id)
    if (!values) throw new Error(`fake buffer ${id} read after release`)
    return values.slice()
  }
  release(id: number): void {
    this.buffers.delete(id)
  }
}

test('a device tensor reads back once, on first use of data, and then lives on the host', () => {
  const device = new FakeDevice()
  const t = device.put([1, 2, 3, 4], [2, 2])
  assert.is(t.dtype, 'float32')
  assert.ok(t.device, 'resident before any read')
  const view = t.transpose()
  assert.is(device.reads, 0, 'a view is made without reading')
  assert.equal(view.toArray(), [[1, 3], [2, 4]])
  assert.equal(t.toArray(), [[1, 2], [3, 4]])
  assert.is(device.reads, 1, 'the view and its base share one download')
  assert.is(device.buffers.size, 0, 'the device copy is released once the host has the values')
  assert.is(t.device, null)
  // The host copy is now the one copy: writing into it in place (as optimizers do) is seen by later ops.
  t.data[0] = 10
  assert.equal(t.add(1).toArray(), [[11, 3], [4, 5]])
})

test('dispose() releases a buffer once every view of it is disposed; a disposed tensor is an error naming it', () => {
  const device = new FakeDevice()
  const t = device.put([1, 2, 3, 4, 5, 6], [2, 3])
  const flat = t.reshape([6])
  t.dispose()
  assert.is(device.buffers.size, 1, 'the view still holds the buffer')
  assert.ok(t.isDisposed)
  assert.throws(() => t.add(1), /disposed tensor \(shape \[2, 3\]\)/)
  assert.throws(() => t.data, /disposed tensor/)
  flat.dispose()
  assert.is(device.buffers.size, 0)
  flat.dispose() // twice is harmless
  const host = fromArray([1, 2], [2])
  host.dispose()
  assert.throws(() => host.toArray(), /disposed tensor \(shape \[2\]\)/)
})

test('tidy() disposes the device tensors made inside it except what it returns, and nests', () => {
  const device = new FakeDevice()
  let inner: Tensor | null = null
  const [kept, other] = tidy(() => {
    const a = device.put([1, 2], [2])
    device.put([3], [1])
    const b = tidy(() => {
      inner = device.put([4], [1])
      return device.put([5, 6], [2])
    })
    assert.is(device.buffers.size, 3, 'the inner tidy released only its own temporary')
    assert.ok(inner!.isDisposed)
    const c = keep(device.put([7], [1]))
    void c
    return [a, { b }] as const
  })
  assert.equal([...device.buffers.keys()].sort(), [1, 4, 5])
  assert.not.ok(kept.isDisposed)
  assert.not.ok(other.b.isDisposed)
  assert.throws(() =>
    tidy(() => {
      device.put([8], [1])
      throw new Error('boom')
    }),
  /boom/)
  assert.equal([...device.buffers.keys()].sort(), [1, 4, 5], 'a throwing tidy still releases')
})

test('a device tensor dropped without dispose() is released by the garbage collector', async () => {
  setFlagsFromString('--expose-gc')
  const gc = runInNewContext('gc') as () => void
  const device = new FakeDevice()
  ;(() => {
    for (let i = 0; i < 10; i++) device.put([i], [1])
  })()
  assert.is(device.buffers.size, 10)
  for (let attempt = 0; attempt < 20 && device.buffers.size > 0; attempt++) {
    gc()
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
  assert.is(device.buffers.size, 0)
})

// ---- gpu.js-webgpu ----------------------------------------------------------------------------------

const webgpuWanted = process.env.GENKATA_TEST_WEBGPU === '1'

function model(): Sequential {
  return new Sequential(new Linear({ inFeatures: 6, outFeatures: 16, seed: 1 }), new ReLU(), new Linear({ inFeatures: 16, outFeatures: 1, seed: 2 }))
}

const x = fromArray(Array.from({ length: 8 * 6 }, (_, i) => Math.sin(i)), [8, 6])
const y = fromArray(Array.from({ length: 8 }, (_, i) => Math.cos(i)), [8, 1])

/** Steps of Linear+relu+Linear, mse, Adam on `backend`: the losses, and what each step cost on the device. */
function train(backend: string, steps: number): { losses: number[]; live: number[]; reads: number[] } {
  const previous = getBackend().name
  setBackend(backend)
  try {
    const net = model()
    const optimizer = new Adam(net.parameters(), { lr: 0.01 })
    const losses: number[] = []
    const live: number[] = []
    const reads: number[] = []
    for (let i = 0; i < steps; i++) {
      const [live0, reads0] = [liveDeviceBuffers(), deviceReadbacks()]
      losses.push(
        tidy(() => {
          optimizer.zeroGrad()
          const loss = mse(net.forward(x), y)
          loss.backward()
          optimizer.step()
          return loss.item()
        }),
      )
      live.push(liveDeviceBuffers() - live0)
      reads.push(deviceReadbacks() - reads0)
    }
    return { losses, live, reads }
  } finally {
    setBackend(previous)
  }
}

if (!webgpuWanted) {
  test.skip('gpu.js-webgpu: a training step keeps tensors on the device (set GENKATA_TEST_WEBGPU=1; needs a WebGPU adapter)', () => {})
} else {
  test('gpu.js-webgpu: op results stay on the device until read, and match the host values', () => {
    const previous = getBackend().name
    const backend = setBackend('gpu.js-webgpu')
    try {
      assert.is(backend.name, 'gpu.js-webgpu')
      const reads0 = deviceReadbacks()
      const live0 = liveDeviceBuffers()
      const h = x.matmul(x.transpose()).relu()
      const s = h.slice([1, 5], [2, 7]).mul(2).sum(1)
      assert.ok(h.device && s.device, 'results are device-resident')
      assert.is(deviceReadbacks(), reads0, 'nothing read back yet')
      assert.is(liveDeviceBuffers() - live0, 4, 'matmul, relu, mul and sum (the slice is a view of relu)')
      const expected = tidy(() => {
        setBackend('cpu')
        const value = x.matmul(x.transpose()).relu().slice([1, 5], [2, 7]).mul(2).sum(1).toArray() as number[]
        setBackend('gpu.js-webgpu')
        return value
      })
      ;(s.toArray() as number[]).forEach((v, i) => assert.ok(Math.abs(v - expected[i]!) <= 1e-4 * Math.max(1, Math.abs(expected[i]!)), `${v} vs ${expected[i]}`))
      assert.is(deviceReadbacks() - reads0, 1, 'one readback for the one tensor read')
      h.dispose()
      s.dispose()
    } finally {
      setBackend(previous)
    }
  })

  test('gpu.js-webgpu: resident operands at offsets, outputs written in several launches, reductions in two passes', () => {
    const previous = getBackend().name
    const compute = (backend: string) => {
      setBackend(backend)
      return tidy(() => {
        const a = fromArray(Array.from({ length: 2 * 3 * 2 * 3 * 2 }, (_, i) => (i % 7) - 3), [2, 3, 2, 3, 2]).mul(0.5)
        const b = fromArray(Array.from({ length: 3 * 5 * 2 }, (_, i) => Math.cos(i)), [3, 5, 2]).add(0)
        const long = fromArray(Array.from({ length: 8192 }, (_, i) => Math.sin(i)), [8192]).mul(1)
        return [
          a.permute(4, 2, 0, 3, 1).mul(2).toArray(), // more axes than a kernel takes: one launch per block, each at an offset
          a.reshape([2, 3, 4, 3]).slice(null, [1, 3]).matmul(b.slice([1, 2], [1, 4])).toArray(), // batch broadcast, sliced operands
          a.sum([0, 2, 4]).toArray(), // kept and reduced axes interleave: gathered on the device first
          long.sum().item(), // long row: partial sums on the device, then the sum of the partials
        ]
      })
    }
    try {
      const live0 = liveDeviceBuffers()
      const got = compute('gpu.js-webgpu')
      assert.is(liveDeviceBuffers(), live0, 'tidy released every buffer, temporaries included')
      const want = compute('cpu')
      const close = (x: unknown, y: unknown, path: string): void => {
        if (Array.isArray(x)) return x.forEach((v, i) => close(v, (y as unknown[])[i], `${path}[${i}]`))
        assert.ok(Math.abs((x as number) - (y as number)) <= 1e-4 * Math.max(1, Math.abs(y as number)), `${path}: ${x} vs ${y}`)
      }
      close(got, want, 'result')
    } finally {
      setBackend(previous)
    }
  })

  test('gpu.js-webgpu: a training step inside tidy leaks no device buffer and reads back only the loss and the gradients', () => {
    const steps = 3
    const run = train('gpu.js-webgpu', steps)
    const runner = gpujsBackend('webgpu').runner
    assert.instance(runner, WebGpuRunner)
    assert.equal(run.live, new Array(steps).fill(0), 'live device buffers before == after, every step')
    assert.is((runner as WebGpuRunner).liveOnDevice(), liveDeviceBuffers(), 'the worker holds exactly the buffers the host counts')
    // The host needs the loss (item) and the 4 gradients (the optimizer updates parameters on the host).
    const needed = 1 + model().parameters().length
    for (const reads of run.reads) assert.is(reads, needed, `readbacks per step: ${run.reads}; the host needs ${needed} (the loss and each gradient, once)`)
    const reference = train('cpu', steps)
    run.losses.forEach((loss, i) => assert.ok(Math.abs(loss - reference.losses[i]!) <= 1e-4 * Math.max(1, Math.abs(reference.losses[i]!)), `step ${i}: ${loss} vs ${reference.losses[i]} on cpu`))
    console.log(`gpu.js-webgpu training step: ${run.reads[0]} readbacks, live device buffers change ${run.live[0]}, losses ${run.losses.map((l) => l.toFixed(5)).join(' ')}`)
  })
}

test.run()
