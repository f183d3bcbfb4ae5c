/**
 * Kernels of the mixtures of regressions (src/models/regression-mixture/): linear
 * predictors, per-row GLM terms (log-density, IRLS working weight and response) and
 * the weighted least-squares statistics every M-step solves. Twin:
 * src/kernels/js/regression.ts (same operations, same order; the SIMD lanes below are
 * two rows, or two columns of one row's products, never one sum split, so every
 * backend is bit-identical).
 *
 * Families (`family`): 0 Gaussian (identity link), 1 Poisson (log link), 2 binomial
 * (logit link, y successes out of trials).
 */
import { ld, st } from './common'
import { expFlush, expFlushV, logF } from './math'

/** eta[i*k + c] = sum_j z[i*p + j] coef[c*p + j] (j in order). SIMD: lanes are rows i and i+1. */
export function regressionEta(z: usize, n: i32, p: i32, coef: usize, k: i32, eta: usize): void {
  let i = 0
  if (ASC_FEATURE_SIMD) {
    for (; i + 1 < n; i += 2) {
      const r0 = z + (<usize>(i * p) << 3)
      const r1 = r0 + (<usize>p << 3)
      for (let c = 0; c < k; c++) {
        const b = coef + (<usize>(c * p) << 3)
        let s = f64x2.splat(0.0)
        for (let j = 0; j < p; j++) {
          const zv = f64x2.replace_lane(f64x2.splat(ld(r0, j)), 1, ld(r1, j))
          s = f64x2.add(s, f64x2.mul(zv, f64x2.splat(ld(b, j))))
        }
        st(eta, i * k + c, f64x2.extract_lane(s, 0))
        st(eta, (i + 1) * k + c, f64x2.extract_lane(s, 1))
      }
    }
  }
  for (; i < n; i++) {
    const row = z + (<usize>(i * p) << 3)
    for (let c = 0; c < k; c++) {
      const b = coef + (<usize>(c * p) << 3)
      let s: f64 = 0.0
      for (let j = 0; j < p; j++) s += ld(row, j) * ld(b, j)
      st(eta, i * k + c, s)
    }
  }
}

/**
 * Per row i and component c (o = i*k + c), from eta[o]:
 *   Gaussian: r = y - eta, dens[o] = a[c] - 0.5 (r b[c])^2 (a = -log(2 pi)/2 - log sigma,
 *             b = 1 / sigma), target[o] = r (weight untouched);
 *   Poisson:  mu = exp(eta), dens[o] = y eta - mu - logConst[i], weight[o] = mu,
 *             target[o] = (y - mu) / mu;
 *   binomial: mu = 1 / (1 + exp(-eta)), w = t mu (1 - mu), dens[o] = y eta - t softplus(eta)
 *             + logConst[i], weight[o] = w, target[o] = (y - t mu) / w.
 * target is the IRLS working response minus eta (the Newton step's right-hand side per
 * unit of weight). With `start` != 0 (GLM families) eta is ignored and glm.fit's start
 * is used: mu = y + 0.1 (Poisson), mu = (y + 0.5) / (t + 1) (binomial), eta = link(mu),
 * and target is the whole working response eta + (y - t mu) / w. A weight that
 * underflows to 0 gets target 0 (the row then adds nothing).
 */
