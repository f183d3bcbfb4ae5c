/**
 * The SIMD (f64x2) halves of the HMM kernels; assembly/hmm.ts calls them only in the
 * SIMD build. Lanes hold two adjacent OUTPUT states (j, j+1); every output element
 * gets the same operations in the same order as the scalar code and the JS twin.
 * Each helper returns how many states it did (an even number); the caller finishes
 * the last one, if k is odd.
 */
import { at } from './common'
import { expFlush, expFlushV, expFlushNonPositiveV8InPlace } from './math'

/** b[j] = b[j] - m on state pairs. */
export function subRowSimd(b: usize, k: i32, m: f64): i32 {
  const vm = f64x2.splat(m)
  let j = 0
  for (; j + 1 < k; j += 2) v128.store(at(b, j), f64x2.sub(v128.load(at(b, j)), vm))
  return j
}

/**
 * expFlush on count doubles in place, each <= 0 or NaN (a row's log-densities minus its
 * maximum; a row whose maximum is -Infinity is all -Infinity): sixteen at a time (eight
 * v128 interleaved), then pairs, then one.
 */
export function expBlockSimd(b: usize, count: i32): void {
  const end = at(b, count)
  let p = b
  for (; p + 128 <= end; p += 128) expFlushNonPositiveV8InPlace(p)
  for (; p + 16 <= end; p += 16) v128.store(p, expFlushV(v128.load(p)))
  for (; p < end; p += 8) store<f64>(p, expFlush(load<f64>(p)))
}

/**
 * alpha[j] = b[j] * sum_i prev[i] * A[i*k + j] (sum in i order), on state pairs:
 * four pairs at a time (one splat of prev[i] feeds four independent sums), then
 * single pairs.
 */
export function forwardRowSimd(prev: usize, A: usize, b: usize, alpha: usize, k: i32): i32 {
  let j = 0
  for (; j + 7 < k; j += 8) {
    let a0 = f64x2.splat(0.0), a1 = f64x2.splat(0.0), a2 = f64x2.splat(0.0), a3 = f64x2.splat(0.0)
    for (let i = 0; i < k; i++) {
      const p = f64x2.splat(load<f64>(at(prev, i)))
      const row = at(A, i * k + j)
      a0 = f64x2.add(a0, f64x2.mul(p, v128.load(row)))
      a1 = f64x2.add(a1, f64x2.mul(p, v128.load(row, 16)))
      a2 = f64x2.add(a2, f64x2.mul(p, v128.load(row, 32)))
      a3 = f64x2.add(a3, f64x2.mul(p, v128.load(row, 48)))
    }
    const B = at(b, j), AL = at(alpha, j)
    v128.store(AL, f64x2.mul(v128.load(B), a0))
    v128.store(AL, f64x2.mul(v128.load(B, 16), a1), 16)
    v128.store(AL, f64x2.mul(v128.load(B, 32), a2), 32)
    v128.store(AL, f64x2.mul(v128.load(B, 48), a3), 48)
  }
  for (; j + 1 < k; j += 2) {
    let acc = f64x2.splat(0.0)
    for (let i = 0; i < k; i++) {
      acc = f64x2.add(acc, f64x2.mul(f64x2.splat(load<f64>(at(prev, i))), v128.load(at(A, i * k + j))))
    }
    v128.store(at(alpha, j), f64x2.mul(v128.load(at(b, j)), acc))
  }
  return j
}

/** x[j] = x[j] / c on state pairs. */
export function divRowSimd(x: usize, k: i32, c: f64): i32 {
  const vc = f64x2.splat(c)
  let j = 0
  for (; j + 1 < k; j += 2) v128.store(at(x, j), f64x2.div(v128.load(at(x, j)), vc))
  return j
}

