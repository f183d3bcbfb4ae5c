import type { Arena, F64Buffer, Kernels } from '../../kernels/types.js'

/**
 * Digamma and log-gamma of small parameter-sized vectors through the kernels (one
 * call each), so every backend computes the bound from the same values. The buffer
 * is the model's and grows on demand.
 */
export class Special {
  /** Made on first use and freed by dispose(), so a model kept between calls holds no kernel memory. */
  private buffer: F64Buffer | null = null
  private arena: Arena | null = null

  constructor(private readonly kernels: Kernels, private readonly capacity: number) {}

  psi(values: ArrayLike<number>): Float64Array {
    return this.run('digamma', values)
  }

  lnGamma(values: ArrayLike<number>): Float64Array {
    return this.run('logGamma', values)
  }

  /** Free the buffer (made again when needed). */
  dispose(): void {
    this.arena?.dispose()
    this.arena = null
    this.buffer = null
  }

  private run(which: 'digamma' | 'logGamma', values: ArrayLike<number>): Float64Array {
    const n = values.length
    if (!this.buffer || n > this.buffer.length) {
      this.arena?.dispose()
      this.arena = this.kernels.arena()
      this.buffer = this.arena.f64(Math.max(this.capacity, 2 * n))
    }
    const buffer = this.buffer
    buffer.view.set(values)
    this.kernels[which](buffer, n, buffer)
    return buffer.view.slice(0, n)
  }
}
