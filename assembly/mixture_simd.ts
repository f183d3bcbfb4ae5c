/**
 * The SIMD (f64x2) halves of the mixture kernels; assembly/mixture.ts calls them
 * only in the SIMD build, so the scalar build contains no v128.
 *
 * Per-row kernels put two rows in one v128 (lane 0 = row i, lane 1 = row i + 1)
 * and return how many rows they did (the caller finishes the rest one by one);
 * the statistics use lanes for two adjacent output elements. Either way every
 * output element gets the same operations in the same order as the JS twin.
 */
import { STATS_BLOCK, RESP_BLOCK, RESP_FLOOR, at, at2, ld, st, pad4, packPrec, packedPrecLength } from './common'
import { logOfSum, statsRows, statsThresholds } from './mixture_scalar'
import { expFlushV, expFlushNonPositiveV8InPlaceBelow } from './math'

/** Lanes (base0[index], base1[index]): the same column of two rows. */
// @ts-ignore: decorator
@inline function ldPair(base0: usize, base1: usize, index: i32): v128 {
  return v128.load64_lane(at(base1, index), v128.load64_zero(at(base0, index)), 1)
}

// @ts-ignore: decorator
@inline function stPair(base0: usize, base1: usize, index: i32, value: v128): void {
  v128.store64_lane(at(base0, index), value, 0)
  v128.store64_lane(at(base1, index), value, 1)
}

/** Interleave two rows of x into pairs: xp[l] = (row0[l], row1[l]). */
// @ts-ignore: decorator
@inline function interleave(row0: usize, row1: usize, d: i32, xp: usize): void {
  for (let l = 0; l < d; l++) v128.store(at2(xp, l), ldPair(row0, row1, l))
}

/** acc + a * b (two roundings, like the JS twin: no FMA). */
// @ts-ignore: decorator
@inline function madd(acc: v128, a: v128, b: v128): v128 {
  return f64x2.add(acc, f64x2.mul(a, b))
}

/**
 * logDensityFull, four rows at a time: lanes (i, i+1) in the "a" vectors and
 * (i+2, i+3) in the "b" vectors, so each precision entry loaded feeds four rows.
 * Rows j of P_c are taken four at a time (register tiles y0..y3, eight v128),
 * from the packed copy of P (packPrec, at the start of scratch): tile t adds the
 * columns 0 .. 4t - 1, then the 4 x 4 triangle on the diagonal exactly (no
 * products with the zeros above it); the last d mod 4 rows of P one by one.
 * z = x - mean is made column by column where a column is first used (tile t's
 * triangle makes columns 4t .. 4t + 3) and kept in scratch for the later tiles,
 * and every sum starts from its first product. At d = 8 the kernel issues about
 * as many instructions per cycle as the core takes, so instructions are what it
 * saves: a separate pass making z cost ~10 per column (loop, loads, stores), and
 * 0 + product one addition per row of P. Returns the number of rows done.
 */
