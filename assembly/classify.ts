/**
 * Classification EM's C-step (Celeux & Govaert 1992) over any mixture's
 * responsibilities. Twin: src/kernels/js/classify.ts (same operations, same order).
 */
import { ld, st } from './common'
import { logF } from './math'

/**
 * Each row of resp (n x k posteriors) becomes the indicator of its most probable
 * component (the first on ties). Returns the classification log-likelihood
 * sum_i w_i log(w_z f_z(x_i)) = sum_i w_i (rowLogLik[i] + log resp[i, z_i]) (w_i the
 * sample weight, 1 without).
 */
export function hardenResponsibilities(resp: usize, n: i32, k: i32, rowLogLik: usize, sampleWeight: usize): f64 {
  let total: f64 = 0.0
  for (let i = 0; i < n; i++) {
    const o = i * k
    let best = 0
    let top = ld(resp, o)
    for (let c = 1; c < k; c++) {
      const r = ld(resp, o + c)
      if (r > top) { top = r; best = c }
    }
    for (let c = 0; c < k; c++) st(resp, o + c, c == best ? 1.0 : 0.0)
    const term = ld(rowLogLik, i) + logF(top)
    total += sampleWeight != 0 ? ld(sampleWeight, i) * term : term
  }
  return total
}
