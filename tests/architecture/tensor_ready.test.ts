// Tensor is a leaf whose ops are installed by the modules that define them: importing the library
// (src/index.ts), or any layer, gives a Tensor that computes and differentiates, in a fresh process
// with nothing else loaded; the bare leaf says what to import instead of failing obscurely. And no
// module but src/index.ts imports anything for its side effects alone.
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { importSpecifiers, listTs } from './import_graph.ts'

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..')

/** Run an ES module's source in a fresh Node process (tsx loaded, cwd the repository); its stdout. */
function fresh(source: string): string {
  return execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', source], { cwd: repo, encoding: 'utf8', env: { ...process.env, GENKATA_BACKEND: 'reference' } }).trim()
}

test('a fresh process that imports only src/index.ts can add, multiply and run backward', () => {
  const out = fresh(`
    import { tensor } from './src/index.ts'
    const a = tensor([1, 2, 3], { requiresGrad: true })
    const b = tensor([4, 5, 6])
    const y = a.add(b).mul(a).sum()
    y.backward()
    console.log(JSON.stringify({ y: y.item(), grad: a.grad.toArray(), lt: a.lt(2).toArray() }))
  `)
  // y = sum((a + b) a), dy/da = 2a + b
  assert.equal(JSON.parse(out), { y: 5 + 14 + 27, grad: [6, 9, 12], lt: [1, 0, 0] })
})

test('a fresh process that imports only a layer gets a usable Tensor: no side-effect import needed', () => {
  const out = fresh(`
    import { Linear } from './src/nn/linear.ts'
    import { fromArray } from './src/tensor/creation.ts'
    const layer = new Linear({ inFeatures: 2, outFeatures: 1, seed: 1 })
    layer.forward(fromArray([1, 2], [1, 2])).sum().backward()
    console.log(JSON.stringify(layer.weight.grad.toArray()))
  `)
  assert.equal(JSON.parse(out), [[1, 2]])
})

test('the bare leaf src/tensor/tensor.ts names the module to import when its ops are missing', () => {
  const out = fresh(`
    import { Tensor } from './src/tensor/tensor.ts'
    const a = new Tensor(new Float32Array([1]), [1], [1])
    for (const f of [() => a.add(a), () => a.clone()]) {
      try { f(); console.log('no error') } catch (e) { console.log(e.message) }
    }
  `).split('\n')
  assert.equal(out.length, 2)
  assert.match(out[0]!, "the differentiable ops are not installed (src/autograd/ops.ts installs them); import the library from 'src/index.ts'")
  assert.match(out[1]!, "the graph-free ops are not installed (src/tensor/raw/ops.ts installs them); import the library from 'src/index.ts'")
})

test('src/tensor/tensor.ts imports no module that imports it back, and only src/index.ts has a side-effect import', () => {
  const tensorImports = importSpecifiers(readFileSync(join(repo, 'src/tensor/tensor.ts'), 'utf8')).map((i) => i.specifier)
  assert.equal(tensorImports.sort(), ['../backend/device_buffer.ts', './memory.ts', './scalar_ops.ts', './shape.ts', './shape.ts', './strided.ts', './strided.ts', 'ndarray'].sort())
  const bare = ['src', 'solutions']
    .flatMap((dir) => listTs(join(repo, dir)))
    .flatMap((file) => importSpecifiers(readFileSync(file, 'utf8')).filter((i) => i.kind === 'bare').map((i) => `${relative(repo, file)}: import '${i.specifier}'`))
  assert.equal(bare, [])
})

test.run()