export function densityFullSimd(
  x: usize, n: i32, d: i32, means: usize, k: i32,
  prec: usize, precStride: i32, logDetP: usize, out: usize, scratch: usize, constant: f64,
): i32 {
  let i = 0
  const T = d >> 2
  const count = precStride == 0 ? 1 : k
  const packed = scratch
  const cstride = <usize>(precStride == 0 ? 0 : packedPrecLength(d)) << 3
  const xp = at(packed, count * packedPrecLength(d)) // d x 2 v128: the four rows interleaved
  // d x 2 v128: x - mean_c of the four rows, made once per component (not once per tile of P: at d = 32 that was 4.5 times)
  const zs = at(packed, count * packedPrecLength(d) + 9 * d)
  packPrec(prec, d, count, precStride, packed)
  const vconst = f64x2.splat(constant)
  const half = f64x2.splat(-0.5)
  const d8 = <usize>d << 3
  const zero = f64x2.splat(0.0)
  for (; i + 3 < n; i += 4) {
    const r0 = at(x, i * d)
    const r1 = r0 + d8
    const r2 = r1 + d8
    const r3 = r2 + d8
    for (let l = 0; l < d; l++) {
      v128.store(at2(xp, 2 * l), ldPair(r0, r1, l))
      v128.store(at2(xp, 2 * l + 1), ldPair(r2, r3, l))
    }
    const o0 = at(out, i * k)
    const o1 = at(o0, k)
    const o2 = at(o1, k)
    const o3 = at(o2, k)
    let pk = packed
    for (let c = 0; c < k; c++) {
      const mr = at(means, c * d)
      // Every sum starts from its first product, not from 0 + product: the same
      // value (up to the sign of a zero, which the squares drop) with one addition
      // less per row of P.
      let accA = zero
      let accB = zero
      let pp = pk
      for (let t = 0; t < T; t++) {
        const j0 = t << 2
        let y0a = zero, y0b = zero, y1a = zero, y1b = zero
        let y2a = zero, y2b = zero, y3a = zero, y3b = zero
        let za: v128, zb: v128, s: v128, m: v128
        let px = zs // z of columns 0 .. j0 - 1 (made by the earlier tiles), then this tile's
        const xq = xp + (<usize>j0 << 5) // x of columns j0 .. j0 + 3
        const pm = mr + (<usize>j0 << 3)
        if (t == 0) {
          // l = 0 starts the four rows
          m = v128.load64_splat(pm)
          za = f64x2.sub(v128.load(xq), m)
          zb = f64x2.sub(v128.load(xq, 16), m)
          v128.store(px, za)
          v128.store(px, zb, 16)
          s = v128.load64_splat(pp)
          y0a = f64x2.mul(s, za)
          y0b = f64x2.mul(s, zb)
          s = v128.load64_splat(pp, 8)
          y1a = f64x2.mul(s, za)
          y1b = f64x2.mul(s, zb)
          s = v128.load64_splat(pp, 16)
          y2a = f64x2.mul(s, za)
          y2b = f64x2.mul(s, zb)
          s = v128.load64_splat(pp, 24)
          y3a = f64x2.mul(s, za)
          y3b = f64x2.mul(s, zb)
        } else {
          // l = 0 starts the four rows, l = 1 .. j0 - 1 add to them, then l = j0 (the triangle's first column)
          const pEnd = pp + (<usize>j0 << 5)
          za = v128.load(px)
          zb = v128.load(px, 16)
          s = v128.load64_splat(pp)
          y0a = f64x2.mul(s, za)
          y0b = f64x2.mul(s, zb)
          s = v128.load64_splat(pp, 8)
          y1a = f64x2.mul(s, za)
          y1b = f64x2.mul(s, zb)
          s = v128.load64_splat(pp, 16)
          y2a = f64x2.mul(s, za)
          y2b = f64x2.mul(s, zb)
          s = v128.load64_splat(pp, 24)
          y3a = f64x2.mul(s, za)
          y3b = f64x2.mul(s, zb)
          pp += 32
          px += 32
          while (pp < pEnd) {
            za = v128.load(px)
            zb = v128.load(px, 16)
            s = v128.load64_splat(pp)
            y0a = madd(y0a, s, za)
            y0b = madd(y0b, s, zb)
            s = v128.load64_splat(pp, 8)
            y1a = madd(y1a, s, za)
            y1b = madd(y1b, s, zb)
            s = v128.load64_splat(pp, 16)
            y2a = madd(y2a, s, za)
            y2b = madd(y2b, s, zb)
            s = v128.load64_splat(pp, 24)
            y3a = madd(y3a, s, za)
            y3b = madd(y3b, s, zb)
            pp += 32
            px += 32
          }
          m = v128.load64_splat(pm)
          za = f64x2.sub(v128.load(xq), m)
          zb = f64x2.sub(v128.load(xq, 16), m)
          v128.store(px, za)
          v128.store(px, zb, 16)
          s = v128.load64_splat(pp)
          y0a = madd(y0a, s, za)
          y0b = madd(y0b, s, zb)
          s = v128.load64_splat(pp, 8)
          y1a = madd(y1a, s, za)
          y1b = madd(y1b, s, zb)
          s = v128.load64_splat(pp, 16)
          y2a = madd(y2a, s, za)
          y2b = madd(y2b, s, zb)
          s = v128.load64_splat(pp, 24)
          y3a = madd(y3a, s, za)
          y3b = madd(y3b, s, zb)
        }
        // the rest of the 4 x 4 triangle on the diagonal: l = j0 + r feeds rows q >= r
        m = v128.load64_splat(pm, 8)
        za = f64x2.sub(v128.load(xq, 32), m)
        zb = f64x2.sub(v128.load(xq, 48), m)
        v128.store(px, za, 32)
        v128.store(px, zb, 48)
        s = v128.load64_splat(pp, 40)
        y1a = madd(y1a, s, za)
        y1b = madd(y1b, s, zb)
        s = v128.load64_splat(pp, 48)
        y2a = madd(y2a, s, za)
        y2b = madd(y2b, s, zb)
        s = v128.load64_splat(pp, 56)
        y3a = madd(y3a, s, za)
        y3b = madd(y3b, s, zb)
        m = v128.load64_splat(pm, 16)
        za = f64x2.sub(v128.load(xq, 64), m)
        zb = f64x2.sub(v128.load(xq, 80), m)
        v128.store(px, za, 64)
        v128.store(px, zb, 80)
        s = v128.load64_splat(pp, 80)
        y2a = madd(y2a, s, za)
        y2b = madd(y2b, s, zb)
        s = v128.load64_splat(pp, 88)
        y3a = madd(y3a, s, za)
        y3b = madd(y3b, s, zb)
        m = v128.load64_splat(pm, 24)
        za = f64x2.sub(v128.load(xq, 96), m)
        zb = f64x2.sub(v128.load(xq, 112), m)
        v128.store(px, za, 96)
        v128.store(px, zb, 112)
        s = v128.load64_splat(pp, 120)
        y3a = madd(y3a, s, za)
        y3b = madd(y3b, s, zb)
        pp += 128
        if (t == 0) {
          accA = f64x2.mul(y0a, y0a)
          accB = f64x2.mul(y0b, y0b)
        } else {
          accA = madd(accA, y0a, y0a)
          accB = madd(accB, y0b, y0b)
        }
        accA = madd(accA, y1a, y1a)
        accB = madd(accB, y1b, y1b)
        accA = madd(accA, y2a, y2a)
        accB = madd(accB, y2b, y2b)
        accA = madd(accA, y3a, y3a)
        accB = madd(accB, y3b, y3b)
      }
      if (precStride != 0) pk += cstride
      // the last d mod 4 rows of P, one at a time
      const P = at(prec, c * precStride)
      {
        // their columns of z
        let pz = at2(zs, T << 3)
        let px = at2(xp, T << 3)
        let pm = at(mr, T << 2)
        const zEnd = at2(zs, 2 * d)
        while (pz < zEnd) {
          const m = v128.load64_splat(pm)
          v128.store(pz, f64x2.sub(v128.load(px), m))
          v128.store(pz, f64x2.sub(v128.load(px, 16), m), 16)
          pz += 32
          px += 32
          pm += 8
        }
      }
      for (let j = T << 2; j < d; j++) {
        const pr = at(P, j * d)
        const s0 = v128.load64_splat(pr)
        let ya = f64x2.mul(s0, v128.load(zs))
        let yb = f64x2.mul(s0, v128.load(zs, 16))
        for (let l = 1; l <= j; l++) {
          const s = v128.load64_splat(at(pr, l))
          ya = madd(ya, s, v128.load(at2(zs, 2 * l)))
          yb = madd(yb, s, v128.load(at2(zs, 2 * l + 1)))
        }
        if (j == 0) {
          accA = f64x2.mul(ya, ya)
          accB = f64x2.mul(yb, yb)
        } else {
          accA = madd(accA, ya, ya)
          accB = madd(accB, yb, yb)
        }
      }
      const ldc = v128.load64_splat(at(logDetP, c))
      stPair(o0, o1, c, f64x2.add(f64x2.mul(half, f64x2.add(vconst, accA)), ldc))
      stPair(o2, o3, c, f64x2.add(f64x2.mul(half, f64x2.add(vconst, accB)), ldc))
    }
  }
  return i
}

