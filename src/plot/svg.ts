/**
 * A self-contained SVG picture of a fitted Gaussian mixture: pure string building, no
 * Node built-ins and no DOM, so it runs in Node, browsers and edge runtimes alike.
 *
 * Left panel: a scatter of the first two columns coloured by component label, each
 * component's 1- and 2-sigma ellipses (of the 2x2 block of its covariance, i.e. the
 * exact marginal of the first two columns) and its mean. With one column the panel is
 * a density histogram with each weighted component density and the mixture density.
 * Right panel: the log-likelihood per EM iteration, and a legend.
 */
import { InputError } from '../core/errors.js'

export interface GmmSvgInput {
  /** The data, n x d (d >= 1); only the first two columns are drawn. */
  points: ArrayLike<ArrayLike<number>>
  /** Component label of each point (e.g. `model.predict(points)`); omitted: grey points. */
  labels?: ArrayLike<number> | null
  /** Column names (axis titles); default x1, x2, ... */
  columns?: readonly string[] | null
  /** Mixture weights, length K. */
  weights: readonly number[]
  /** Means, K x d. */
  means: readonly (readonly number[])[]
  /** Covariances in full form, K x d x d (GaussianMixture's `fullCovariances`, whatever the covariance type). */
  covariances: readonly (readonly (readonly number[])[])[]
  /** Total log-likelihood per iteration (element 0 at the start). */
  history?: readonly number[] | null
  title?: string
  subtitle?: string
  /** Extra lines of text under the legend (e.g. "log-likelihood −1130.3 · BIC 2322.2"). */
  notes?: readonly string[]
  /** Pixel size of the whole picture (default 1000 x 560). */
  width?: number
  height?: number
  /** At most this many points are drawn (an evenly spaced subset beyond it; default 5000). */
  maxPoints?: number
}

/** Tableau 10: distinct, colour-blind tolerant, readable on white. */
const PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac']
const FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, 'DejaVu Sans', sans-serif"
const INK = '#222'
const MUTED = '#666'
const GRID = '#ebebeb'
const AXIS = '#9a9a9a'

export function componentColor(k: number): string {
  if (k < PALETTE.length) return PALETTE[k]!
  const hue = Math.round((k * 137.508) % 360)
  return `hsl(${hue}, 55%, 48%)`
}

// ---------------------------------------------------------------- small helpers

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;')
}

/** Round a coordinate for output. */
function r2(v: number): string {
  const x = Math.round(v * 100) / 100
  return Object.is(x, -0) ? '0' : String(x)
}

/** A typographic minus for negative numbers. */
function minus(s: string): string {
  return s.startsWith('-') ? `\u2212${s.slice(1)}` : s
}

/** A number with about `sig` significant digits, without exponent for everyday magnitudes. */
export function formatNumber(v: number, sig = 4): string {
  if (!Number.isFinite(v)) return String(v)
  if (v === 0) return '0'
  const a = Math.abs(v)
  if (a >= 1e6 || a < 1e-4) return minus(v.toExponential(Math.max(0, sig - 1)).replace(/\.?0+e/, 'e'))
  const decimals = Math.max(0, sig - 1 - Math.floor(Math.log10(a)))
  let s = v.toFixed(Math.min(decimals, 10))
  if (s.includes('.')) s = s.replace(/0+$/, '').replace(/\.$/, '')
  return minus(s)
}

/** "Nice" tick values (1, 2, 2.5, 5 x 10^e) covering [lo, hi] with about `count` ticks. */
export function niceTicks(lo: number, hi: number, count = 6): { ticks: number[]; step: number } {
  if (!(hi > lo)) {
    const pad = Math.abs(lo) > 0 ? Math.abs(lo) * 0.1 : 1
    lo -= pad
    hi += pad
  }
  const raw = (hi - lo) / Math.max(1, count)
  const e = Math.floor(Math.log10(raw))
  const base = 10 ** e
  const f = raw / base
  const m = f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10
  const step = m * base
  const first = Math.ceil(lo / step - 1e-9)
  const last = Math.floor(hi / step + 1e-9)
  const ticks: number[] = []
  // Count by an integer offset (first may be too large for i++ to move it), at most 100 ticks.
  const count2 = Math.min(100, last - first)
  for (let t = 0; t <= count2; t++) ticks.push(Number(((first + t) * step).toPrecision(12)))
  return { ticks, step }
}

