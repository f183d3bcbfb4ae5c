/**
 * Numerical derivatives by central differences refined with Richardson extrapolation
 * (numDeriv's method: steps h, h/2, h/4, ... and the O(h^2) error terms cancelled
 * level by level), for parameter-sized problems: standard errors from a numerical
 * Hessian of the log-likelihood, and the Jacobian of the EM map (the DM matrix of
 * supplemented EM).
 *
 * A central difference has error c2 h^2 + c4 h^4 + ...; combining D(h) and D(h/2) as
 * (4^k D(h/2) - D(h)) / (4^k - 1) removes the h^(2k) term. With 4 levels and a first
 * step of 1e-4 relative the result is accurate to ~1e-10 relative on smooth functions,
 * where one plain difference gives ~1e-7.
 */

export interface DerivativeOptions {
  /** First step relative to |x_j| (default 1e-4, numDeriv's d). */
  readonly relStep?: number
  /** Step for coordinates near 0 (|x_j| < 1e-2 uses max(relStep * |x_j|, minStep); default 1e-4 x 1e-2). */
  readonly minStep?: number
  /** Levels of Richardson extrapolation (default 4, numDeriv's r). */
  readonly levels?: number
  /** First steps per coordinate (override relStep/minStep), e.g. from curvatureSteps. */
  readonly steps?: ArrayLike<number>
}

/** The first step of coordinate j: relative to |x_j|, floored for coordinates near 0. */
export function stepOf(x: number, options: DerivativeOptions = {}): number {
  const rel = options.relStep ?? 1e-4
  const floor = options.minStep ?? rel * 1e-2
  return Math.max(rel * Math.abs(x), floor)
}

/** The first step of coordinate j under `options`: a given step, else stepOf. */
function firstStep(x: Float64Array, j: number, options: DerivativeOptions): number {
  const given = options.steps?.[j]
  return given !== undefined && given > 0 && Number.isFinite(given) ? given : stepOf(x[j]!, options)
}

/**
 * Steps scaled to f's curvature: 0.1 / sqrt|d2f/dx_j2| per coordinate (a tenth of a
 * standard error when f is a log-likelihood), from a first pass of extrapolated second
 * differences at the relative steps. A step relative to |x_j| ignores the scale of the
 * data (a coefficient of 0.05 on a column in the hundreds moves the likelihood as much
 * as an intercept of 15): its finest differences then lose digits to rounding. Where
 * the curvature is 0 or not finite, the relative step.
 */
export function curvatureSteps(f: (x: Float64Array) => number, x: Float64Array, options: DerivativeOptions = {}): Float64Array {
  const levels = options.levels ?? 4
  const f0 = f(x)
  const steps = new Float64Array(x.length)
  for (let j = 0; j < x.length; j++) {
    const h0 = stepOf(x[j]!, options)
    const estimates: Float64Array[] = []
    for (let l = 0, h = h0; l < levels; l++, h /= 2) {
      const up = Float64Array.from(x), down = Float64Array.from(x)
      up[j] = x[j]! + h
      down[j] = x[j]! - h
      estimates.push(Float64Array.of((f(up) - 2 * f0 + f(down)) / (h * h)))
    }
    const c = Math.abs(extrapolate(estimates)[0]!)
    steps[j] = c > 0 && Number.isFinite(c) ? 0.1 / Math.sqrt(c) : h0
  }
  return steps
}

/** Richardson's table over one list of estimates at steps h, h/2, h/4, ...: the extrapolated value (every entry of a vector at once). */
function extrapolate(estimates: Float64Array[]): Float64Array {
  let level = estimates
  for (let k = 1; level.length > 1; k++) {
    const f = 4 ** k
    const next: Float64Array[] = []
    for (let i = 0; i + 1 < level.length; i++) {
      const coarse = level[i]!, fine = level[i + 1]!
      const out = new Float64Array(coarse.length)
      for (let e = 0; e < out.length; e++) out[e] = (f * fine[e]! - coarse[e]!) / (f - 1)
      next.push(out)
    }
    level = next
  }
  return level[0]!
}

/**
 * Jacobian of f: R^m -> R^p at x, row-major p x m (J[i][j] = d f_i / d x_j).
 * Evaluates f at 2 x m x levels points.
 */
export function richardsonJacobian(f: (x: Float64Array) => Float64Array, x: Float64Array, options: DerivativeOptions = {}): { jacobian: Float64Array; rows: number } {
  const m = x.length
  const levels = options.levels ?? 4
  let p = -1
  let jacobian = new Float64Array(0)
  for (let j = 0; j < m; j++) {
    const h0 = firstStep(x, j, options)
    const estimates: Float64Array[] = []
    for (let l = 0, h = h0; l < levels; l++, h /= 2) {
      const up = Float64Array.from(x), down = Float64Array.from(x)
      up[j] = x[j]! + h
      down[j] = x[j]! - h
      const fu = f(up), fd = f(down)
      const d = new Float64Array(fu.length)
      for (let i = 0; i < fu.length; i++) d[i] = (fu[i]! - fd[i]!) / (2 * h)
      estimates.push(d)
    }
    const column = extrapolate(estimates)
    if (p < 0) {
      p = column.length
      jacobian = new Float64Array(p * m)
    }
    for (let i = 0; i < p; i++) jacobian[i * m + j] = column[i]!
  }
  return { jacobian, rows: Math.max(p, 0) }
}

/** Gradient of f: R^m -> R at x (Richardson-extrapolated central differences). */
export function richardsonGradient(f: (x: Float64Array) => number, x: Float64Array, options: DerivativeOptions = {}): Float64Array {
  return richardsonJacobian((v) => Float64Array.of(f(v)), x, options).jacobian
}

/**
 * Hessian of f: R^m -> R at x, row-major m x m and exactly symmetric. Diagonal
 * entries from (f(x + h e_i) - 2 f(x) + f(x - h e_i)) / h^2, off-diagonal ones from
 * the four points x +- h_i e_i +- h_j e_j, each extrapolated over `levels` halvings of
 * the steps. About 2 m^2 x levels evaluations of f.
 */
export function richardsonHessian(f: (x: Float64Array) => number, x: Float64Array, options: DerivativeOptions = {}): Float64Array {
  const m = x.length
  const levels = options.levels ?? 4
  const f0 = f(x)
  const h0 = Array.from(x, (_, j) => firstStep(x, j, options))
  const at = (di: number, i: number, dj: number, j: number): number => {
    const v = Float64Array.from(x)
    v[i] = v[i]! + di
    v[j] = v[j]! + dj
    return f(v)
  }
  const H = new Float64Array(m * m)
  for (let i = 0; i < m; i++) {
    for (let j = 0; j <= i; j++) {
      const estimates: Float64Array[] = []
      for (let l = 0; l < levels; l++) {
        const scale = 2 ** -l
        const hi = h0[i]! * scale, hj = h0[j]! * scale
        let d: number
        if (i === j) {
          d = (at(hi, i, 0, i) - 2 * f0 + at(-hi, i, 0, i)) / (hi * hi)
        } else {
          d = (at(hi, i, hj, j) - at(hi, i, -hj, j) - at(-hi, i, hj, j) + at(-hi, i, -hj, j)) / (4 * hi * hj)
        }
        estimates.push(Float64Array.of(d))
      }
      const v = extrapolate(estimates)[0]!
      H[i * m + j] = v
      H[j * m + i] = v
    }
  }
  return H
}
