// fetchDataset against a loopback HTTP server serving small IDX files the test makes: the download
// path a user with internet takes, with every way it can go wrong.
import { createServer, type Server } from 'node:http'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { fetchDataset, md5, REMOTE, type RemoteDataset } from '../../src/data/fetch.ts'
import { writeIdx } from '../../src/data/idx.ts'
import { loadImageDataset } from '../../src/data/datasets.ts'

// Four tiny files in MNIST's layout: 6 training and 4 test images of 28x28, labels 0..9.
const images = (n: number) => gzipSync(writeIdx({ dtype: 'uint8', shape: [n, 28, 28], data: Array.from({ length: n * 784 }, (_, i) => i % 256) }))
const labels = (n: number) => gzipSync(writeIdx({ dtype: 'uint8', shape: [n], data: Array.from({ length: n }, (_, i) => i % 10) }))
const served: Record<string, Buffer> = {
  'train-images-idx3-ubyte.gz': images(6),
  'train-labels-idx1-ubyte.gz': labels(6),
  't10k-images-idx3-ubyte.gz': images(4),
  't10k-labels-idx1-ubyte.gz': labels(4),
}
const checksums = Object.fromEntries(Object.entries(served).map(([f, b]) => [f, md5(b)]))

let server: Server
let base = ''
const requests: string[] = []
let corrupt = false

test.before(async () => {
  server = createServer((req, res) => {
    requests.push(req.url!)
    const name = req.url!.replace(/^\/(good|broken)\//, '')
    if (req.url!.startsWith('/broken/') || !(name in served)) {
      res.writeHead(404).end('not here')
      return
    }
    const body = Buffer.from(served[name]!)
    if (corrupt) body[body.length - 1] ^= 0xff
    res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(body)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`
})
test.after(() => {
  server.close()
})

const remote = (...mirrors: string[]): RemoteDataset => ({ mirrors: mirrors.map((m) => `${base}/${m}/`), files: checksums })
const tempDir = () => mkdtempSync(join(tmpdir(), 'genkata-fetch-'))

test('downloads the four files, checks them, and the result loads as a data set', async () => {
  const dest = tempDir()
  try {
    const lines: string[] = []
    const reports = await fetchDataset('mnist', { dest, remote: remote('good'), log: (l) => lines.push(l) })
    assert.equal(reports.map((r) => r.status), ['downloaded', 'downloaded', 'downloaded', 'downloaded'])
    for (const [file, bytes] of Object.entries(served)) assert.ok(readFileSync(join(dest, file)).equals(bytes), file)
    assert.ok(lines.every((l) => l.includes('checksum ok')))
    const train = loadImageDataset({ name: 'mnist', split: 'train', dataDir: dest })
    assert.is(train.count, 6)
    assert.is(loadImageDataset({ name: 'mnist', split: 'test', dataDir: dest }).count, 4)
    // A second run finds everything in place and downloads nothing.
    requests.length = 0
    const again = await fetchDataset('mnist', { dest, remote: remote('good') })
    assert.equal(again.map((r) => r.status), ['present', 'present', 'present', 'present'])
    assert.is(requests.length, 0)
  } finally {
    rmSync(dest, { recursive: true, force: true })
  }
})

test('a mirror that fails is skipped for the next one', async () => {
  const dest = tempDir()
  try {
    requests.length = 0
    const reports = await fetchDataset('mnist', { dest, remote: remote('broken', 'good') })
    assert.ok(reports.every((r) => r.url!.includes('/good/')))
    assert.ok(requests.some((r) => r.startsWith('/broken/')))
  } finally {
    rmSync(dest, { recursive: true, force: true })
  }
})

test('a corrupted download is an error naming the file and both checksums, and leaves no file behind', async () => {
  const dest = tempDir()
  corrupt = true
  try {
    const error = await fetchDataset('fashion-mnist', { dest, remote: remote('good') }).then(() => null, (e: Error) => e)
    assert.ok(error, 'the corrupted download was accepted')
    assert.match(error!.message, /could not fetch train-images-idx3-ubyte\.gz for fashion-mnist/)
    assert.match(error!.message, new RegExp(`checksum mismatch: expected MD5 ${checksums['train-images-idx3-ubyte.gz']}, got [0-9a-f]{32}`))
    assert.equal(readdirSync(dest), [])
  } finally {
    corrupt = false
    rmSync(dest, { recursive: true, force: true })
  }
})

test('a present file with a wrong checksum is downloaded again; when every mirror fails, each is named', async () => {
  const dest = tempDir()
  try {
    writeFileSync(join(dest, 'train-images-idx3-ubyte.gz'), 'truncated')
    const lines: string[] = []
    await fetchDataset('mnist', { dest, remote: remote('good'), log: (l) => lines.push(l) })
    assert.ok(lines[0]!.includes('present but its checksum is wrong'))
    assert.ok(readFileSync(join(dest, 'train-images-idx3-ubyte.gz')).equals(served['train-images-idx3-ubyte.gz']!))
    const failure = await fetchDataset('mnist', { dest: join(dest, 'other'), remote: remote('broken', 'missing') }).then(() => null, (e: Error) => e)
    assert.match(failure!.message, /\/broken\/train-images-idx3-ubyte\.gz: HTTP 404/)
    assert.match(failure!.message, /\/missing\/train-images-idx3-ubyte\.gz: HTTP 404/)
    assert.not.ok(existsSync(join(dest, 'other', 'train-images-idx3-ubyte.gz')))
  } finally {
    rmSync(dest, { recursive: true, force: true })
  }
})

test('the published checksums are the ones torchvision lists, one per file', () => {
  for (const name of ['mnist', 'fashion-mnist'] as const) {
    assert.equal(Object.keys(REMOTE[name].files).sort(), Object.keys(served).sort())
    for (const sum of Object.values(REMOTE[name].files)) assert.match(sum, /^[0-9a-f]{32}$/)
  }
  assert.is(REMOTE['fashion-mnist'].files['train-images-idx3-ubyte.gz'], '8d4fb7e6c68d591d4c3dfef9ec88bf0d')
})

test.run()
