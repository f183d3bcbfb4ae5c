/**
 * The scalar halves of the mixture kernels (the whole of them in the scalar
 * build; the SIMD build uses them only for leftover rows). Same blocking as the
 * SIMD code with one row per f64 instead of two per v128, and the same
 * operations in the same order per output element as the JS twin.
 */
import { NEGLIGIBLE, STATS_BLOCK, RESP_BLOCK, RESP_FLOOR, at, ld, st, pad4, packPrec, packedPrecLength } from './common'
import { expFlush, expFlush2InPlace, logF } from './math'

/** One row of logDensityFull, the plain loops of the JS twin (z: d doubles of scratch). */
export function densityFullRow(
  xr: usize, d: i32, means: usize, k: i32, prec: usize, precStride: i32, logDetP: usize,
  orow: usize, constant: f64, z: usize,
): void {
  for (let c = 0; c < k; c++) {
    const mr = at(means, c * d)
    const P = at(prec, c * precStride)
    for (let l = 0; l < d; l++) st(z, l, ld(xr, l) - ld(mr, l))
    let acc = 0.0
    for (let j = 0; j < d; j++) {
      const pr = at(P, j * d)
      let y = ld(pr, 0) * ld(z, 0)
      for (let l = 1; l <= j; l++) y += ld(pr, l) * ld(z, l)
      acc = j == 0 ? y * y : acc + y * y
    }
    st(orow, c, -0.5 * (constant + acc) + ld(logDetP, c))
  }
}

/**
 * logDensityFull two rows (a, b) at a time, rows j of P four at a time (eight
 * accumulators y0a..y3b) from the packed copy of P. Returns the rows done.
 */
export function densityFullScalar(
  x: usize, n: i32, d: i32, means: usize, k: i32,
  prec: usize, precStride: i32, logDetP: usize, out: usize, scratch: usize, constant: f64,
): i32 {
  const T = d >> 2
  const count = precStride == 0 ? 1 : k
  const packed = scratch
  const cstride = <usize>(precStride == 0 ? 0 : packedPrecLength(d)) << 3
  packPrec(prec, d, count, precStride, packed)
  const d8 = <usize>d << 3
  let i = 0
  for (; i + 1 < n; i += 2) {
    const ra = at(x, i * d)
    const rb = ra + d8
    const oa = at(out, i * k)
    const ob = at(oa, k)
    let pk = packed
    for (let c = 0; c < k; c++) {
      const mr = at(means, c * d)
      let accA = 0.0
      let accB = 0.0
      let pp = pk
      for (let t = 0; t < T; t++) {
        const j0 = t << 2
        // every y starts from its first product, not from 0 + product (the same
        // value up to the sign of a zero, which the square drops; as the SIMD code)
        let y0a: f64, y0b: f64, y1a: f64, y1b: f64
        let y2a: f64, y2b: f64, y3a: f64, y3b: f64
        let xa = ra
        let xb = rb
        let pm = mr
        let m: f64, za: f64, zb: f64, s: f64
        if (t == 0) {
          // the triangle's first column (l = 0) starts the four rows
          m = load<f64>(pm, 0)
          za = load<f64>(xa, 0) - m
          zb = load<f64>(xb, 0) - m
          s = load<f64>(pp, 0)
          y0a = s * za
          y0b = s * zb
          s = load<f64>(pp, 8)
          y1a = s * za
          y1b = s * zb
          s = load<f64>(pp, 16)
          y2a = s * za
          y2b = s * zb
          s = load<f64>(pp, 24)
          y3a = s * za
          y3b = s * zb
        } else {
          // l = 0 starts the four rows, l = 1 .. j0 - 1 add to them, then l = j0 (the triangle's first column)
          const pEnd = pp + (<usize>j0 << 5)
          m = load<f64>(pm)
          za = load<f64>(xa) - m
          zb = load<f64>(xb) - m
          s = load<f64>(pp)
          y0a = s * za
          y0b = s * zb
          s = load<f64>(pp, 8)
          y1a = s * za
          y1b = s * zb
          s = load<f64>(pp, 16)
          y2a = s * za
          y2b = s * zb
          s = load<f64>(pp, 24)
          y3a = s * za
          y3b = s * zb
          pp += 32
          xa += 8
          xb += 8
          pm += 8
          while (pp < pEnd) {
            m = load<f64>(pm)
            za = load<f64>(xa) - m
            zb = load<f64>(xb) - m
            s = load<f64>(pp)
            y0a += s * za
            y0b += s * zb
            s = load<f64>(pp, 8)
            y1a += s * za
            y1b += s * zb
            s = load<f64>(pp, 16)
            y2a += s * za
            y2b += s * zb
            s = load<f64>(pp, 24)
            y3a += s * za
            y3b += s * zb
            pp += 32
            xa += 8
            xb += 8
            pm += 8
          }
          m = load<f64>(pm, 0)
          za = load<f64>(xa, 0) - m
          zb = load<f64>(xb, 0) - m
          s = load<f64>(pp, 0)
          y0a += s * za
          y0b += s * zb
          s = load<f64>(pp, 8)
          y1a += s * za
          y1b += s * zb
          s = load<f64>(pp, 16)
          y2a += s * za
          y2b += s * zb
          s = load<f64>(pp, 24)
          y3a += s * za
          y3b += s * zb
        }
        // the rest of the 4 x 4 triangle on the diagonal: l = j0 + r feeds rows q >= r
        m = load<f64>(pm, 8)
        za = load<f64>(xa, 8) - m
        zb = load<f64>(xb, 8) - m
        s = load<f64>(pp, 40)
        y1a += s * za
        y1b += s * zb
        s = load<f64>(pp, 48)
        y2a += s * za
        y2b += s * zb
        s = load<f64>(pp, 56)
        y3a += s * za
        y3b += s * zb
        m = load<f64>(pm, 16)
        za = load<f64>(xa, 16) - m
        zb = load<f64>(xb, 16) - m
        s = load<f64>(pp, 80)
        y2a += s * za
        y2b += s * zb
        s = load<f64>(pp, 88)
        y3a += s * za
        y3b += s * zb
        m = load<f64>(pm, 24)
        za = load<f64>(xa, 24) - m
        zb = load<f64>(xb, 24) - m
        s = load<f64>(pp, 120)
        y3a += s * za
        y3b += s * zb
        pp += 128
        accA = t == 0 ? y0a * y0a : accA + y0a * y0a
        accB = t == 0 ? y0b * y0b : accB + y0b * y0b
        accA += y1a * y1a
        accB += y1b * y1b
        accA += y2a * y2a
        accB += y2b * y2b
        accA += y3a * y3a
        accB += y3b * y3b
      }
      if (precStride != 0) pk += cstride
      // the last d mod 4 rows of P, one at a time
      const P = at(prec, c * precStride)
      for (let j = T << 2; j < d; j++) {
        const pr = at(P, j * d)
        const m0 = ld(mr, 0)
        const s0 = ld(pr, 0)
        let ya = s0 * (ld(ra, 0) - m0)
        let yb = s0 * (ld(rb, 0) - m0)
        for (let l = 1; l <= j; l++) {
          const m = ld(mr, l)
          const s = ld(pr, l)
          ya += s * (ld(ra, l) - m)
          yb += s * (ld(rb, l) - m)
        }
        accA = j == 0 ? ya * ya : accA + ya * ya
        accB = j == 0 ? yb * yb : accB + yb * yb
      }
      const ldc = ld(logDetP, c)
      st(oa, c, -0.5 * (constant + accA) + ldc)
      st(ob, c, -0.5 * (constant + accB) + ldc)
    }
  }
  return i
}