export function glmRowTerms(
  family: i32, y: usize, trials: usize, logConst: usize, eta: usize, n: i32, k: i32,
  a: usize, b: usize, start: i32, dens: usize, target: usize, weight: usize,
): void {
  // o runs over the n*k entries in order; (i, c) its row and component
  let o = 0, i = 0, c = 0
  const total = n * k
  if (ASC_FEATURE_SIMD && family == 1 && start == 0) {
    // IRLS's hot case: entries o, o + 1 per v128 (their rows may differ), expFlush on both lanes
    const zero = f64x2.splat(0.0)
    for (; o + 1 < total; o += 2) {
      const i1 = c + 1 == k ? i + 1 : i
      const yv = f64x2.replace_lane(f64x2.splat(ld(y, i)), 1, ld(y, i1))
      const lv = f64x2.replace_lane(f64x2.splat(ld(logConst, i)), 1, ld(logConst, i1))
      const off = <usize>o << 3
      const e = v128.load(eta + off)
      const mu = expFlushV(e)
      v128.store(dens + off, f64x2.sub(f64x2.sub(f64x2.mul(yv, e), mu), lv))
      v128.store(weight + off, mu)
      v128.store(target + off, v128.bitselect(f64x2.div(f64x2.sub(yv, mu), mu), zero, f64x2.gt(mu, zero)))
      c += 2
      while (c >= k) { c -= k; i++ }
    }
  }
  for (; o < total; o++) {
    const yi = ld(y, i)
    if (family == 0) {
      const r = yi - ld(eta, o)
      const s = r * ld(b, c)
      st(dens, o, ld(a, c) - 0.5 * (s * s))
      st(target, o, r)
    } else if (family == 1) {
      let e: f64, mu: f64
      if (start != 0) { mu = yi + 0.1; e = logF(mu) } else { e = ld(eta, o); mu = expFlush(e) }
      st(dens, o, (yi * e - mu) - ld(logConst, i))
      st(weight, o, mu)
      const t = mu > 0.0 ? (yi - mu) / mu : 0.0
      st(target, o, start != 0 ? e + t : t)
    } else {
      const ti = ld(trials, i)
      let e: f64
      if (start != 0) { const m0 = (yi + 0.5) / (ti + 1.0); e = logF(m0 / (1.0 - m0)) } else e = ld(eta, o)
      const ex = expFlush(-Math.abs(e))
      const d = 1.0 + ex
      const mu = e >= 0.0 ? 1.0 / d : ex / d
      const w = ti * (ex / (d * d))
      st(dens, o, (yi * e - ti * ((e > 0.0 ? e : 0.0) + logF(d))) + ld(logConst, i))
      st(weight, o, w)
      const t = w > 0.0 ? (yi - ti * mu) / w : 0.0
      st(target, o, start != 0 ? e + t : t)
    }
    if (++c == k) { c = 0; i++ }
  }
}

/**
 * Weighted least-squares statistics per component c, a block of p*p + p + 3 values at
 * out + c * (p*p + p + 3):
 *   [ sum m, sum a z z' (p x p, full), sum a t z (p), sum a t^2, sum m dens ]
 * with m = resp[o] (times sampleWeight[i] when given: the component's mass),
 * a = m (times weight[o] when given: the IRLS weight), t = target[o], o = i*k + c
 * (t must be finite; glmRowTerms gives 0 where the weight is 0; a row with m == 0 adds
 * no log-density, so an infinite one there does no harm).
 *
 * Every sum is two partial sums, over the even rows and over the odd rows (in row
 * order), added at the end: the SIMD build takes a pair of rows per v128 (lane 0 the
 * even row, lane 1 the odd one), the scalar build and the JS twin the same sums one row
 * at a time, so all three are bit-identical. `out` holds 2 k (p*p + p + 3) + 2 p
 * values: the result in the first k blocks, then the interleaved partial sums and a
 * row pair of z. Only the upper triangle of z z' is summed; it is mirrored at the end.
 */