/** logDensityDiag, two rows per v128. Returns the number of rows done. */
export function densityDiagSimd(
  x: usize, n: i32, d: i32, means: usize, k: i32,
  prec: usize, logDetP: usize, out: usize, scratch: usize, constant: f64,
): i32 {
  let i = 0
  const xp = scratch
  const vconst = f64x2.splat(constant)
  const half = f64x2.splat(-0.5)
  const d8 = <usize>d << 3
  for (; i + 1 < n; i += 2) {
    const r0 = at(x, i * d)
    interleave(r0, r0 + d8, d, xp)
    const o0 = at(out, i * k)
    const o1 = at(o0, k)
    for (let c = 0; c < k; c++) {
      const mr = at(means, c * d)
      let acc = f64x2.splat(0.0)
      for (let j = 0; j < d; j++) {
        const z = f64x2.sub(v128.load(at2(xp, j)), v128.load64_splat(at(mr, j)))
        acc = f64x2.add(acc, f64x2.mul(f64x2.mul(z, z), v128.load64_splat(at(prec, c * d + j))))
      }
      const v = f64x2.add(f64x2.mul(half, f64x2.add(vconst, acc)), v128.load64_splat(at(logDetP, c)))
      stPair(o0, o1, c, v)
    }
  }
  return i
}

