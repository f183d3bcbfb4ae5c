import type { F64Buffer, I32Buffer } from '../types.js'
import { Rng } from '../../core/rng/xoshiro128.js'

export function uniforms(state: I32Buffer, out: F64Buffer): void {
  const rng = Rng.fromState(state.view)
  const o = out.view
  for (let i = 0; i < o.length; i++) o[i] = rng.uniform()
  state.view.set(rng.state)
}
