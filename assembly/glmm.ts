/**
 * Kernels of the logistic random-intercept model (src/models/glmm/): the Monte Carlo
 * E-step and the M-step's pass over the draws. Twin: src/kernels/js/glmm.ts (same
 * operations, same order; the SIMD lanes below are two rows, never one sum split).
 *
 * Rows are sorted by group: group g owns rows groupStart[g] .. groupStart[g+1].
 * offset[i] is the fixed-effect linear predictor z_i' beta, y[i] the successes,
 * trials[i] the binomial count; x = offset[i] + b[g] is the row's logit.
 *
 * Row terms (the same helpers in every backend), with e = exp(-|x|), d = 1 + e:
 *   softplus(x) = log(1 + exp(x)) = max(x, 0) + log(d)
 *   mu          = 1 / (1 + exp(-x))  = x >= 0 ? 1 / d : e / d
 *   w           = mu (1 - mu)        = e / (d d)      (no cancellation in either tail)
 */
import { expFlush, expFlushV, logF } from './math'
import { loadState, storeState, uniform } from './rng'
import { lastSpare, normalPair } from './sampling'

/** Acceptance rate the burn-in tuning aims at: the middle of the [0.15, 0.40] band, so that sampling noise in a group's rate rarely takes it out. */
// @ts-ignore: decorator
@inline const TARGET_ACCEPT: f64 = 0.275
/** Sweeps per tuning batch during burn-in (one batch per E-step at the default burn-in: the scales carry over, so they settle over iterations with little noise). */
// @ts-ignore: decorator
@inline const ADAPT_EVERY: i32 = 100
/** log(scale) moves by ADAPT_GAIN (rate - target) per batch: x0.82 at rate 0, x1.66 at rate 1 (small: a batch's rate has sd ~0.045, and a small gain keeps the scale from wandering with it). */
// @ts-ignore: decorator
@inline const ADAPT_GAIN: f64 = 0.7

// @ts-ignore: decorator
@inline function ldf(base: usize, i: i32): f64 {
  return load<f64>(base + (<usize>i << 3))
}

// @ts-ignore: decorator
@inline function stf(base: usize, i: i32, v: f64): void {
  store<f64>(base + (<usize>i << 3), v)
}

// @ts-ignore: decorator
@inline function ldi(base: usize, i: i32): i32 {
  return load<i32>(base + (<usize>i << 2))
}

/** log(1 + exp(x)) without overflow. */
// @ts-ignore: decorator
@inline function softplus(x: f64): f64 {
  const e = expFlush(-Math.abs(x))
  return (x > 0.0 ? x : 0.0) + logF(1.0 + e)
}

/**
 * Log of the full conditional of b (up to a constant free of b) for the rows
 * start..end: sum_j [y_j b - t_j softplus(offset_j + b)] - b^2 halfPrec,
 * halfPrec = 1 / (2 sigma^2).
 */
function groupLogTarget(offset: usize, y: usize, trials: usize, start: i32, end: i32, b: f64, halfPrec: f64): f64 {
  let s: f64 = 0.0
  for (let j = start; j < end; j++) {
    s += ldf(y, j) * b - ldf(trials, j) * softplus(ldf(offset, j) + b)
  }
  return s - b * b * halfPrec
}

/**
 * Random-walk Metropolis-within-Gibbs for the random intercepts b (nGroups), from
 * the state in `b` (a warm start: the caller keeps it between calls) with proposal
 * scales `scale` (kept too). One sweep updates every group in order; group g
 * proposes b + scale z with z from polar pairs (groups 2k and 2k+1 share a pair, a
 * new pair each sweep) and accepts when log U < target(prop) - target(b), one
 * uniform per group (drawn whether or not the proposal wins, so the stream does not
 * depend on the outcome's arithmetic).
 *
 * burnIn sweeps first: every ADAPT_EVERY of them (and at the last) each scale is
 * multiplied by exp(ADAPT_GAIN (rate - TARGET_ACCEPT)) from that batch's rate. Then
 * m * thin sweeps, of which every thin-th state is written as row r of draws (m x
 * nGroups). accept[g] = the acceptance rate of group g over those m * thin sweeps.
 * `current` (nGroups) is scratch. Returns -1, or the first group with a scale not in
 * (0, Inf) (nothing drawn).
 */
