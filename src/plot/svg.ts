/**
 * A picture of one fitted Gaussian mixture, as an SVG string.
 *
 * Left panel: a scatter of the first two columns coloured by component label, each
 * component's 1- and 2-sigma ellipses (of the 2x2 block of its covariance, i.e. the
 * exact marginal of the first two columns) drawn above the points, and its mean. With
 * one column the panel is a density histogram with each weighted component density and
 * the mixture density. Right panel: the log-likelihood per EM iteration, and a legend.
 * For all column pairs at once, see scatterMatrixSvg.
 */
import { InputError } from '../core/errors.js'
import {
  AXIS, INK, MUTED, axes, bars, checkInputObject, clip, clipClose, clipOpen, close, componentColor, count, ellipses, esc, evenSubset, finiteRange, fitSize,
  checkMixture, formatNumber, grouped, header, histogram, linear, meanMarker, normalPdf, open, PAD, padRange, pointGroups, r2, sizeOption, textWidth, wrap, type Box,
} from './kit.js'

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
  /** Extra lines of text under the legend (e.g. "log-likelihood −1130.3 · BIC 2322.2"); long lines wrap at " · ". */
  notes?: readonly string[]
  /** Pixel size of the whole picture (default 1000 x 560; below 640 px wide the panels stack and the height follows). */
  width?: number
  height?: number
  /** At most this many points are drawn (an evenly spaced subset beyond it; default 5000). */
  maxPoints?: number
}

/** Render the mixture and its fit history as an SVG document (a string). */
export function gmmSvg(input: GmmSvgInput): string {
  checkInputObject('gmmSvg', input, '{ points, weights, means, covariances, ... }')
  const { points, weights, means, covariances } = input
  const { K, d } = checkMixture('gmmSvg', weights, means, covariances)
  const n = points?.length ?? 0
  for (let i = 0; i < n; i++) {
    if (!points[i] || points[i]!.length < Math.min(d, 2)) {
      throw new InputError('SHAPE_MISMATCH', `gmmSvg: point ${i} has ${points[i]?.length ?? 0} values; expected ${d}.`, { row: i })
    }
  }
  const labels = input.labels ?? null
  if (labels && labels.length !== n) {
    throw new InputError('SHAPE_MISMATCH', `gmmSvg: ${labels.length} labels for ${n} points; give one label per point.`)
  }

  const W = sizeOption('gmmSvg', 'width', input.width, 1000, 320)
  const columns = input.columns ?? null
  const colName = (j: number) => (columns && columns[j]) || `x${j + 1}`
  const out: string[] = []
  const title = input.title ?? `Gaussian mixture, K = ${K}`
  const subtitle = input.subtitle ?? `${count(n, 'point')}, ${count(d, 'column')}, ${count(K, 'component')}`
  const head = header(W, title, subtitle)
  const top = 92 + head.extra
  const { left, traceBox, legendBox, H } = layout(W, input.height, top, K, (input.notes ?? []).length)
  open(out, W, H, head)

  const shown = evenSubset(n, sizeOption('gmmSvg', 'maxPoints', input.maxPoints, 5000, 1))

  out.push('<g class="panel data-panel">')
  if (d >= 2) scatterPanel(out, input, left, shown, colName)
  else densityPanel(out, input, left, colName)
  // One caption line above the panel, fitted to its width (two captions side by side ran into each other).
  const captions: string[] = []
  if (d > 2) captions.push(`first two of ${d} columns; ellipses of the marginal covariance`)
  if (shown.length < n) captions.push(`showing ${shown.length.toLocaleString('en-US')} of ${n.toLocaleString('en-US')} points`)
  if (captions.length > 0) {
    const text = captions.join(' \u00b7 ')
    const fs = fitSize(text, left.right - left.left, 11, 9)
    out.push(`<text class="caption" x="${left.left}" y="${left.top - 8}" font-size="${fs}" fill="${MUTED}">${esc(clip(text, left.right - left.left, fs))}</text>`)
  }
  out.push('</g>')

  out.push('<g class="panel trace-panel">')
  tracePanel(out, input.history ?? null, traceBox)
  out.push('</g>')

  out.push('<g class="legend">')
  legend(out, input, legendBox, d, colName)
  out.push('</g>')
  return close(out)
}

