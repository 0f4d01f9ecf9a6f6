// Storage that lives on a device (the gpu.js-webgpu backend's GPU buffers) rather than in a typed
// array. A Tensor over a DeviceBuffer reads back only when someone reads its `data`; views share
// the DeviceBuffer, which counts the tensors over it and releases the device copy when the last
// one is disposed (dispose(), tidy(), or the garbage collector as a safety net).
//
// Reading on the host migrates the storage: the values are downloaded once, kept as the one
// authoritative copy, and the device copy is released. Host code may then write into `data` in
// place (optimizers and init do) without a device copy going stale behind it.
import type { DType, Storage } from '../tensor/dtype.ts'

/** What owns device buffers: a backend's runner, which keeps the buffers by id. */
export interface DeviceOwner {
  /** Backend name, for error messages. */
  readonly name: string
  /** The buffer's values, read back from the device. */
  read(id: number, length: number): Float32Array
  /** Free the buffer; safe to call from a finalizer (it must not block). */
  release(id: number): void
}

export class DeviceBuffer {
  /** Tensors over this buffer that are neither disposed nor collected. */
  private refs = 0
  /** The downloaded values, once read on the host; from then on the device copy is gone. */
  private host: Storage | null = null
  private freed = false

  constructor(
    readonly owner: DeviceOwner,
    readonly id: number,
    readonly dtype: DType,
    readonly length: number,
  ) {}

  /** True while the values are on the device only: backends may then pass the buffer by id. */
  get resident(): boolean {
    return this.host === null && !this.freed
  }

  /** The values on the host, downloading them the first time. */
  download(): Storage {
    if (this.host !== null) return this.host
    if (this.freed) throw new Error(`${this.owner.name}: device buffer ${this.id} was already released`)
    this.host = this.length === 0 ? new Float32Array(0) : this.owner.read(this.id, this.length)
    this.free()
    return this.host
  }

  /** The host copy if there is one (no download). */
  hostCopy(): Storage | null {
    return this.host
  }

  retain(): void {
    this.refs++
  }

  /** One tensor fewer; the last one out frees the device copy. */
  drop(): void {
    if (--this.refs <= 0) this.free()
  }

  /** Release the device copy now (temporaries the backend made for itself, and the last drop). */
  free(): void {
    if (this.freed) return
    this.freed = true
    this.owner.release(this.id)
  }
}