/** One row of logDensityDiag. */
// @ts-ignore: decorator
@inline export function densityDiagRow(
  xr: usize, d: i32, means: usize, k: i32, prec: usize, logDetP: usize, orow: usize, constant: f64,
): void {
  for (let c = 0; c < k; c++) {
    const mr = at(means, c * d)
    const pr = at(prec, c * d)
    let acc = 0.0
    for (let j = 0; j < d; j++) {
      const z = ld(xr, j) - ld(mr, j)
      acc += z * z * ld(pr, j)
    }
    st(orow, c, -0.5 * (constant + acc) + ld(logDetP, c))
  }
}

/** One row of sqDistances. */
// @ts-ignore: decorator
@inline export function sqDistancesRow(xr: usize, d: i32, centers: usize, k: i32, orow: usize): void {
  for (let c = 0; c < k; c++) {
    const cr = at(centers, c * d)
    let s = 0.0
    for (let j = 0; j < d; j++) {
      const z = ld(xr, j) - ld(cr, j)
      s += z * z
    }
    st(orow, c, s)
  }
}

/**
 * log of a row's sum of exps: with separated components most rows sum to exactly 1
 * (the other terms below 2^-53), whose log (fdlibm's, as logF) is +0: not called.
 */
// @ts-ignore: decorator
@inline export function logOfSum(s: f64): f64 {
  return s == 1.0 ? 0.0 : logF(s)
}

