// Downloading MNIST or Fashion-MNIST from their usual hosts, for users with internet. Every file is
// checked against the MD5 its publishers give (the same list torchvision uses), written under a
// temporary name and renamed only once it checks out, so an interrupted or corrupted download
// never leaves a file that looks complete.
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { DatasetName } from './catalog.ts'
import { writeFileAtomic } from '../report/atomic.ts'

export interface RemoteDataset {
  /** Base URLs tried in order; a file that fails on one is tried on the next. */
  mirrors: string[]
  /** File name -> expected MD5 of the file as served (gzipped). */
  files: Record<string, string>
}

export const REMOTE: Record<DatasetName, RemoteDataset> = {
  mnist: {
    mirrors: ['https://ossci-datasets.s3.amazonaws.com/mnist/', 'https://storage.googleapis.com/cvdf-datasets/mnist/'],
    files: {
      'train-images-idx3-ubyte.gz': 'f68b3c2dcbeaaa9fbdd348bbdeb94873',
      'train-labels-idx1-ubyte.gz': 'd53e105ee54ea40749a09fcbcd1e9432',
      't10k-images-idx3-ubyte.gz': '9fb629c4189551a2d022fa330f9573f3',
      't10k-labels-idx1-ubyte.gz': 'ec29112dd5afa0611ce80d1b7f02629c',
    },
  },
  'fashion-mnist': {
    mirrors: [
      'http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/',
      'https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/',
    ],
    files: {
      'train-images-idx3-ubyte.gz': '8d4fb7e6c68d591d4c3dfef9ec88bf0d',
      'train-labels-idx1-ubyte.gz': '25c81989df183df01b3e8a0aad5dffbe',
      't10k-images-idx3-ubyte.gz': 'bef4ecab320f06d8554ea6380940ec79',
      't10k-labels-idx1-ubyte.gz': 'bb300cfdad3c16e7a12a480ee83cd310',
    },
  },
}

export interface FetchOptions {
  /** Where the files go (created if missing). */
  dest: string
  /** Override the hosts and checksums (the tests serve their own files from a loopback server). */
  remote?: RemoteDataset
  log?: (line: string) => void
  /** Milliseconds before one request is abandoned. */
  timeoutMs?: number
}

export interface FetchReport {
  file: string
  status: 'present' | 'downloaded'
  url?: string
  bytes: number
}

export const md5 = (bytes: Uint8Array) => createHash('md5').update(bytes).digest('hex')

export async function fetchDataset(name: DatasetName, options: FetchOptions): Promise<FetchReport[]> {
  const remote = options.remote ?? REMOTE[name]
  const log = options.log ?? (() => {})
  mkdirSync(options.dest, { recursive: true })
  const reports: FetchReport[] = []
  for (const [file, expected] of Object.entries(remote.files)) {
    const target = join(options.dest, file)
    if (existsSync(target)) {
      const bytes = readFileSync(target)
      if (md5(bytes) === expected) {
        log(`${file}: already present, checksum ok`)
        reports.push({ file, status: 'present', bytes: bytes.length })
        continue
      }
      log(`${file}: present but its checksum is wrong; downloading it again`)
    }
    const failures: string[] = []
    let done = false
    for (const mirror of remote.mirrors) {
      const url = new URL(file, mirror).href
      try {
        const bytes = await download(url, options.timeoutMs ?? 120_000)
        const got = md5(bytes)
        if (got !== expected) throw new Error(`checksum mismatch: expected MD5 ${expected}, got ${got} (${bytes.length} bytes)`)
        writeFileAtomic(target, bytes)
        log(`${file}: downloaded ${bytes.length} bytes from ${url}, checksum ok`)
        reports.push({ file, status: 'downloaded', url, bytes: bytes.length })
        done = true
        break
      } catch (error) {
        failures.push(`${url}: ${(error as Error).message}`)
      }
    }
    if (!done) throw new Error(`could not fetch ${file} for ${name}:\n  ${failures.join('\n  ')}`)
  }
  return reports
}

async function download(url: string, timeoutMs: number): Promise<Uint8Array> {
  const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) })
  if (!response.ok) throw new Error(`HTTP ${response.status} ${response.statusText}`)
  return new Uint8Array(await response.arrayBuffer())
}