/**
 * Where the panels go: side by side from 640 px (data left; trace and legend right),
 * stacked below (data, trace, legend; the height follows unless given).
 */
function layout(W: number, height: number | undefined, top: number, K: number, notes: number): { left: Box; traceBox: Box; legendBox: Box; H: number } {
  if (W >= 640) {
    const H = sizeOption('gmmSvg', 'height', height, 560, 400)
    const split = Math.round(W * 0.6)
    const traceBox: Box = { left: split + 84, top, right: W - 28, bottom: top + Math.round((H - top - 74) * 0.5) }
    return {
      left: { left: 84, top, right: split - 16, bottom: H - 74 },
      traceBox,
      legendBox: { left: split + 30, top: traceBox.bottom + 66, right: W - 16, bottom: H - 12 },
      H,
    }
  }
  const left: Box = { left: 72, top, right: W - 16, bottom: top + Math.min(W - 88, 420) }
  const traceBox: Box = { left: 84, top: left.bottom + 96, right: W - 24, bottom: left.bottom + 96 + 150 }
  // Room for every legend row (up to 12), the key and about two wrapped lines per note.
  const legendTop = traceBox.bottom + 66
  const H = sizeOption('gmmSvg', 'height', height, legendTop + 8 + 23 * Math.min(K, 12) + 48 + notes * 2 * 16 + 12, 400)
  return { left, traceBox, legendBox: { left: PAD, top: legendTop, right: W - 12, bottom: H - 12 }, H }
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
  axes(out, box, xs, ys, { xTitle: colName(0), yTitle: colName(1) })
  clipOpen(out, box)
  pointGroups(out, points, labels, shown, xs, ys, 0, 1, shown.length > 2000 ? 1.8 : 2.6)
  // Ellipses above the points (they were hidden under dense clouds).
  for (let k = 0; k < K; k++) {
    const S = covariances[k]!
    ellipses(out, k, means[k]![0]!, means[k]![1]!, S[0]![0]!, S[0]![1]!, S[1]![1]!, xs, ys, componentColor(k))
  }
  clipClose(out)
  // Means on top (outside the clip so a marker at the edge stays whole).
  for (let k = 0; k < K; k++) meanMarker(out, k, xs(means[k]![0]!), ys(means[k]![1]!))
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
  const [v0, v1raw] = finiteRange(vals)
  const v1 = v1raw > v0 ? v1raw : v0 + 1
  const nb = Math.min(60, Math.max(8, Math.ceil(Math.sqrt(Math.max(1, n)))))
  const bw = (v1 - v0) / nb
  const dens = histogram(vals, v0, v1, nb).map((c) => (n > 0 ? c / (n * bw) : 0))
  const grid = Array.from({ length: 241 }, (_, t) => x0 + ((x1 - x0) * t) / 240)
  const comp = Array.from({ length: K }, (_, k) => grid.map((x) => weights[k]! * normalPdf(x, means[k]![0]!, Math.max(1e-300, covariances[k]![0]![0]!))))
  const total = grid.map((_, t) => comp.reduce((s, c) => s + c[t]!, 0))
  const ymax = Math.max(...dens, ...total.filter(Number.isFinite)) * 1.08 || 1
  const xs = linear(x0, x1, box.left, box.right)
  const ys = linear(0, ymax, box.bottom, box.top)
  axes(out, box, xs, ys, { xTitle: colName(0), yTitle: 'density' })
  bars(out, dens, v0, v1, xs, ys, 'fill="#cfd6df" stroke="#ffffff" stroke-width="0.8"')
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

/** The final value of a trace, with enough digits to be read but no exponent below 1e12. */
function finalValue(v: number): string {
  return Math.abs(v) < 1e12 ? grouped(v, 2) : formatNumber(v, 8)
}

function tracePanel(out: string[], history: readonly number[] | null, box: Box): void {
  out.push(`<text x="${box.left}" y="${box.top - 22}" font-size="13" font-weight="600" fill="${INK}">Log-likelihood per EM iteration</text>`)
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
    // Below the end point when the curve arrives from below (the usual EM climb) and
    // there is room, else above; a white halo keeps it readable across the curve.
    const prev = T > 1 ? history[T - 2]! : last
    const below = (!(prev > last) || ly - 24 < box.top) && ly + 24 < box.bottom
    const text = finalValue(last)
    const x = Math.max(box.left + textWidth(text, 12, true) + 4, lx - 8)
    out.push(`<text class="final" x="${r2(x)}" y="${r2(below ? ly + 20 : ly - 11)}" text-anchor="end" font-size="12" font-weight="600" fill="${INK}" stroke="#ffffff" stroke-width="3" stroke-linejoin="round" paint-order="stroke">${esc(text)}</text>`)
  }
}