/** responsibilities for one row; returns its log-likelihood. */
// @ts-ignore: decorator
@inline export function responsibilitiesRow(o: usize, k: i32, logWeights: usize): f64 {
  let max = -Infinity
  for (let c = 0; c < k; c++) {
    const t = ld(o, c) + ld(logWeights, c)
    st(o, c, t)
    if (t > max) max = t
  }
  let s = 0.0
  for (let c = 0; c < k; c++) {
    const v = ld(o, c) - max
    const e = v < RESP_FLOOR ? 0.0 : expFlush(v)
    st(o, c, e)
    s += e
  }
  const lse = max + logOfSum(s)
  const inv = 1.0 / s
  for (let c = 0; c < k; c++) st(o, c, ld(o, c) * inv)
  return lse
}

/**
 * responsibilities over all rows, in blocks of 2 * RESP_BLOCK rows: (1) t = lp +
 * logWeights, the row maxima and t - max, in place; (2) one flat loop of exps over
 * the block, two at a time interleaved (0 below RESP_FLOOR, a pair there without
 * its exps); (3) per row the sum in component order,
 * the log and the divisions. Returns the (weighted) total in row order.
 */
export function responsibilitiesScalar(
  lp: usize, n: i32, k: i32, logWeights: usize, rowLogLik: usize, sampleWeight: usize, scratch: usize,
): f64 {
  let total = 0.0
  const maxes = scratch
  const block = 2 * RESP_BLOCK
  for (let i0 = 0; i0 < n; i0 += block) {
    const i1 = min(n, i0 + block)
    for (let i = i0; i < i1; i++) {
      const o = at(lp, i * k)
      let max = -Infinity
      for (let c = 0; c < k; c++) {
        const t = ld(o, c) + ld(logWeights, c)
        st(o, c, t)
        if (t > max) max = t
      }
      st(maxes, i - i0, max)
      for (let c = 0; c < k; c++) st(o, c, ld(o, c) - max)
    }
    let p = at(lp, i0 * k)
    const end = at(lp, i1 * k)
    for (; p + 16 <= end; p += 16) {
      const a = load<f64>(p)
      const b = load<f64>(p, 8)
      if (a < RESP_FLOOR && b < RESP_FLOOR) {
        store<f64>(p, 0.0)
        store<f64>(p, 0.0, 8)
      } else {
        expFlush2InPlace(p)
        if (a < RESP_FLOOR) store<f64>(p, 0.0)
        if (b < RESP_FLOOR) store<f64>(p, 0.0, 8)
      }
    }
    if (p < end) {
      const a = load<f64>(p)
      store<f64>(p, a < RESP_FLOOR ? 0.0 : expFlush(a))
    }
    for (let i = i0; i < i1; i++) {
      const o = at(lp, i * k)
      let s = 0.0
      for (let c = 0; c < k; c++) s += ld(o, c)
      const lse = ld(maxes, i - i0) + logOfSum(s)
      const inv = 1.0 / s
      for (let c = 0; c < k; c++) st(o, c, ld(o, c) * inv)
      if (rowLogLik) st(rowLogLik, i, lse)
      total += sampleWeight ? ld(sampleWeight, i) * lse : lse
    }
  }
  return total
}

/**
 * statsFull's thresholds: thr[c] = N_c * NEGLIGIBLE / n from the masses N_c already
 * in out[0..k) (summed over every row, in row order).
 */
export function statsThresholds(n: i32, k: i32, out: usize, thr: usize): void {
  for (let c = 0; c < k; c++) st(thr, c, ld(out, c) * NEGLIGIBLE / <f64>n)
}

/** out[c] += w_ic over every row in row order (w = resp, times sampleWeight when given). */
export function statsMassesScalar(resp: usize, n: i32, k: i32, sampleWeight: usize, out: usize): void {
  for (let i = 0; i < n; i++) {
    const r = at(resp, i * k)
    if (sampleWeight) {
      const sw = ld(sampleWeight, i)
      for (let c = 0; c < k; c++) st(out, c, ld(out, c) + ld(r, c) * sw)
    } else {
      for (let c = 0; c < k; c++) st(out, c, ld(out, c) + ld(r, c))
    }
  }
}

/**
 * The rows i0..i1 whose weight for component c is above `thr`, as i32 row indices
 * at idx, in row order; returns how many. Without a branch on the weight: every
 * index is written, the count moves on only for the rows kept (the kept ones are
 * scattered, a branch on them mispredicts).
 */
// @ts-ignore: decorator
@inline export function statsRows(resp: usize, k: i32, c: i32, sampleWeight: usize, i0: i32, i1: i32, thr: f64, idx: usize): i32 {
  let count = 0
  let pr = at(resp, i0 * k + c)
  let pw = at(sampleWeight, i0)
  const k8 = <usize>k << 3
  for (let i = i0; i < i1; i++) {
    let w = load<f64>(pr)
    if (sampleWeight) w *= load<f64>(pw)
    store<i32>(idx + (<usize>count << 2), i)
    count += <i32>(w > thr)
    pr += k8
    pw += 8
  }
  return count
}