/** The smallest of 1, 2, 5, 10, 20, 50, ... that is >= step. */
function integerStep(step: number): number {
  if (!(step > 0 && step < 1e15)) return 1
  for (let base = 1; ; base *= 10) {
    for (const m of [1, 2, 5]) if (m * base >= step - 1e-9) return m * base
  }
}

function tickLabel(v: number, step: number): string {
  const a = Math.max(Math.abs(v), Math.abs(step))
  if (a >= 1e6 || (a < 1e-3 && v !== 0)) return formatNumber(v, 3)
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9))
  const frac = step * 10 ** decimals
  const extra = Math.abs(frac - Math.round(frac)) > 1e-6 ? 1 : 0 // 2.5 steps
  const s = v.toFixed(decimals + extra)
  // Thousands separator for big integers keeps "-1130" readable as "−1,130".
  const [int, dec] = s.split('.')
  const grouped = Math.abs(v) >= 10000 ? int!.replace(/\B(?=(\d{3})+(?!\d))/g, ',') : int!
  return minus(dec !== undefined ? `${grouped}.${dec}` : grouped)
}

interface Scale {
  (v: number): number
  lo: number
  hi: number
}

function linear(d0: number, d1: number, r0: number, r1: number): Scale {
  const k = d1 === d0 ? 0 : (r1 - r0) / (d1 - d0)
  const f = ((v: number) => r0 + (v - d0) * k) as Scale
  f.lo = d0
  f.hi = d1
  return f
}

interface Box { left: number; top: number; right: number; bottom: number }

/** Grid lines, axes, ticks and tick labels for one panel. */
function axes(out: string[], box: Box, xs: Scale, ys: Scale, opts: { xTitle: string; yTitle: string; xCount?: number; yCount?: number; integerX?: boolean; yTitleX?: number }): void {
  const xt = niceTicks(xs.lo, xs.hi, opts.xCount ?? 6)
  let xTicks = xt.ticks
  let xStep = xt.step
  if (opts.integerX) {
    // Whole-number steps only (1, 2, 5, 10, 20, ...): iterations have no halves.
    xStep = integerStep(xt.step)
    xTicks = []
    for (let t = Math.ceil(xs.lo / xStep) * xStep; t <= xs.hi + 1e-9 && xTicks.length <= 100; t += xStep) xTicks.push(t)
  }
  const yt = niceTicks(ys.lo, ys.hi, opts.yCount ?? 6)
  out.push(`<g class="grid" stroke="${GRID}" stroke-width="1">`)
  for (const t of xTicks) out.push(`<line x1="${r2(xs(t))}" y1="${box.top}" x2="${r2(xs(t))}" y2="${box.bottom}"/>`)
  for (const t of yt.ticks) out.push(`<line x1="${box.left}" y1="${r2(ys(t))}" x2="${box.right}" y2="${r2(ys(t))}"/>`)
  out.push('</g>')
  out.push(`<rect x="${box.left}" y="${box.top}" width="${box.right - box.left}" height="${box.bottom - box.top}" fill="none" stroke="${AXIS}" stroke-width="1"/>`)
  out.push(`<g class="ticks" font-size="11" fill="${MUTED}">`)
  for (const t of xTicks) {
    const x = r2(xs(t))
    out.push(`<line x1="${x}" y1="${box.bottom}" x2="${x}" y2="${box.bottom + 5}" stroke="${AXIS}"/>`)
    out.push(`<text x="${x}" y="${box.bottom + 18}" text-anchor="middle">${esc(tickLabel(t, xStep))}</text>`)
  }
  for (const t of yt.ticks) {
    const y = r2(ys(t))
    out.push(`<line x1="${box.left - 5}" y1="${y}" x2="${box.left}" y2="${y}" stroke="${AXIS}"/>`)
    out.push(`<text x="${box.left - 8}" y="${r2(ys(t) + 4)}" text-anchor="end">${esc(tickLabel(t, yt.step))}</text>`)
  }
  out.push('</g>')
  const cx = (box.left + box.right) / 2
  const cy = (box.top + box.bottom) / 2
  // The y title sits clear of the widest tick label (about 6.3 px per 11 px character).
  const widest = Math.max(0, ...yt.ticks.map((t) => tickLabel(t, yt.step).length))
  const yx = Math.min(opts.yTitleX ?? box.left - 52, box.left - 24 - widest * 6.3)
  out.push(`<text class="axis-title" x="${r2(cx)}" y="${box.bottom + 40}" text-anchor="middle" font-size="13" fill="${INK}">${esc(opts.xTitle)}</text>`)
  out.push(`<text class="axis-title" x="${r2(yx)}" y="${r2(cy)}" text-anchor="middle" font-size="13" fill="${INK}" transform="rotate(-90 ${r2(yx)} ${r2(cy)})">${esc(opts.yTitle)}</text>`)
}