/** beta[i] = (sum_j At[j*k + i] * w[j]) / c on state pairs (At = A transposed), four pairs at a time first. */
export function backwardRowSimd(At: usize, w: usize, beta: usize, k: i32, c: f64): i32 {
  const vc = f64x2.splat(c)
  let i = 0
  for (; i + 7 < k; i += 8) {
    let a0 = f64x2.splat(0.0), a1 = f64x2.splat(0.0), a2 = f64x2.splat(0.0), a3 = f64x2.splat(0.0)
    for (let j = 0; j < k; j++) {
      const wj = f64x2.splat(load<f64>(at(w, j)))
      const row = at(At, j * k + i)
      a0 = f64x2.add(a0, f64x2.mul(v128.load(row), wj))
      a1 = f64x2.add(a1, f64x2.mul(v128.load(row, 16), wj))
      a2 = f64x2.add(a2, f64x2.mul(v128.load(row, 32), wj))
      a3 = f64x2.add(a3, f64x2.mul(v128.load(row, 48), wj))
    }
    const BE = at(beta, i)
    v128.store(BE, f64x2.div(a0, vc))
    v128.store(BE, f64x2.div(a1, vc), 16)
    v128.store(BE, f64x2.div(a2, vc), 32)
    v128.store(BE, f64x2.div(a3, vc), 48)
  }
  for (; i + 1 < k; i += 2) {
    let acc = f64x2.splat(0.0)
    for (let j = 0; j < k; j++) {
      acc = f64x2.add(acc, f64x2.mul(v128.load(at(At, j * k + i)), f64x2.splat(load<f64>(at(w, j)))))
    }
    v128.store(at(beta, i), f64x2.div(acc, vc))
  }
  return i
}

/** O[j] += sum_{q < count} alpha[rows[q], i] * W[q,j] on state pairs (four at a time first). */
export function xiRowSimd(alpha: usize, W: usize, rows: usize, count: i32, k: i32, i: i32, O: usize): i32 {
  let j = 0
  for (; j + 7 < k; j += 8) {
    let a0 = f64x2.splat(0.0), a1 = f64x2.splat(0.0), a2 = f64x2.splat(0.0), a3 = f64x2.splat(0.0)
    for (let q = 0; q < count; q++) {
      const a = f64x2.splat(load<f64>(at(alpha, load<i32>(rows + (<usize>q << 2)) * k + i)))
      const w = at(W, q * k + j)
      a0 = f64x2.add(a0, f64x2.mul(a, v128.load(w)))
      a1 = f64x2.add(a1, f64x2.mul(a, v128.load(w, 16)))
      a2 = f64x2.add(a2, f64x2.mul(a, v128.load(w, 32)))
      a3 = f64x2.add(a3, f64x2.mul(a, v128.load(w, 48)))
    }
    const o = at(O, j)
    v128.store(o, f64x2.add(v128.load(o), a0))
    v128.store(o, f64x2.add(v128.load(o, 16), a1), 16)
    v128.store(o, f64x2.add(v128.load(o, 32), a2), 32)
    v128.store(o, f64x2.add(v128.load(o, 48), a3), 48)
  }
  for (; j + 1 < k; j += 2) {
    let acc = f64x2.splat(0.0)
    for (let q = 0; q < count; q++) {
      const a = f64x2.splat(load<f64>(at(alpha, load<i32>(rows + (<usize>q << 2)) * k + i)))
      acc = f64x2.add(acc, f64x2.mul(a, v128.load(at(W, q * k + j))))
    }
    const o = at(O, j)
    v128.store(o, f64x2.add(v128.load(o), acc))
  }
  return j
}

/** p[i] = alpha[i] * beta[i] on state pairs. */
export function mulRowSimd(alpha: usize, beta: usize, out: usize, k: i32): i32 {
  let i = 0
  for (; i + 1 < k; i += 2) v128.store(at(out, i), f64x2.mul(v128.load(at(alpha, i)), v128.load(at(beta, i))))
  return i
}

/**
 * Viterbi step on state pairs: best = max_i (prev[i] + LA[i*k + j]) (first i wins
 * ties, as the scalar strict >), cur[j] = best + lb[j], psi[j] = argmax.
 */
