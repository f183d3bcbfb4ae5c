/**
 * The SIMD (f64x2) halves of assembly/special.ts: two elements per v128, each lane
 * doing exactly the scalar operations (the recurrence steps masked per lane, the
 * series and the Lanczos sum vectorised, the logs taken lane by lane with logF).
 * Each returns how many elements it did (an even number).
 */
import { at } from './common'
import { logF } from './math'
import { LANCZOS, lanczos, stirling } from './special_scalar'

// @ts-ignore: decorator
@inline function logLanes(v: v128): v128 {
  return f64x2.replace_lane(f64x2.splat(logF(f64x2.extract_lane(v, 0))), 1, logF(f64x2.extract_lane(v, 1)))
}

export function digammaSimd(x: usize, n: i32, out: usize): i32 {
  const zero = f64x2.splat(0.0)
  const one = f64x2.splat(1.0)
  const eight = f64x2.splat(8.0)
  const nan = f64x2.splat(NaN)
  let i = 0
  for (; i + 1 < n; i += 2) {
    const x0 = v128.load(at(x, i))
    const valid = f64x2.gt(x0, zero)
    let v = x0
    let shift = zero
    let m = v128.and(f64x2.lt(v, eight), valid)
    while (v128.any_true(m)) {
      shift = v128.bitselect(f64x2.sub(shift, f64x2.div(one, v)), shift, m)
      v = v128.bitselect(f64x2.add(v, one), v, m)
      m = v128.and(f64x2.lt(v, eight), valid)
    }
    const z = f64x2.div(one, f64x2.mul(v, v))
    let s = f64x2.sub(f64x2.splat(691.0 / 32760.0), f64x2.div(z, f64x2.splat(12.0)))
    s = f64x2.sub(f64x2.splat(1.0 / 132.0), f64x2.mul(z, s))
    s = f64x2.sub(f64x2.splat(1.0 / 240.0), f64x2.mul(z, s))
    s = f64x2.sub(f64x2.splat(1.0 / 252.0), f64x2.mul(z, s))
    s = f64x2.sub(f64x2.splat(1.0 / 120.0), f64x2.mul(z, s))
    s = f64x2.sub(f64x2.splat(1.0 / 12.0), f64x2.mul(z, s))
    const series = f64x2.mul(z, s)
    const r = f64x2.sub(f64x2.sub(f64x2.add(shift, logLanes(v)), f64x2.div(f64x2.splat(0.5), v)), series)
    v128.store(at(out, i), v128.bitselect(r, nan, valid))
  }
  return i
}

export function logGammaSimd(x: usize, n: i32, out: usize): i32 {
  const zero = f64x2.splat(0.0)
  const one = f64x2.splat(1.0)
  const half = f64x2.splat(0.5)
  const ten = f64x2.splat(10.0)
  let i = 0
  for (; i + 1 < n; i += 2) {
    const x0 = v128.load(at(x, i))
    const valid = f64x2.gt(x0, zero)
    const small = v128.and(f64x2.lt(x0, half), valid)
    const xs = v128.bitselect(f64x2.add(x0, one), x0, small)
    const big = f64x2.ge(xs, ten)
    let y = zero, t = zero, a = zero, series = zero
    if (v128.any_true(v128.andnot(valid, big))) {
      y = f64x2.sub(xs, one)
      a = f64x2.splat(load<f64>(LANCZOS))
      t = f64x2.add(f64x2.add(y, f64x2.splat(7.0)), half)
      for (let c = 1; c < 9; c++) {
        a = f64x2.add(a, f64x2.div(f64x2.splat(load<f64>(LANCZOS + (<usize>c << 3))), f64x2.add(y, f64x2.splat(<f64>c))))
      }
    }
    if (v128.any_true(v128.and(valid, big))) {
      const z = f64x2.div(one, f64x2.mul(xs, xs))
      let s = f64x2.sub(f64x2.splat(1.0 / 1680.0), f64x2.div(z, f64x2.splat(1188.0)))
      s = f64x2.sub(f64x2.splat(1.0 / 1260.0), f64x2.mul(z, s))
      s = f64x2.sub(f64x2.splat(1.0 / 360.0), f64x2.mul(z, s))
      s = f64x2.sub(f64x2.splat(1.0 / 12.0), f64x2.mul(z, s))
      series = f64x2.div(s, xs)
    }
    store<f64>(at(out, i), logGammaLane(f64x2.extract_lane(x0, 0), f64x2.extract_lane(xs, 0), f64x2.extract_lane(y, 0), f64x2.extract_lane(t, 0), f64x2.extract_lane(a, 0), f64x2.extract_lane(series, 0)))
    store<f64>(at(out, i + 1), logGammaLane(f64x2.extract_lane(x0, 1), f64x2.extract_lane(xs, 1), f64x2.extract_lane(y, 1), f64x2.extract_lane(t, 1), f64x2.extract_lane(a, 1), f64x2.extract_lane(series, 1)))
  }
  return i
}

/** One lane's result from its vectorised parts: the scalar logGammaF's final operations. */
// @ts-ignore: decorator
@inline function logGammaLane(x: f64, xs: f64, y: f64, t: f64, a: f64, series: f64): f64 {
  if (!(x > 0)) return x == 0 ? Infinity : NaN
  const r = xs >= 10.0 ? stirling(xs, series, logF(xs)) : lanczos(y, t, logF(t), logF(a))
  return x < 0.5 ? r - logF(x) : r
}
