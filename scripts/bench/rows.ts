// The benchmark rows, as a list: each row names a workload and how to build it on genkata (any
// backend) and on the tfjs peer. Add a row by adding an entry here.
import * as genkata from './genkata_side.ts'
import * as peer from './tfjs_side.ts'

/** A workload built for one side: run() is what is timed (synchronously finished when it resolves). */
export interface Workload {
  run(): void | Promise<void>
  dispose?(): void
}

export interface MatmulSpec { n: number; k: number; m: number; transposeA?: boolean; transposeB?: boolean }
export interface ConvSpec { batch: number; inChannels: number; outChannels: number; size: number; kernel: number; stride: number; padding: number }
export type VaeSpec =
  | { kind: 'fc'; batch: number; hidden: number; latent: number }
  | { kind: 'conv'; batch: number; channels: [number, number]; latent: number }

export interface Row {
  id: string
  label: string
  group: 'matmul' | 'conv' | 'train step'
  genkata(backend: string): Workload | Promise<Workload>
  tfjs(backend: peer.TfBackend): Workload | Promise<Workload>
  /** gpu.js backends are benchmarked on the matmul rows only. */
  gpujs?: boolean
  /** The reference backend is left out where it would take minutes. */
  reference?: boolean
  /** The target: genkata cpu / tfjs-wasm at most this. */
  target?: number
}

/** full: the sizes. quick: the same rows on a smaller batch. tiny: seconds, for the test. */
export type Scale = 'full' | 'quick' | 'tiny'

export function rows(scale: Scale): Row[] {
  const tiny = scale === 'tiny'
  const batch = scale === 'full' ? 128 : tiny ? 4 : 32
  const mm = (n: number, k: number, m: number, extra: Partial<MatmulSpec> = {}): MatmulSpec =>
    tiny ? { n: Math.ceil(n / 32), k: Math.ceil(k / 32), m: Math.ceil(m / 32), ...extra } : { n, k, m, ...extra }
  const matmulRow = (id: string, label: string, spec: MatmulSpec, target?: number): Row => ({
    id,
    label: `${label} ${spec.n}x${spec.k} @ ${spec.k}x${spec.m}`,
    group: 'matmul',
    genkata: (b) => genkata.matmul(b, spec),
    tfjs: (b) => peer.matmul(b, spec),
    gpujs: true,
    ...(target === undefined ? {} : { target }),
  })
  const convRows = (name: string, spec: ConvSpec): Row[] =>
    (['forward', 'inputGrad', 'weightGrad'] as const).map((pass) => ({
      id: `conv-${name}-${pass}`,
      label: `conv ${spec.inChannels}->${spec.outChannels} ${spec.size}x${spec.size} ${pass}`,
      group: 'conv',
      genkata: (b: string) => genkata.convolution(b, spec, pass),
      tfjs: (b: peer.TfBackend) => peer.convolution(b, spec, pass),
    }))
  const conv = (inChannels: number, outChannels: number, size: number): ConvSpec => ({
    batch, inChannels, outChannels, size: tiny ? size / 7 * 2 : size, kernel: 4, stride: 2, padding: 1,
  })
  const fc: VaeSpec = { kind: 'fc', batch, hidden: tiny ? 16 : 400, latent: tiny ? 4 : 20 }
  const convVae: VaeSpec = { kind: 'conv', batch, channels: tiny ? [2, 4] : [32, 64], latent: tiny ? 4 : 32 }
  return [
    matmulRow('matmul-x-w', 'x W', mm(128, 784, 400)),
    matmulRow('matmul-h-w', 'h W', mm(128, 400, 784)),
    matmulRow('matmul-512', 'square', mm(512, 512, 512), 1.0),
    // The FC VAE backward's transposed products: x^T dy and dy W^T, read through their strides.
    matmulRow('matmul-xT-dy', 'x^T dy', mm(784, 128, 400, { transposeA: true })),
    matmulRow('matmul-dy-wT', 'dy W^T', mm(128, 400, 784, { transposeB: true })),
    ...convRows('1-32', conv(1, 32, 28)),
    ...convRows('32-64', conv(32, 64, 14)),
    {
      id: 'fc-vae-step',
      label: `FC VAE 784-${fc.hidden}-${fc.latent} step, batch ${batch}`,
      group: 'train step',
      genkata: (b) => genkata.vaeStep(b, fc),
      tfjs: (b) => peer.vaeStep(b, fc),
      target: 0.25,
    },
    {
      id: 'conv-vae-step',
      label: `conv VAE latent ${convVae.latent} step, batch ${batch}`,
      group: 'train step',
      genkata: (b) => genkata.vaeStep(b, convVae),
      tfjs: (b) => peer.vaeStep(b, convVae),
      reference: scale !== 'full',
      target: 1.0,
    },
  ]
}
