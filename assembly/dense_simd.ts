/**
 * The SIMD (f64x2) halves of the dense kernels; assembly/dense.ts calls them only in
 * the SIMD build, so the scalar build contains no v128. Lanes are two adjacent output
 * elements (two columns of W, or of the gradient): each element gets the operations of
 * the scalar code in the same order (start, then one product added per term, no FMA).
 * Register tile: 2 rows x 4 outputs (four v128 accumulators), then 2 x 2, then one
 * output at a time; an odd last row likewise. The product is blocked over inputs (JB).
 */
import { at, ld, st } from './common'

/** acc + a * b (two roundings, like the JS twin). */
// @ts-ignore: decorator
@inline function madd(acc: v128, a: v128, b: v128): v128 {
  return f64x2.add(acc, f64x2.mul(a, b))
}

// @ts-ignore: decorator
@inline function start2(b: usize, o: i32): v128 {
  return b == 0 ? f64x2.splat(0.0) : v128.load(at(b, o))
}

/**
 * Inputs per cache block of matmulSimd: the block's rows of W (JB x dout) stay in L2
 * while every row pair passes over them. Each y element leaves its register between
 * blocks as a stored f64 and comes back unchanged, so its additions still happen one by
 * one in input order: the result is the unblocked one, bit for bit.
 */
// @ts-ignore: decorator
@inline const JB: i32 = 64

// @ts-ignore: decorator
@inline function init2(first: bool, b: usize, y: usize, o: i32): v128 {
  return first ? start2(b, o) : v128.load(at(y, o))
}

// @ts-ignore: decorator
@inline function init1(first: bool, b: usize, y: usize, o: i32): f64 {
  return first ? (b == 0 ? 0.0 : ld(b, o)) : ld(y, o)
}

/** y = x W (+ b): x n x din, W din x dout, y n x dout; blocks of JB inputs, 2 x 4 register tiles. */
export function matmulSimd(x: usize, n: i32, din: i32, w: usize, dout: i32, b: usize, y: usize): void {
  const rowStep = <usize>dout << 3
  if (din == 0) {
    // no products: y is the bias (or 0)
    for (let i = 0; i < n; i++) for (let o = 0; o < dout; o++) st(y, i * dout + o, b == 0 ? 0.0 : ld(b, o))
    return
  }
  for (let j0 = 0; j0 < din; j0 += JB) {
    const j1 = j0 + JB < din ? j0 + JB : din
    const first = j0 == 0
    const wBlock = at(w, j0 * dout)
    let i = 0
    for (; i + 1 < n; i += 2) {
      const x0 = at(x, i * din), x1 = at(x, (i + 1) * din)
      const y0 = at(y, i * dout), y1 = at(y, (i + 1) * dout)
      let o = 0
      for (; o + 3 < dout; o += 4) {
        let a00 = init2(first, b, y0, o), a01 = init2(first, b, y0, o + 2)
        let a10 = init2(first, b, y1, o), a11 = init2(first, b, y1, o + 2)
        let wp = at(wBlock, o)
        for (let j = j0; j < j1; j++) {
          const w0 = v128.load(wp), w1 = v128.load(wp, 16)
          const s0 = f64x2.splat(ld(x0, j)), s1 = f64x2.splat(ld(x1, j))
          a00 = madd(a00, s0, w0); a01 = madd(a01, s0, w1)
          a10 = madd(a10, s1, w0); a11 = madd(a11, s1, w1)
          wp += rowStep
        }
        v128.store(at(y0, o), a00); v128.store(at(y0, o + 2), a01)
        v128.store(at(y1, o), a10); v128.store(at(y1, o + 2), a11)
      }
      for (; o + 1 < dout; o += 2) {
        let a0 = init2(first, b, y0, o), a1 = init2(first, b, y1, o)
        let wp = at(wBlock, o)
        for (let j = j0; j < j1; j++) {
          const w0 = v128.load(wp)
          a0 = madd(a0, f64x2.splat(ld(x0, j)), w0)
          a1 = madd(a1, f64x2.splat(ld(x1, j)), w0)
          wp += rowStep
        }
        v128.store(at(y0, o), a0); v128.store(at(y1, o), a1)
      }
      if (o < dout) {
        let c0 = init1(first, b, y0, o), c1 = init1(first, b, y1, o)
        for (let j = j0; j < j1; j++) {
          const wv = ld(w, j * dout + o)
          c0 += ld(x0, j) * wv
          c1 += ld(x1, j) * wv
        }
        st(y0, o, c0); st(y1, o, c1)
      }
    }
    if (i < n) {
      const x0 = at(x, i * din), y0 = at(y, i * dout)
      let o = 0
      for (; o + 1 < dout; o += 2) {
        let a0 = init2(first, b, y0, o)
        let wp = at(wBlock, o)
        for (let j = j0; j < j1; j++) {
          a0 = madd(a0, f64x2.splat(ld(x0, j)), v128.load(wp))
          wp += rowStep
        }
        v128.store(at(y0, o), a0)
      }
      if (o < dout) {
        let c0 = init1(first, b, y0, o)
        for (let j = j0; j < j1; j++) c0 += ld(x0, j) * ld(w, j * dout + o)
        st(y0, o, c0)
      }
    }
  }
}