/** sqDistances, two rows per v128. Returns the number of rows done. */
export function sqDistancesSimd(x: usize, n: i32, d: i32, centers: usize, k: i32, out: usize, scratch: usize): i32 {
  let i = 0
  const xp = scratch
  const d8 = <usize>d << 3
  for (; i + 1 < n; i += 2) {
    const r0 = at(x, i * d)
    interleave(r0, r0 + d8, d, xp)
    const o0 = at(out, i * k)
    const o1 = at(o0, k)
    for (let c = 0; c < k; c++) {
      const cr = at(centers, c * d)
      let s = f64x2.splat(0.0)
      for (let j = 0; j < d; j++) {
        const z = f64x2.sub(v128.load(at2(xp, j)), v128.load64_splat(at(cr, j)))
        s = f64x2.add(s, f64x2.mul(z, z))
      }
      stPair(o0, o1, c, s)
    }
  }
  return i
}

/**
 * The exps of the v128 from p to end (arguments <= 0 or NaN), lanes below `floor` made
 * 0: eight v128 at a time, then one at a time. Both of responsibilitiesSimd's paths
 * (in place over the block, or over the gathered v128) run it.
 */
// @ts-ignore: decorator
@inline function expBelowInPlace(p: usize, end: usize, floor: v128): void {
  for (; p + 128 <= end; p += 128) expFlushNonPositiveV8InPlaceBelow(p, floor)
  for (; p < end; p += 16) {
    const v = v128.load(p)
    v128.store(p, v128.andnot(expFlushV(v), f64x2.lt(v, floor)))
  }
}

/**
 * responsibilities over the first 2 * floor(n / 2) rows; returns the sum of their
 * (weighted) row log-likelihoods, added in row order.
 * Blocks of RESP_BLOCK row pairs: (1) t = lp + logWeights, the row maxima and
 * t - max, counting the lanes below RESP_FLOOR; (2) one flat loop of exps, eight
 * v128 at a time (independent, so the long polynomial chains overlap; the
 * arguments are <= 0), then one at a time, lanes below the floor made 0 by the
 * exp's final select: over the whole block when at most half its lanes are below
 * the floor, else only over the v128 with a lane at or above it (or NaN),
 * gathered, the others made 0 in place, and put back afterwards; (3) per pair the sum in component order, the
 * log, one division (1 / sum) and the products.
 */