/** Symmetric 2x2 eigen-decomposition: [l1 >= l2], angle of the l1 eigenvector (radians). */
export function eig2(a: number, b: number, c: number): { l1: number; l2: number; angle: number } {
  const mid = (a + c) / 2
  const rad = Math.hypot((a - c) / 2, b)
  return { l1: mid + rad, l2: mid - rad, angle: 0.5 * Math.atan2(2 * b, a - c) }
}

function finiteRange(values: Iterable<number>): [number, number] {
  let lo = Infinity
  let hi = -Infinity
  for (const v of values) {
    if (!Number.isFinite(v)) continue
    if (v < lo) lo = v
    if (v > hi) hi = v
  }
  if (lo === Infinity) return [0, 1]
  return [lo, hi]
}

function padRange([lo, hi]: [number, number], frac = 0.04): [number, number] {
  // A range narrower than a millionth of its magnitude (a flat log-likelihood trace,
  // identical points) is widened about its middle: ticks need a representable step.
  const minSpan = Math.max(Math.abs(lo), Math.abs(hi)) * 1e-6 || 1
  if (!(hi - lo >= minSpan)) {
    const mid = (lo + hi) / 2
    lo = mid - minSpan / 2
    hi = mid + minSpan / 2
  }
  const span = hi - lo
  return [lo - span * frac, hi + span * frac]
}

// ---------------------------------------------------------------- the picture