function legend(out: string[], input: GmmSvgInput, box: Box, d: number, colName: (j: number) => string): void {
  const { weights, means } = input
  const K = weights.length
  const x = box.left
  const width = box.right - box.left
  // Notes wrap to the legend's width (a long line ran off the right edge).
  const notes = (input.notes ?? []).flatMap((line) => wrap(String(line), width, 12))
  // Text baselines sit 4px below a row's centre line (11-12px fonts).
  const base = (cy: number) => r2(cy + 4)
  let y = box.top
  out.push(`<text x="${x}" y="${y}" font-size="13" font-weight="600" fill="${INK}">Components</text>`)
  const meanHead = d >= 2 ? `mean (${colName(0)}, ${colName(1)})` : `mean ${colName(0)}`
  out.push(`<text x="${x + 104}" y="${y}" font-size="11" fill="${MUTED}">weight</text>`)
  out.push(`<text x="${x + 164}" y="${y}" font-size="11" fill="${MUTED}">${esc(clip(meanHead, width - 164, 11))}</text>`)
  y += 8
  const reserved = 30 + notes.length * 16
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
    out.push(`<text x="${x + 164}" y="${base(cy)}" font-size="12" fill="${INK}">${esc(clip(meanText, width - 164, 12))}</text>`)
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
    out.push(`<circle cx="${x + 212}" cy="${r2(ky)}" r="3" fill="${g}" fill-opacity="0.55"/>`)
    out.push(`<text x="${x + 220}" y="${base(ky)}">${esc(clip('point, by label', width - 220, 11))}</text>`)
  } else {
    out.push(`<rect x="${x}" y="${r2(ky - 5)}" width="18" height="10" fill="#cfd6df"/>`)
    out.push(`<text x="${x + 23}" y="${base(ky)}">data</text>`)
    out.push(`<line x1="${x + 58}" y1="${r2(ky)}" x2="${x + 82}" y2="${r2(ky)}" stroke="${g}" stroke-width="2.2"/>`)
    out.push(`<text x="${x + 87}" y="${base(ky)}">weighted component</text>`)
    out.push(`<line x1="${x + 200}" y1="${r2(ky)}" x2="${x + 224}" y2="${r2(ky)}" stroke="${INK}" stroke-width="1.6" stroke-dasharray="5 3"/>`)
    out.push(`<text x="${x + 229}" y="${base(ky)}">${esc(clip('mixture', width - 229, 11))}</text>`)
  }
  out.push('</g>')
  if (notes.length > 0) {
    out.push(`<g class="notes" font-size="12" fill="${INK}">`)
    notes.forEach((line, t) => out.push(`<text x="${x}" y="${r2(ky + 28 + t * 16)}">${esc(line)}</text>`))
    out.push('</g>')
  }
}