export function responsibilitiesSimd(
  lp: usize, n: i32, k: i32, logWeights: usize, rowLogLik: usize, sampleWeight: usize, scratch: usize,
): f64 {
  let total = 0.0
  const pairs = n >> 1
  const vals = scratch // RESP_BLOCK * k v128: t - max, then e
  const maxes = at2(vals, RESP_BLOCK * k) // RESP_BLOCK v128
  const work = at2(maxes, RESP_BLOCK) // RESP_BLOCK * k v128: the gathered arguments, then their exps
  const addrs = at2(work, RESP_BLOCK * k) // RESP_BLOCK * k u32: where each came from
  const floor = f64x2.splat(RESP_FLOOR)
  const zero = f64x2.splat(0.0)
  for (let p0 = 0; p0 < pairs; p0 += RESP_BLOCK) {
    const p1 = min(pairs, p0 + RESP_BLOCK)
    let pv = vals
    let pmax = maxes
    let below = zero
    for (let p = p0; p < p1; p++) {
      const o0 = at(lp, 2 * p * k)
      const o1 = at(o0, k)
      let max = f64x2.splat(-Infinity)
      let c = 0
      // two components at a time: a v128 of each row, transposed by two shuffles
      for (; c + 1 < k; c += 2) {
        const a = v128.load(at(o0, c))
        const b = v128.load(at(o1, c))
        const t0 = f64x2.add(v128.shuffle<f64>(a, b, 0, 2), v128.load64_splat(at(logWeights, c)))
        const t1 = f64x2.add(v128.shuffle<f64>(a, b, 1, 3), v128.load64_splat(at(logWeights, c + 1)))
        v128.store(at2(pv, c), t0)
        v128.store(at2(pv, c + 1), t1)
        max = f64x2.pmax(max, t0) // = (max < t ? t : max), as `if (t > max) max = t`
        max = f64x2.pmax(max, t1)
      }
      if (c < k) {
        const t = f64x2.add(ldPair(o0, o1, c), v128.load64_splat(at(logWeights, c)))
        v128.store(at2(pv, c), t)
        max = f64x2.pmax(max, t)
      }
      v128.store(pmax, max)
      const rowEnd = at2(pv, k)
      // t - max; count the lanes below the floor (-1 each)
      for (; pv < rowEnd; pv += 16) {
        const v = f64x2.sub(v128.load(pv), max)
        v128.store(pv, v)
        below = i64x2.add(below, f64x2.lt(v, floor))
      }
      pmax += 16
    }
    const vend = pv
    const lanes = <i32>(vend - vals) >> 3
    if (<i32>(i64x2.extract_lane(below, 0) + i64x2.extract_lane(below, 1)) > -(lanes >> 1)) {
      // at most half the lanes below the floor (components that overlap): the exps in place over all
      expBelowInPlace(vals, vend, floor)
    } else {
      // the v128 with a lane at or above the floor (or NaN) gathered without a branch
      // (every v128 written, the count moving on for those kept), the others made 0
      // in place; the exps over the gathered, then back in place
      let cnt = 0
      for (pv = vals; pv < vend; pv += 16) {
        const v = v128.load(pv)
        v128.store(at2(work, cnt), v)
        store<u32>(addrs + (<usize>cnt << 2), <u32>pv)
        v128.store(pv, zero)
        cnt += <i32>!i64x2.all_true(f64x2.lt(v, floor))
      }
      expBelowInPlace(work, at2(work, cnt), floor)
      for (let t = 0; t < cnt; t++) v128.store(<usize>load<u32>(addrs + (<usize>t << 2)), v128.load(at2(work, t)))
    }
    pv = vals
    pmax = maxes
    for (let p = p0; p < p1; p++) {
      let s = f64x2.splat(0.0)
      for (let c = 0; c < k; c++) s = f64x2.add(s, v128.load(at2(pv, c)))
      const max = v128.load(pmax)
      const lse0 = f64x2.extract_lane(max, 0) + logOfSum(f64x2.extract_lane(s, 0))
      const lse1 = f64x2.extract_lane(max, 1) + logOfSum(f64x2.extract_lane(s, 1))
      const o0 = at(lp, 2 * p * k)
      const o1 = at(o0, k)
      // one division per row pair, then products (a division costs several multiplications)
      const inv = f64x2.div(f64x2.splat(1.0), s)
      let c = 0
      for (; c + 1 < k; c += 2) {
        const r0 = f64x2.mul(v128.load(at2(pv, c)), inv)
        const r1 = f64x2.mul(v128.load(at2(pv, c + 1)), inv)
        v128.store(at(o0, c), v128.shuffle<f64>(r0, r1, 0, 2))
        v128.store(at(o1, c), v128.shuffle<f64>(r0, r1, 1, 3))
      }
      if (c < k) stPair(o0, o1, c, f64x2.mul(v128.load(at2(pv, c)), inv))
      if (rowLogLik) {
        st(rowLogLik, 2 * p, lse0)
        st(rowLogLik, 2 * p + 1, lse1)
      }
      if (sampleWeight) {
        total += ld(sampleWeight, 2 * p) * lse0
        total += ld(sampleWeight, 2 * p + 1) * lse1
      } else {
        total += lse0
        total += lse1
      }
      pv = at2(pv, k)
      pmax += 16
    }
  }
  return total
}

