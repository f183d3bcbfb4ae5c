import type { F64Buffer, Kernels } from '../../kernels/types.js'

/**
 * Digamma and log-gamma of small parameter-sized vectors through the kernels (one
 * call each), so every backend computes the bound from the same values. The buffer
 * is the model's and grows on demand.
 */
export class Special {
  private buffer: F64Buffer
  private arena

  constructor(private readonly kernels: Kernels, capacity: number) {
    this.arena = kernels.arena()
    this.buffer = this.arena.f64(capacity)
  }

  psi(values: ArrayLike<number>): Float64Array {
    return this.run('digamma', values)
  }

  lnGamma(values: ArrayLike<number>): Float64Array {
    return this.run('logGamma', values)
  }

  dispose(): void {
    this.arena.dispose()
  }

  private run(which: 'digamma' | 'logGamma', values: ArrayLike<number>): Float64Array {
    const n = values.length
    if (n > this.buffer.length) {
      this.arena.dispose()
      this.arena = this.kernels.arena()
      this.buffer = this.arena.f64(2 * n)
    }
    this.buffer.view.set(values)
    this.kernels[which](this.buffer, n, this.buffer)
    return this.buffer.view.slice(0, n)
  }
}