/** out[j, o] = sum_i a[i, j] c[i, o] (a n x p, c n x q, out p x q), rows in order. */
export function gramSimd(a: usize, n: i32, p: i32, c: usize, q: i32, out: usize): void {
  const aStep = <usize>p << 3, cStep = <usize>q << 3
  let j = 0
  for (; j + 1 < p; j += 2) {
    const o0 = at(out, j * q), o1 = at(out, (j + 1) * q)
    let o = 0
    for (; o + 3 < q; o += 4) {
      let a00 = f64x2.splat(0.0), a01 = a00, a10 = a00, a11 = a00
      let ap = at(a, j), cp = at(c, o)
      for (let i = 0; i < n; i++) {
        const c0 = v128.load(cp), c1 = v128.load(cp, 16)
        const s0 = f64x2.splat(load<f64>(ap)), s1 = f64x2.splat(load<f64>(ap, 8))
        a00 = madd(a00, s0, c0); a01 = madd(a01, s0, c1)
        a10 = madd(a10, s1, c0); a11 = madd(a11, s1, c1)
        ap += aStep; cp += cStep
      }
      v128.store(at(o0, o), a00); v128.store(at(o0, o + 2), a01)
      v128.store(at(o1, o), a10); v128.store(at(o1, o + 2), a11)
    }
    for (; o + 1 < q; o += 2) {
      let a0 = f64x2.splat(0.0), a1 = a0
      let ap = at(a, j), cp = at(c, o)
      for (let i = 0; i < n; i++) {
        const c0 = v128.load(cp)
        a0 = madd(a0, f64x2.splat(load<f64>(ap)), c0)
        a1 = madd(a1, f64x2.splat(load<f64>(ap, 8)), c0)
        ap += aStep; cp += cStep
      }
      v128.store(at(o0, o), a0); v128.store(at(o1, o), a1)
    }
    if (o < q) {
      let s0: f64 = 0.0, s1: f64 = 0.0
      for (let i = 0; i < n; i++) {
        const cv = ld(c, i * q + o)
        s0 += ld(a, i * p + j) * cv
        s1 += ld(a, i * p + j + 1) * cv
      }
      st(o0, o, s0); st(o1, o, s1)
    }
  }
  if (j < p) {
    const o0 = at(out, j * q)
    let o = 0
    for (; o + 1 < q; o += 2) {
      let a0 = f64x2.splat(0.0)
      let ap = at(a, j), cp = at(c, o)
      for (let i = 0; i < n; i++) {
        a0 = madd(a0, f64x2.splat(load<f64>(ap)), v128.load(cp))
        ap += aStep; cp += cStep
      }
      v128.store(at(o0, o), a0)
    }
    if (o < q) {
      let s0: f64 = 0.0
      for (let i = 0; i < n; i++) s0 += ld(a, i * p + j) * ld(c, i * q + o)
      st(o0, o, s0)
    }
  }
}