export function glmmSampleIntercepts(
  state: usize, offset: usize, y: usize, trials: usize, groupStart: usize, nGroups: i32,
  sigma: f64, b: usize, scale: usize, current: usize,
  burnIn: i32, thin: i32, m: i32, draws: usize, accept: usize,
): i32 {
  for (let g = 0; g < nGroups; g++) {
    const s = ldf(scale, g)
    if (!(s > 0.0 && s < Infinity)) return g
  }
  loadState(state)
  const halfPrec = 0.5 / (sigma * sigma)
  for (let g = 0; g < nGroups; g++) {
    stf(current, g, groupLogTarget(offset, y, trials, ldi(groupStart, g), ldi(groupStart, g + 1), ldf(b, g), halfPrec))
    stf(accept, g, 0.0)
  }
  const total = burnIn + m * thin
  let batch = 0
  let second: f64 = 0.0
  for (let sweep = 0; sweep < total; sweep++) {
    for (let g = 0; g < nGroups; g++) {
      let z: f64
      if ((g & 1) == 0) {
        z = normalPair()
        second = lastSpare()
      } else {
        z = second
      }
      const proposal = ldf(b, g) + ldf(scale, g) * z
      const target = groupLogTarget(offset, y, trials, ldi(groupStart, g), ldi(groupStart, g + 1), proposal, halfPrec)
      const u = uniform()
      if (logF(u) < target - ldf(current, g)) {
        stf(b, g, proposal)
        stf(current, g, target)
        stf(accept, g, ldf(accept, g) + 1.0)
      }
    }
    if (sweep < burnIn) {
      batch++
      if (batch == ADAPT_EVERY || sweep == burnIn - 1) {
        const size = <f64>batch
        for (let g = 0; g < nGroups; g++) {
          stf(scale, g, ldf(scale, g) * expFlush(ADAPT_GAIN * (ldf(accept, g) / size - TARGET_ACCEPT)))
          stf(accept, g, 0.0)
        }
        batch = 0
      }
    } else {
      const kept = sweep - burnIn + 1
      if (kept % thin == 0) {
        const row = draws + (<usize>((kept / thin - 1) * nGroups) << 3)
        memory.copy(row, b, <usize>nGroups << 3)
      }
    }
  }
  const kept = <f64>(m * thin)
  for (let g = 0; g < nGroups; g++) stf(accept, g, kept > 0.0 ? ldf(accept, g) / kept : 0.0)
  storeState(state)
  return -1
}

/**
 * The M-step's pass over m draws of b (m x nGroups, draw-major): for every row i,
 *   s[i] = sum_r (y_i - t_i mu_ri),  h[i] = sum_r t_i w_ri   (r in order)
 * with x_ri = offset_i + b_r[group_i]; the caller forms the gradient Z's and the
 * Hessian Z' diag(h) Z (p x p, O(n p^2), once per pass). With q != 0 (m entries) it
 * also writes each draw's q[r] = sum_i [y_i x_ri - t_i softplus(x_ri)] (rows in
 * order) and returns their sum (draws in order); with q == 0 it skips the logs and
 * returns 0. SIMD: lanes are the rows i and i+1 (each lane accumulates its own row's
 * sums); log has no vector form here, so q takes the two rows' terms in order.
 */
export function glmmLogisticSums(
  offset: usize, y: usize, trials: usize, group: usize, n: i32,
  draws: usize, m: i32, nGroups: i32, s: usize, h: usize, q: usize,
): f64 {
  memory.fill(s, 0, <usize>n << 3)
  memory.fill(h, 0, <usize>n << 3)
  let total: f64 = 0.0
  for (let r = 0; r < m; r++) {
    const row = draws + (<usize>(r * nGroups) << 3)
    let qr: f64 = 0.0
    let i = 0
    if (ASC_FEATURE_SIMD) {
      const one = f64x2.splat(1.0)
      const zero = f64x2.splat(0.0)
      for (; i + 1 < n; i += 2) {
        const off = <usize>i << 3
        const bv = f64x2.replace_lane(f64x2.splat(ldf(row, ldi(group, i))), 1, ldf(row, ldi(group, i + 1)))
        const x = f64x2.add(v128.load(offset + off), bv)
        const e = expFlushV(f64x2.neg(f64x2.abs(x)))
        const d = f64x2.add(one, e)
        const mu = v128.bitselect(f64x2.div(one, d), f64x2.div(e, d), f64x2.ge(x, zero))
        const w = f64x2.div(e, f64x2.mul(d, d))
        const yv = v128.load(y + off)
        const tv = v128.load(trials + off)
        v128.store(s + off, f64x2.add(v128.load(s + off), f64x2.sub(yv, f64x2.mul(tv, mu))))
        v128.store(h + off, f64x2.add(v128.load(h + off), f64x2.mul(tv, w)))
        if (q != 0) {
          const x0 = f64x2.extract_lane(x, 0), x1 = f64x2.extract_lane(x, 1)
          qr += f64x2.extract_lane(yv, 0) * x0 - f64x2.extract_lane(tv, 0) * ((x0 > 0.0 ? x0 : 0.0) + logF(f64x2.extract_lane(d, 0)))
          qr += f64x2.extract_lane(yv, 1) * x1 - f64x2.extract_lane(tv, 1) * ((x1 > 0.0 ? x1 : 0.0) + logF(f64x2.extract_lane(d, 1)))
        }
      }
    }
    for (; i < n; i++) {
      const x = ldf(offset, i) + ldf(row, ldi(group, i))
      const e = expFlush(-Math.abs(x))
      const d = 1.0 + e
      const mu = x >= 0.0 ? 1.0 / d : e / d
      const w = e / (d * d)
      const yi = ldf(y, i), ti = ldf(trials, i)
      stf(s, i, ldf(s, i) + (yi - ti * mu))
      stf(h, i, ldf(h, i) + ti * w)
      if (q != 0) qr += yi * x - ti * ((x > 0.0 ? x : 0.0) + logF(d))
    }
    if (q != 0) {
      stf(q, r, qr)
      total += qr
    }
  }
  return total
}