/** Render the mixture and its fit history as an SVG document (a string). */
export function gmmSvg(input: GmmSvgInput): string {
  const { points, weights, means, covariances } = input
  const K = weights?.length ?? 0
  if (K < 1) throw new InputError('INVALID_DATA', 'gmmSvg: weights must list at least one component.')
  if (!means || means.length !== K || !covariances || covariances.length !== K) {
    throw new InputError('SHAPE_MISMATCH', `gmmSvg: weights, means and covariances must all have K = ${K} entries (got ${means?.length}, ${covariances?.length}); pass covariances in full K x d x d form (GaussianMixture.fullCovariances).`)
  }
  const n = points?.length ?? 0
  const d = means[0]!.length
  if (d < 1) throw new InputError('INVALID_DATA', 'gmmSvg: means must have at least one column.')
  for (let k = 0; k < K; k++) {
    const S = covariances[k]!
    if (means[k]!.length !== d || !S || S.length !== d || S.some((row) => !row || row.length !== d)) {
      throw new InputError('SHAPE_MISMATCH', `gmmSvg: component ${k + 1} must have a mean of length ${d} and a ${d} x ${d} covariance (full form).`, { component: k })
    }
  }
  for (let i = 0; i < n; i++) {
    if (!points[i] || points[i]!.length < Math.min(d, 2)) {
      throw new InputError('SHAPE_MISMATCH', `gmmSvg: point ${i} has ${points[i]?.length ?? 0} values; expected ${d}.`, { row: i })
    }
  }
  const labels = input.labels ?? null
  if (labels && labels.length !== n) {
    throw new InputError('SHAPE_MISMATCH', `gmmSvg: ${labels.length} labels for ${n} points; give one label per point.`)
  }

  const W = input.width ?? 1000
  const H = input.height ?? 560
  const columns = input.columns ?? null
  const colName = (j: number) => (columns && columns[j]) || `x${j + 1}`
  const out: string[] = []
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="${esc(FONT)}" role="img">`)
  const title = input.title ?? `Gaussian mixture, K = ${K}`
  out.push(`<title>${esc(title)}</title>`)
  out.push(`<rect width="${W}" height="${H}" fill="#ffffff"/>`)
  out.push(`<text class="title" x="28" y="34" font-size="20" font-weight="600" fill="${INK}">${esc(title)}</text>`)
  const subtitle = input.subtitle ?? `${n.toLocaleString('en-US')} points, ${d} column${d === 1 ? '' : 's'}, ${K} component${K === 1 ? '' : 's'}`
  out.push(`<text class="subtitle" x="28" y="56" font-size="13" fill="${MUTED}">${esc(subtitle)}</text>`)

  // Layout: the data panel on the left; the trace and legend on the right.
  const split = Math.round(W * 0.6)
  const left: Box = { left: 84, top: 84, right: split - 16, bottom: H - 74 }
  const traceBox: Box = { left: split + 84, top: 84, right: W - 28, bottom: 84 + Math.round((H - 84 - 74) * 0.5) }
  const legendTop = traceBox.bottom + 66

  // Evenly spaced subset when there are many points (keeps the file small).
  const maxPoints = Math.max(1, input.maxPoints ?? 5000)
  const stride = n > maxPoints ? n / maxPoints : 1
  const shown: number[] = []
  for (let t = 0; t < n / stride; t++) shown.push(Math.floor(t * stride))

  out.push('<g class="panel data-panel">')
  if (d >= 2) scatterPanel(out, input, left, shown, colName)
  else densityPanel(out, input, left, colName)
  if (shown.length < n) {
    out.push(`<text x="${left.right}" y="${left.top - 8}" text-anchor="end" font-size="11" fill="${MUTED}">showing ${shown.length.toLocaleString('en-US')} of ${n.toLocaleString('en-US')} points</text>`)
  }
  out.push('</g>')

  out.push('<g class="panel trace-panel">')
  tracePanel(out, input.history ?? null, traceBox)
  out.push('</g>')

  out.push('<g class="legend">')
  legend(out, input, { left: split + 30, top: legendTop, right: W - 20, bottom: H - 16 }, d, colName)
  out.push('</g>')

  out.push('</svg>')
  return out.join('\n') + '\n'
}

function scatterPanel(out: string[], input: GmmSvgInput, box: Box, shown: number[], colName: (j: number) => string): void {
  const { points, means, covariances, weights } = input
  const labels = input.labels ?? null
  const K = weights.length
  // Domain: the points and means, widened to show every 2-sigma ellipse, but by at
  // most a quarter of the data's span on each side (a very wide ellipse, e.g. a
  // spherical one on unscaled data, is clipped rather than shrinking the points).
  const px: number[] = []
  const py: number[] = []
  for (const i of shown) { px.push(points[i]![0]!); py.push(points[i]![1]!) }
  const ex: number[] = []
  const ey: number[] = []
  for (let k = 0; k < K; k++) {
    const S = covariances[k]!
    const hx = 2 * Math.sqrt(Math.max(0, S[0]![0]!))
    const hy = 2 * Math.sqrt(Math.max(0, S[1]![1]!))
    px.push(means[k]![0]!)
    py.push(means[k]![1]!)
    ex.push(means[k]![0]! - hx, means[k]![0]! + hx)
    ey.push(means[k]![1]! - hy, means[k]![1]! + hy)
  }
  const widen = (core: [number, number], ell: [number, number]): [number, number] => {
    const span = core[1] - core[0] || Math.abs(core[0]) * 0.1 || 1
    return [Math.max(Math.min(core[0], ell[0]), core[0] - span / 4), Math.min(Math.max(core[1], ell[1]), core[1] + span / 4)]
  }
  const [x0, x1] = padRange(widen(finiteRange(px), finiteRange(ex)))
  const [y0, y1] = padRange(widen(finiteRange(py), finiteRange(ey)))
  const xs = linear(x0, x1, box.left, box.right)
  const ys = linear(y0, y1, box.bottom, box.top)
  const d = means[0]!.length
  axes(out, box, xs, ys, { xTitle: colName(0), yTitle: colName(1) })
  if (d > 2) {
    out.push(`<text x="${box.left}" y="${box.top - 8}" font-size="11" fill="${MUTED}">first two of ${d} columns; ellipses of the marginal covariance</text>`)
  }
  const clipId = 'emkit-clip-data'
  out.push(`<clipPath id="${clipId}"><rect x="${box.left}" y="${box.top}" width="${box.right - box.left}" height="${box.bottom - box.top}"/></clipPath>`)
  out.push(`<g clip-path="url(#${clipId})">`)

  // Points, grouped by component so each group carries its colour once.
  const groups = new Map<number, number[]>()
  for (const i of shown) {
    const lab = labels ? Number(labels[i]) : -1
    const key = Number.isInteger(lab) && lab >= 0 ? lab : -1
    let g = groups.get(key)
    if (!g) groups.set(key, (g = []))
    g.push(i)
  }
  const radius = shown.length > 2000 ? 1.8 : 2.8
  for (const [key, idx] of [...groups.entries()].sort((a, b) => a[0] - b[0])) {
    const color = key < 0 ? '#8a8a8a' : componentColor(key)
    out.push(`<g class="points" data-component="${key < 0 ? 'none' : key}" fill="${color}" fill-opacity="0.55" stroke="${color}" stroke-opacity="0.85" stroke-width="0.6">`)
    for (const i of idx) {
      const px = xs(points[i]![0]!)
      const py = ys(points[i]![1]!)
      if (Number.isFinite(px) && Number.isFinite(py)) out.push(`<circle cx="${r2(px)}" cy="${r2(py)}" r="${radius}"/>`)
    }
    out.push('</g>')
  }

  // Ellipses: the data-space covariance block mapped into pixel space (x scale sx,
  // y scale -sy), then eigen-decomposed there so the SVG ellipse is exact.
  const sx = (box.right - box.left) / (x1 - x0)
  const sy = (box.bottom - box.top) / (y1 - y0)
  for (let k = 0; k < K; k++) {
    const S = covariances[k]!
    const a = S[0]![0]! * sx * sx
    const b = -S[0]![1]! * sx * sy
    const c = S[1]![1]! * sy * sy
    const { l1, l2, angle } = eig2(a, b, c)
    const cx = xs(means[k]![0]!)
    const cy = ys(means[k]![1]!)
    const deg = (angle * 180) / Math.PI
    const color = componentColor(k)
    out.push(`<g class="component" data-component="${k}">`)
    for (const [s, style] of [[2, `fill="none" stroke-width="1.4" stroke-dasharray="6 4"`], [1, `fill="${color}" fill-opacity="0.10" stroke-width="2.2"`]] as const) {
      const rx = s * Math.sqrt(Math.max(0, l1))
      const ry = s * Math.sqrt(Math.max(0, l2))
      out.push(`<ellipse class="ellipse sigma-${s}" data-component="${k}" data-sigma="${s}" cx="${r2(cx)}" cy="${r2(cy)}" rx="${r2(rx)}" ry="${r2(ry)}" transform="rotate(${r2(deg)} ${r2(cx)} ${r2(cy)})" stroke="${color}" ${style}/>`)
    }
    out.push('</g>')
  }
  out.push('</g>')
  // Means on top (outside the clip so a marker at the edge stays whole).
  for (let k = 0; k < K; k++) {
    const cx = xs(means[k]![0]!)
    const cy = ys(means[k]![1]!)
    meanMarker(out, k, cx, cy)
  }
}

function meanMarker(out: string[], k: number, cx: number, cy: number): void {
  const color = componentColor(k)
  out.push(`<g class="mean" data-component="${k}">`)
  out.push(`<circle cx="${r2(cx)}" cy="${r2(cy)}" r="10" fill="${color}" stroke="#ffffff" stroke-width="2.5"/>`)
  out.push(`<circle cx="${r2(cx)}" cy="${r2(cy)}" r="11.5" fill="none" stroke="${INK}" stroke-opacity="0.35" stroke-width="1"/>`)
  out.push(`<text x="${r2(cx)}" y="${r2(cy + 4)}" text-anchor="middle" font-size="11" font-weight="700" fill="#ffffff">${k + 1}</text>`)
  out.push('</g>')
}

function normalPdf(x: number, mu: number, v: number): number {
  return Math.exp(-0.5 * ((x - mu) ** 2) / v) / Math.sqrt(2 * Math.PI * v)
}

/** One column: a density histogram with each weighted component density and their sum. */
function densityPanel(out: string[], input: GmmSvgInput, box: Box, colName: (j: number) => string): void {
  const { points, means, covariances, weights } = input
  const K = weights.length
  const n = points.length
  const vals: number[] = []
  for (let i = 0; i < n; i++) vals.push(points[i]![0]!)
  const ext: number[] = [...vals]
  for (let k = 0; k < K; k++) {
    const h = 3 * Math.sqrt(Math.max(0, covariances[k]![0]![0]!))
    ext.push(means[k]![0]! - h, means[k]![0]! + h)
  }
  const [x0, x1] = padRange(finiteRange(ext), 0.02)
  const [v0, v1] = finiteRange(vals)
  const nb = Math.min(60, Math.max(8, Math.ceil(Math.sqrt(Math.max(1, n)))))
  const bw = (v1 - v0 || 1) / nb
  const counts = new Array<number>(nb).fill(0)
  for (const v of vals) if (Number.isFinite(v)) counts[Math.min(nb - 1, Math.floor((v - v0) / bw))]!++
  const dens = counts.map((c) => (n > 0 ? c / (n * bw) : 0))
  const grid = Array.from({ length: 241 }, (_, t) => x0 + ((x1 - x0) * t) / 240)
  const comp = Array.from({ length: K }, (_, k) => grid.map((x) => weights[k]! * normalPdf(x, means[k]![0]!, Math.max(1e-300, covariances[k]![0]![0]!))))
  const total = grid.map((_, t) => comp.reduce((s, c) => s + c[t]!, 0))
  const ymax = Math.max(...dens, ...total.filter(Number.isFinite)) * 1.08 || 1
  const xs = linear(x0, x1, box.left, box.right)
  const ys = linear(0, ymax, box.bottom, box.top)
  axes(out, box, xs, ys, { xTitle: colName(0), yTitle: 'density' })
  out.push(`<g class="histogram" fill="#cfd6df" stroke="#ffffff" stroke-width="0.8">`)
  for (let b = 0; b < nb; b++) {
    const xa = xs(v0 + b * bw)
    const xb = xs(v0 + (b + 1) * bw)
    const yt = ys(dens[b]!)
    out.push(`<rect x="${r2(xa)}" y="${r2(yt)}" width="${r2(Math.max(0, xb - xa))}" height="${r2(Math.max(0, box.bottom - yt))}"/>`)
  }
  out.push('</g>')
  const line = (ysv: number[]) => grid.map((x, t) => `${r2(xs(x))},${r2(ys(ysv[t]!))}`).join(' ')
  for (let k = 0; k < K; k++) {
    out.push(`<polyline class="component-density" data-component="${k}" points="${line(comp[k]!)}" fill="none" stroke="${componentColor(k)}" stroke-width="2.2"/>`)
  }
  out.push(`<polyline class="mixture-density" points="${line(total)}" fill="none" stroke="${INK}" stroke-width="1.6" stroke-dasharray="5 3"/>`)
  for (let k = 0; k < K; k++) {
    const mu = means[k]![0]!
    const peak = weights[k]! * normalPdf(mu, mu, Math.max(1e-300, covariances[k]![0]![0]!))
    meanMarker(out, k, xs(mu), Math.max(box.top + 12, ys(peak) - 16))
  }
}

function tracePanel(out: string[], history: readonly number[] | null, box: Box): void {
  out.push(`<text x="${box.left}" y="${box.top - 10}" font-size="13" font-weight="600" fill="${INK}">Log-likelihood per EM iteration</text>`)
  const h = (history ?? []).filter((v) => Number.isFinite(v))
  if (!history || history.length === 0 || h.length === 0) {
    out.push(`<rect x="${box.left}" y="${box.top}" width="${box.right - box.left}" height="${box.bottom - box.top}" fill="none" stroke="${AXIS}"/>`)
    out.push(`<text x="${(box.left + box.right) / 2}" y="${(box.top + box.bottom) / 2}" text-anchor="middle" font-size="12" fill="${MUTED}">no iteration history</text>`)
    return
  }
  const T = history.length
  const xs = linear(0, Math.max(1, T - 1), box.left, box.right)
  const [lo, hi] = padRange(finiteRange(history), 0.08)
  const ys = linear(lo, hi, box.bottom, box.top)
  axes(out, box, xs, ys, { xTitle: 'iteration', yTitle: 'log-likelihood', xCount: 5, yCount: 4, integerX: true, yTitleX: box.left - 56 })
  const pts = history.map((v, t) => (Number.isFinite(v) ? `${r2(xs(t))},${r2(ys(v))}` : null)).filter((p): p is string => p !== null)
  const color = '#4e79a7'
  // A soft area under the curve, then the trace itself.
  if (pts.length > 1) {
    out.push(`<polygon points="${r2(xs(0))},${box.bottom} ${pts.join(' ')} ${r2(xs(T - 1))},${box.bottom}" fill="${color}" fill-opacity="0.08" stroke="none"/>`)
  }
  out.push(`<polyline class="trace" points="${pts.join(' ')}" fill="none" stroke="${color}" stroke-width="2" stroke-linejoin="round" stroke-linecap="round"/>`)
  if (T <= 80) {
    out.push(`<g fill="#ffffff" stroke="${color}" stroke-width="1.5">`)
    for (let t = 0; t < T; t++) if (Number.isFinite(history[t]!)) out.push(`<circle cx="${r2(xs(t))}" cy="${r2(ys(history[t]!))}" r="${T <= 30 ? 3 : 2}"/>`)
    out.push('</g>')
  }
  const last = history[T - 1]!
  if (Number.isFinite(last)) {
    const lx = xs(T - 1)
    const ly = ys(last)
    out.push(`<circle cx="${r2(lx)}" cy="${r2(ly)}" r="4.5" fill="${color}" stroke="#ffffff" stroke-width="1.5"/>`)
    // Below the end point when the curve arrives from below (the usual EM climb), else above.
    const prev = T > 1 ? history[T - 2]! : last
    const below = !(prev > last) && ly + 22 < box.bottom
    out.push(`<text x="${r2(lx - 6)}" y="${r2(below ? ly + 20 : ly - 10)}" text-anchor="end" font-size="12" font-weight="600" fill="${INK}">${esc(minus(Math.abs(last) < 1e6 ? last.toFixed(2) : formatNumber(last, 6)))}</text>`)
  }
}

function legend(out: string[], input: GmmSvgInput, box: Box, d: number, colName: (j: number) => string): void {
  const { weights, means } = input
  const K = weights.length
  const notes = input.notes ?? []
  const x = box.left
  // Text baselines sit 4px below a row's centre line (11-12px fonts).
  const base = (cy: number) => r2(cy + 4)
  let y = box.top
  out.push(`<text x="${x}" y="${y}" font-size="13" font-weight="600" fill="${INK}">Components</text>`)
  const meanHead = d >= 2 ? `mean (${colName(0)}, ${colName(1)})` : `mean ${colName(0)}`
  out.push(`<text x="${x + 104}" y="${y}" font-size="11" fill="${MUTED}">weight</text>`)
  out.push(`<text x="${x + 164}" y="${y}" font-size="11" fill="${MUTED}">${esc(meanHead.length > 34 ? 'mean' : meanHead)}</text>`)
  y += 8
  const reserved = 30 + notes.length * 17
  const room = box.bottom - y - reserved
  const rowH = Math.max(14, Math.min(23, room / Math.max(1, K)))
  const maxRows = Math.max(1, Math.floor(room / rowH))
  const rows = K <= maxRows ? K : maxRows - 1
  for (let k = 0; k < rows; k++) {
    const cy = y + rowH * (k + 0.5)
    const color = componentColor(k)
    const m = means[k]!
    const meanText = d >= 2 ? `(${formatNumber(m[0]!)}, ${formatNumber(m[1]!)})` : formatNumber(m[0]!)
    out.push(`<g class="legend-item" data-component="${k}">`)
    out.push(`<circle cx="${x + 9}" cy="${r2(cy)}" r="8.5" fill="${color}"/>`)
    out.push(`<text x="${x + 9}" y="${r2(cy + 3.5)}" text-anchor="middle" font-size="10" font-weight="700" fill="#ffffff">${k + 1}</text>`)
    out.push(`<text x="${x + 25}" y="${base(cy)}" font-size="12" fill="${INK}">comp. ${k + 1}</text>`)
    out.push(`<text x="${x + 104}" y="${base(cy)}" font-size="12" fill="${INK}">${esc(weights[k]!.toFixed(3))}</text>`)
    out.push(`<text x="${x + 164}" y="${base(cy)}" font-size="12" fill="${INK}">${esc(meanText)}</text>`)
    out.push('</g>')
  }
  if (rows < K) {
    out.push(`<text x="${x + 25}" y="${base(y + rowH * (rows + 0.5))}" font-size="12" fill="${MUTED}">+ ${K - rows} more</text>`)
  }
  // Key to the marks, right under the rows.
  const ky = y + rowH * (rows < K ? rows + 1 : rows) + 18
  const g = '#555'
  out.push(`<g class="legend-key" font-size="11" fill="${MUTED}">`)
  if (d >= 2) {
    out.push(`<line x1="${x}" y1="${r2(ky)}" x2="${x + 24}" y2="${r2(ky)}" stroke="${g}" stroke-width="2.2"/>`)
    out.push(`<text x="${x + 29}" y="${base(ky)}">1σ</text>`)
    out.push(`<line x1="${x + 52}" y1="${r2(ky)}" x2="${x + 76}" y2="${r2(ky)}" stroke="${g}" stroke-width="1.4" stroke-dasharray="6 4"/>`)
    out.push(`<text x="${x + 81}" y="${base(ky)}">2σ ellipse</text>`)
    out.push(`<circle cx="${x + 158}" cy="${r2(ky)}" r="6" fill="${g}" stroke="#ffffff" stroke-width="1.5"/>`)
    out.push(`<text x="${x + 169}" y="${base(ky)}">mean</text>`)
    out.push(`<circle cx="${x + 212}" cy="${r2(ky)}" r="3" fill="${g}" fill-opacity="0.55" stroke="${g}"/>`)
    out.push(`<text x="${x + 220}" y="${base(ky)}">point, by label</text>`)
  } else {
    out.push(`<rect x="${x}" y="${r2(ky - 5)}" width="18" height="10" fill="#cfd6df"/>`)
    out.push(`<text x="${x + 23}" y="${base(ky)}">data</text>`)
    out.push(`<line x1="${x + 58}" y1="${r2(ky)}" x2="${x + 82}" y2="${r2(ky)}" stroke="${g}" stroke-width="2.2"/>`)
    out.push(`<text x="${x + 87}" y="${base(ky)}">weighted component</text>`)
    out.push(`<line x1="${x + 200}" y1="${r2(ky)}" x2="${x + 224}" y2="${r2(ky)}" stroke="${INK}" stroke-width="1.6" stroke-dasharray="5 3"/>`)
    out.push(`<text x="${x + 229}" y="${base(ky)}">mixture</text>`)
  }
  out.push('</g>')
  if (notes.length > 0) {
    out.push(`<g class="notes" font-size="12" fill="${INK}">`)
    notes.forEach((line, t) => out.push(`<text x="${x}" y="${r2(ky + 30 + t * 17)}">${esc(line)}</text>`))
    out.push('</g>')
  }
}
