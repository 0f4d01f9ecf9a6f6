// A seeded random generator: the same seed gives the same numbers, on every machine and backend.
// xoshiro128** (Blackman and Vigna) for uniform bits, seeded through splitmix32; Box-Muller for normals.

function splitmix32(state: number): () => number {
  return () => {
    state = (state + 0x9e3779b9) | 0
    let z = state
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b)
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35)
    return (z ^ (z >>> 16)) >>> 0
  }
}

export interface RngState {
  seed: number
  s: [number, number, number, number]
  spare: number | null
}

export class Rng {
  private s0: number
  private s1: number
  private s2: number
  private s3: number
  private spare: number | null = null

  constructor(readonly seed: number) {
    if (!Number.isInteger(seed)) throw new Error(`Rng: the seed must be an integer, got ${seed}`)
    const next = splitmix32(seed)
    this.s0 = next()
    this.s1 = next()
    this.s2 = next()
    this.s3 = next()
  }

  /** The generator's whole state, so a resumed run continues the same stream (JSON-safe). */
  getState(): RngState {
    return { seed: this.seed, s: [this.s0 >>> 0, this.s1 >>> 0, this.s2 >>> 0, this.s3 >>> 0], spare: this.spare }
  }

  static fromState(state: RngState): Rng {
    const valid =
      Number.isInteger(state?.seed) && Array.isArray(state.s) && state.s.length === 4 &&
      state.s.every((x) => Number.isInteger(x) && x >= 0 && x < 2 ** 32) && !state.s.every((x) => x === 0) &&
      (state.spare === null || Number.isFinite(state.spare))
    if (!valid) throw new Error(`Rng.fromState: not a generator state: ${JSON.stringify(state)}`)
    const rng = new Rng(state.seed)
    ;[rng.s0, rng.s1, rng.s2, rng.s3] = state.s
    rng.spare = state.spare
    return rng
  }

  /** 32 uniformly random bits as an unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0
    const t = this.s1 << 9
    this.s2 ^= this.s0
    this.s3 ^= this.s1
    this.s1 ^= this.s2
    this.s0 ^= this.s3
    this.s2 ^= t
    this.s3 = rotl(this.s3, 11)
    return result
  }

  /** Uniform in [0, 1). */
  uniform(): number {
    return this.nextUint32() / 4294967296
  }

  /** Standard normal (Box-Muller, using both values it makes). */
  normal(): number {
    if (this.spare !== null) {
      const value = this.spare
      this.spare = null
      return value
    }
    const u = 1 - this.uniform() // in (0, 1], so log(u) is finite
    const v = this.uniform()
    const r = Math.sqrt(-2 * Math.log(u))
    this.spare = r * Math.sin(2 * Math.PI * v)
    return r * Math.cos(2 * Math.PI * v)
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.uniform() * n)
  }

  /** A seeded Fisher-Yates shuffle of 0..n-1. */
  permutation(n: number): Int32Array {
    const out = new Int32Array(n)
    for (let i = 0; i < n; i++) out[i] = i
    for (let i = n - 1; i > 0; i--) {
      const j = this.int(i + 1)
      const tmp = out[i]!
      out[i] = out[j]!
      out[j] = tmp
    }
    return out
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k))
}