export function viterbiRowSimd(prev: usize, LA: usize, lb: usize, cur: usize, psi: usize, k: i32): i32 {
  let j = 0
  for (; j + 7 < k; j += 8) {
    // four pairs at a time: one splat of prev[i] feeds four running maxima
    const p0 = f64x2.splat(load<f64>(prev))
    const r0 = at(LA, j)
    let b0 = f64x2.add(p0, v128.load(r0)), b1 = f64x2.add(p0, v128.load(r0, 16))
    let b2 = f64x2.add(p0, v128.load(r0, 32)), b3 = f64x2.add(p0, v128.load(r0, 48))
    let g0 = i64x2.splat(0), g1 = i64x2.splat(0), g2 = i64x2.splat(0), g3 = i64x2.splat(0)
    for (let i = 1; i < k; i++) {
      const p = f64x2.splat(load<f64>(at(prev, i)))
      const row = at(LA, i * k + j)
      const vi = i64x2.splat(<i64>i)
      const v0 = f64x2.add(p, v128.load(row)), v1 = f64x2.add(p, v128.load(row, 16))
      const v2 = f64x2.add(p, v128.load(row, 32)), v3 = f64x2.add(p, v128.load(row, 48))
      const m0 = f64x2.gt(v0, b0), m1 = f64x2.gt(v1, b1), m2 = f64x2.gt(v2, b2), m3 = f64x2.gt(v3, b3)
      b0 = v128.bitselect(v0, b0, m0); g0 = v128.bitselect(vi, g0, m0)
      b1 = v128.bitselect(v1, b1, m1); g1 = v128.bitselect(vi, g1, m1)
      b2 = v128.bitselect(v2, b2, m2); g2 = v128.bitselect(vi, g2, m2)
      b3 = v128.bitselect(v3, b3, m3); g3 = v128.bitselect(vi, g3, m3)
    }
    const L = at(lb, j), C = at(cur, j), P = psi + (<usize>j << 2)
    v128.store(C, f64x2.add(b0, v128.load(L)))
    v128.store(C, f64x2.add(b1, v128.load(L, 16)), 16)
    v128.store(C, f64x2.add(b2, v128.load(L, 32)), 32)
    v128.store(C, f64x2.add(b3, v128.load(L, 48)), 48)
    store<i32>(P, <i32>i64x2.extract_lane(g0, 0)); store<i32>(P, <i32>i64x2.extract_lane(g0, 1), 4)
    store<i32>(P, <i32>i64x2.extract_lane(g1, 0), 8); store<i32>(P, <i32>i64x2.extract_lane(g1, 1), 12)
    store<i32>(P, <i32>i64x2.extract_lane(g2, 0), 16); store<i32>(P, <i32>i64x2.extract_lane(g2, 1), 20)
    store<i32>(P, <i32>i64x2.extract_lane(g3, 0), 24); store<i32>(P, <i32>i64x2.extract_lane(g3, 1), 28)
  }
  for (; j + 1 < k; j += 2) {
    let best = f64x2.add(f64x2.splat(load<f64>(prev)), v128.load(at(LA, j)))
    let arg = i64x2.splat(0)
    for (let i = 1; i < k; i++) {
      const v = f64x2.add(f64x2.splat(load<f64>(at(prev, i))), v128.load(at(LA, i * k + j)))
      const mask = f64x2.gt(v, best)
      best = v128.bitselect(v, best, mask)
      arg = v128.bitselect(i64x2.splat(<i64>i), arg, mask)
    }
    v128.store(at(cur, j), f64x2.add(best, v128.load(at(lb, j))))
    store<i32>(psi + (<usize>j << 2), <i32>i64x2.extract_lane(arg, 0))
    store<i32>(psi + (<usize>(j + 1) << 2), <i32>i64x2.extract_lane(arg, 1))
  }
  return j
}