/**
 * statsFull's first pass, SIMD: out[c] += w_ic over every row in row order, lanes =
 * two components; up to eight components per sweep over the rows, in registers.
 */
function statsMassesSimd(resp: usize, n: i32, k: i32, sampleWeight: usize, out: usize): void {
  const k8 = <usize>k << 3
  let c = 0
  for (; c + 7 < k; c += 8) {
    let n0 = v128.load(at(out, c)), n1 = v128.load(at(out, c + 2))
    let n2 = v128.load(at(out, c + 4)), n3 = v128.load(at(out, c + 6))
    let pr = at(resp, c)
    for (let i = 0; i < n; i++) {
      let w0 = v128.load(pr), w1 = v128.load(pr, 16), w2 = v128.load(pr, 32), w3 = v128.load(pr, 48)
      if (sampleWeight) {
        const sw = v128.load64_splat(at(sampleWeight, i))
        w0 = f64x2.mul(w0, sw)
        w1 = f64x2.mul(w1, sw)
        w2 = f64x2.mul(w2, sw)
        w3 = f64x2.mul(w3, sw)
      }
      n0 = f64x2.add(n0, w0)
      n1 = f64x2.add(n1, w1)
      n2 = f64x2.add(n2, w2)
      n3 = f64x2.add(n3, w3)
      pr += k8
    }
    v128.store(at(out, c), n0)
    v128.store(at(out, c + 2), n1)
    v128.store(at(out, c + 4), n2)
    v128.store(at(out, c + 6), n3)
  }
  for (; c + 1 < k; c += 2) {
    let n0 = v128.load(at(out, c))
    let pr = at(resp, c)
    for (let i = 0; i < n; i++) {
      let w0 = v128.load(pr)
      if (sampleWeight) w0 = f64x2.mul(w0, v128.load64_splat(at(sampleWeight, i)))
      n0 = f64x2.add(n0, w0)
      pr += k8
    }
    v128.store(at(out, c), n0)
  }
  if (c < k) {
    let n0 = ld(out, c)
    let pr = at(resp, c)
    for (let i = 0; i < n; i++) {
      let w = load<f64>(pr)
      if (sampleWeight) w *= ld(sampleWeight, i)
      n0 += w
      pr += k8
    }
    st(out, c, n0)
  }
}

/**
 * statsFull, SIMD. First the masses N over every row (statsMassesSimd) and from
 * them each component's threshold (see NEGLIGIBLE in common.ts). Then rows are
 * taken in blocks of STATS_BLOCK; per block and component the rows with w above
 * the threshold (statsRows: their indices, found without a branch) are packed into
 * ZA: per row and column pair p, the v128 z = x - ref (columns 2p, 2p+1) followed
 * by the v128 a = w z, zero-padded to dp = d rounded up to 4 columns. S1 is summed
 * while packing. S2 is then accumulated in 4 x 4 register tiles (eight v128
 * accumulators, lanes = two adjacent columns l) over the packed rows in order,
 * so every element sums its terms in row order exactly as the JS twin; tiles on
 * the diagonal also compute a few elements above it, which are never read. The
 * accumulators live between blocks in a padded dp x dp array per component
 * (scratch); the lower triangle is copied to `out` at the end. The caller zeroes
 * `out` and mirrors S2.
 */