export function weightedCrossProducts(
  z: usize, n: i32, p: i32, k: i32, resp: usize, sampleWeight: usize, weight: usize,
  target: usize, dens: usize, out: usize,
): void {
  const size = p * p + p + 3
  const acc = out + (<usize>(size * k) << 3)
  const zz = acc + (<usize>(2 * size * k) << 3)
  memory.fill(acc, 0, <usize>(2 * size * k) << 3)
  let i = 0
  if (ASC_FEATURE_SIMD) {
    const zero = f64x2.splat(0.0)
    for (; i + 1 < n; i += 2) {
      const r0 = z + (<usize>(i * p) << 3)
      const r1 = r0 + (<usize>p << 3)
      for (let j = 0; j < p; j++) v128.store(zz + (<usize>j << 4), f64x2.replace_lane(f64x2.splat(ld(r0, j)), 1, ld(r1, j)))
      for (let c = 0; c < k; c++) {
        const o0 = i * k + c, o1 = o0 + k
        let m = f64x2.replace_lane(f64x2.splat(ld(resp, o0)), 1, ld(resp, o1))
        if (sampleWeight != 0) m = f64x2.mul(m, f64x2.replace_lane(f64x2.splat(ld(sampleWeight, i)), 1, ld(sampleWeight, i + 1)))
        const w = weight != 0 ? f64x2.mul(m, f64x2.replace_lane(f64x2.splat(ld(weight, o0)), 1, ld(weight, o1))) : m
        const t = f64x2.replace_lane(f64x2.splat(ld(target, o0)), 1, ld(target, o1))
        const blk = acc + (<usize>(c * size) << 4)
        v128.store(blk, f64x2.add(v128.load(blk), m))
        for (let j = 0; j < p; j++) {
          const wz = f64x2.mul(w, v128.load(zz + (<usize>j << 4)))
          const arow = blk + (<usize>(1 + j * p) << 4)
          for (let l = j; l < p; l++) {
            const ptr = arow + (<usize>l << 4)
            v128.store(ptr, f64x2.add(v128.load(ptr), f64x2.mul(wz, v128.load(zz + (<usize>l << 4)))))
          }
        }
        const wt = f64x2.mul(w, t)
        const bv = blk + (<usize>(1 + p * p) << 4)
        for (let j = 0; j < p; j++) {
          const ptr = bv + (<usize>j << 4)
          v128.store(ptr, f64x2.add(v128.load(ptr), f64x2.mul(wt, v128.load(zz + (<usize>j << 4)))))
        }
        const tp = bv + (<usize>p << 4)
        v128.store(tp, f64x2.add(v128.load(tp), f64x2.mul(wt, t)))
        if (dens != 0) {
          const d = f64x2.replace_lane(f64x2.splat(ld(dens, o0)), 1, ld(dens, o1))
          const qp = tp + 16
          v128.store(qp, f64x2.add(v128.load(qp), v128.bitselect(f64x2.mul(m, d), zero, f64x2.ne(m, zero))))
        }
      }
    }
  }
  for (; i < n; i++) {
    const row = z + (<usize>(i * p) << 3)
    const lane: usize = <usize>(i & 1) << 3
    for (let c = 0; c < k; c++) {
      const o = i * k + c
      let m = ld(resp, o)
      if (sampleWeight != 0) m = m * ld(sampleWeight, i)
      const w = weight != 0 ? m * ld(weight, o) : m
      const t = ld(target, o)
      const blk = acc + (<usize>(c * size) << 4) + lane
      store<f64>(blk, load<f64>(blk) + m)
      for (let j = 0; j < p; j++) {
        const wz = w * ld(row, j)
        const arow = blk + (<usize>(1 + j * p) << 4)
        for (let l = j; l < p; l++) {
          const ptr = arow + (<usize>l << 4)
          store<f64>(ptr, load<f64>(ptr) + wz * ld(row, l))
        }
      }
      const wt = w * t
      const bv = blk + (<usize>(1 + p * p) << 4)
      for (let j = 0; j < p; j++) {
        const ptr = bv + (<usize>j << 4)
        store<f64>(ptr, load<f64>(ptr) + wt * ld(row, j))
      }
      const tp = bv + (<usize>p << 4)
      store<f64>(tp, load<f64>(tp) + wt * t)
      if (dens != 0) {
        const qp = tp + 16
        store<f64>(qp, load<f64>(qp) + (m != 0.0 ? m * ld(dens, o) : 0.0))
      }
    }
  }
  // the two partial sums of every element; z z' mirrored from its upper triangle
  for (let c = 0; c < k; c++) {
    const blk = out + (<usize>(c * size) << 3)
    const pairs = acc + (<usize>(c * size) << 4)
    for (let e = 0; e < size; e++) {
      const ptr = pairs + (<usize>e << 4)
      st(blk, e, load<f64>(ptr) + load<f64>(ptr + 8))
    }
    const a = blk + 8
    for (let j = 0; j < p; j++) for (let l = 0; l < j; l++) st(a, j * p + l, ld(a, l * p + j))
  }
}