/**
 * statsFull, scalar: the same passes as statsFullSimd (the masses N over every
 * row; then per block and component the rows with w above the component's
 * threshold packed as z = x - ref and a = w z, padded to dp columns, S1 summed
 * while packing), then S2 in 4 x 2 register tiles over the packed rows in order.
 * Writes N, S1 and the lower triangle of S2 into `out` (zeroed by the caller).
 */
export function statsFullScalar(
  x: usize, n: i32, d: i32, resp: usize, k: i32, sampleWeight: usize, ref: usize, out: usize, scratch: usize,
): void {
  const dp = pad4(d)
  const dd = d * d
  const S2acc = (scratch + 15) & ~<usize>15
  const ZA = at(S2acc, k * dp * dp)
  const thr = at(ZA, 2 * STATS_BLOCK * dp)
  const idx = at(thr, k)
  memory.fill(S2acc, 0, <usize>(k * dp * dp + 2 * STATS_BLOCK * dp) << 3)
  statsMassesScalar(resp, n, k, sampleWeight, out)
  statsThresholds(n, k, out, thr)
  const s1 = at(out, k)
  const rowBytes = <usize>dp << 4 // one packed row: per column pair, z (16 bytes) then a (16 bytes)
  const accRow = <usize>dp << 3
  for (let i0 = 0; i0 < n; i0 += STATS_BLOCK) {
    const i1 = min(n, i0 + STATS_BLOCK)
    for (let c = 0; c < k; c++) {
      const rows = statsRows(resp, k, c, sampleWeight, i0, i1, ld(thr, c), idx)
      if (rows == 0) continue
      const mr = at(ref, c * d)
      const S1 = at(s1, c * d)
      let za = ZA
      for (let t = 0; t < rows; t++) {
        const i = load<i32>(idx + (<usize>t << 2))
        let w = ld(resp, i * k + c)
        if (sampleWeight) w *= ld(sampleWeight, i)
        const px = at(x, i * d)
        let zo = za
        for (let j = 0; j < d; j += 2) {
          const z0 = ld(px, j) - ld(mr, j)
          const a0 = w * z0
          store<f64>(zo, z0)
          store<f64>(zo, a0, 16)
          st(S1, j, ld(S1, j) + a0)
          if (j + 1 < d) {
            const z1 = ld(px, j + 1) - ld(mr, j + 1)
            const a1 = w * z1
            store<f64>(zo, z1, 8)
            store<f64>(zo, a1, 24)
            st(S1, j + 1, ld(S1, j + 1) + a1)
          }
          zo += 32
        }
        za += rowBytes
      }
      const acc = at(S2acc, c * dp * dp)
      for (let jb = 0; jb < dp; jb += 4) {
        for (let lb = 0; lb <= jb + 2; lb += 2) {
          const t0 = at(acc, jb * dp + lb)
          const t1 = t0 + accRow
          const t2 = t1 + accRow
          const t3 = t2 + accRow
          let a00 = load<f64>(t0), a01 = load<f64>(t0, 8)
          let a10 = load<f64>(t1), a11 = load<f64>(t1, 8)
          let a20 = load<f64>(t2), a21 = load<f64>(t2, 8)
          let a30 = load<f64>(t3), a31 = load<f64>(t3, 8)
          // a_j for j = jb..jb+3 at pa, pa+8, pa+32, pa+40; z_l, z_l+1 at pz, pz+8
          let pa = ZA + (<usize>jb << 4) + 16
          let pz = ZA + (<usize>lb << 4)
          const pEnd = pz + (za - ZA)
          while (pz < pEnd) {
            const z0 = load<f64>(pz)
            const z1 = load<f64>(pz, 8)
            let s = load<f64>(pa)
            a00 += s * z0
            a01 += s * z1
            s = load<f64>(pa, 8)
            a10 += s * z0
            a11 += s * z1
            s = load<f64>(pa, 32)
            a20 += s * z0
            a21 += s * z1
            s = load<f64>(pa, 40)
            a30 += s * z0
            a31 += s * z1
            pa += rowBytes
            pz += rowBytes
          }
          store<f64>(t0, a00)
          store<f64>(t0, a01, 8)
          store<f64>(t1, a10)
          store<f64>(t1, a11, 8)
          store<f64>(t2, a20)
          store<f64>(t2, a21, 8)
          store<f64>(t3, a30)
          store<f64>(t3, a31, 8)
        }
      }
    }
  }
  const s2 = at(out, k + k * d)
  for (let c = 0; c < k; c++) {
    const acc = at(S2acc, c * dp * dp)
    const S2 = at(s2, c * dd)
    for (let j = 0; j < d; j++) for (let l = 0; l <= j; l++) st(S2, j * d + l, ld(acc, j * dp + l))
  }
}