export function statsFullSimd(
  x: usize, n: i32, d: i32, resp: usize, k: i32, sampleWeight: usize, ref: usize, out: usize, scratch: usize,
): void {
  const dp = pad4(d)
  const dd = d * d
  const S2acc = (scratch + 15) & ~<usize>15
  const ZA = at(S2acc, k * dp * dp)
  const thr = at(ZA, 2 * STATS_BLOCK * dp)
  const idx = at(thr, k)
  memory.fill(S2acc, 0, <usize>(k * dp * dp + 2 * STATS_BLOCK * dp) << 3)
  statsMassesSimd(resp, n, k, sampleWeight, out)
  statsThresholds(n, k, out, thr)
  const s1 = at(out, k)
  const rowBytes = <usize>dp << 4 // one packed row: z and a for dp columns
  const accRow = <usize>dp << 3 // one row of the accumulator array
  const evenBytes = <usize>(d & ~1) << 3
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
        const wv = f64x2.splat(w)
        let zo = za
        for (let j8: usize = 0; j8 < evenBytes; j8 += 16) {
          const z = f64x2.sub(v128.load(px + j8), v128.load(mr + j8))
          const a = f64x2.mul(wv, z)
          v128.store(zo, z)
          v128.store(zo, a, 16)
          v128.store(S1 + j8, f64x2.add(v128.load(S1 + j8), a))
          zo += 32
        }
        if (d & 1) {
          const z = load<f64>(px + evenBytes) - load<f64>(mr + evenBytes)
          const a = w * z
          store<f64>(zo, z)
          store<f64>(zo, a, 16)
          store<f64>(S1 + evenBytes, load<f64>(S1 + evenBytes) + a)
        }
        za += rowBytes
      }
      const acc = at(S2acc, c * dp * dp)
      for (let jb = 0; jb < dp; jb += 4) {
        for (let lb = 0; lb <= jb; lb += 4) {
          const t00 = at(acc, jb * dp + lb)
          const t10 = t00 + accRow
          const t20 = t10 + accRow
          const t30 = t20 + accRow
          let a00 = v128.load(t00)
          let a01 = v128.load(t00, 16)
          let a10 = v128.load(t10)
          let a11 = v128.load(t10, 16)
          let a20 = v128.load(t20)
          let a21 = v128.load(t20, 16)
          let a30 = v128.load(t30)
          let a31 = v128.load(t30, 16)
          // a_j for j = jb..jb+3 at pa, pa+8, pa+32, pa+40; z pairs at pz, pz+32
          let pa = ZA + (<usize>jb << 4) + 16
          let pz = ZA + (<usize>lb << 4)
          const pEnd = pz + (za - ZA)
          while (pz < pEnd) {
            const z0 = v128.load(pz)
            const z1 = v128.load(pz, 32)
            let sa = v128.load64_splat(pa)
            a00 = madd(a00, sa, z0)
            a01 = madd(a01, sa, z1)
            sa = v128.load64_splat(pa, 8)
            a10 = madd(a10, sa, z0)
            a11 = madd(a11, sa, z1)
            sa = v128.load64_splat(pa, 32)
            a20 = madd(a20, sa, z0)
            a21 = madd(a21, sa, z1)
            sa = v128.load64_splat(pa, 40)
            a30 = madd(a30, sa, z0)
            a31 = madd(a31, sa, z1)
            pa += rowBytes
            pz += rowBytes
          }
          v128.store(t00, a00)
          v128.store(t00, a01, 16)
          v128.store(t10, a10)
          v128.store(t10, a11, 16)
          v128.store(t20, a20)
          v128.store(t20, a21, 16)
          v128.store(t30, a30)
          v128.store(t30, a31, 16)
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

/** statsDiag for one row and component: lanes = two adjacent columns j. Returns the columns done. */
// @ts-ignore: decorator
@inline export function statsDiagRowSimd(xr: usize, d: i32, w: f64, mr: usize, S1: usize, S2: usize): i32 {
  const wv = f64x2.splat(w)
  let j = 0
  for (; j + 1 < d; j += 2) {
    const z = f64x2.sub(v128.load(at(xr, j)), v128.load(at(mr, j)))
    const a = f64x2.mul(wv, z)
    v128.store(at(S1, j), f64x2.add(v128.load(at(S1, j)), a))
    v128.store(at(S2, j), f64x2.add(v128.load(at(S2, j)), f64x2.mul(a, z)))
  }
  return j
}
