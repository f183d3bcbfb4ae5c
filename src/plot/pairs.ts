/**
 * A scatter matrix: every pair of the chosen columns (all by default), points coloured
 * by label, and, when a mixture is given, each component's 1- and 2-sigma ellipses in
 * every panel: the 2x2 block of its covariance for that pair, which is the exact
 * marginal covariance of those two columns. The diagonal names each column over its
 * histogram (with each component's weighted marginal density when a mixture is given).
 */
import { InputError, OptionError } from '../core/errors.js'
import {
  AXIS, INK, MUTED, PAD, axes, bars, checkInputObject, checkMixture, chooseColumns, clip, clipClose, clipOpen, close, componentColor, count, ellipses, esc,
  evenSubset, finiteRange, fitSize, header, histogram, linear, meanMarker, normalPdf, open, padRange, pointGroups, r2, sameWidthRows, sizeOption, textWidth,
  yLabelWidth, type Box, type Scale,
} from './kit.js'

export interface ScatterMatrixSvgInput {
  /** The data, n x d. */
  points: ArrayLike<ArrayLike<number>>
  /** Column names; default x1, x2, ... */
  columns?: readonly string[] | null
  /** Draw these columns only, in this order (0-based indices or names); default all. */
  select?: readonly (number | string)[] | null
  /** Colour of each point: a component label (e.g. `model.predict(points)`), or a class code with `labelNames`. */
  labels?: ArrayLike<number> | null
  /**
   * Names of the label values 0, 1, ...: the labels are then classes (e.g. a species
   * column), named in the legend, and the ellipses are drawn in ink and numbered, so the
   * two colourings are not confused.
   */
  labelNames?: readonly string[] | null
  /** The mixture, all three or none: K weights, K x d means, K x d x d covariances in full form (`fullCovariances`). */
  weights?: readonly number[] | null
  means?: readonly (readonly number[])[] | null
  covariances?: readonly (readonly (readonly number[])[])[] | null
  title?: string
  subtitle?: string
  /** Pixel width (default: about 200 px per column, 480 to 960); the height follows. */
  width?: number
  /** At most this many points per panel (an evenly spaced subset beyond it; default 20,000 / panels, 200 to 3,000). */
  maxPoints?: number
}

interface Mixture { K: number; weights: readonly number[]; means: readonly (readonly number[])[]; covariances: readonly (readonly (readonly number[])[])[] }

function mixtureOf(input: ScatterMatrixSvgInput, d: number): Mixture | null {
  const { weights, means, covariances } = input
  const given = [weights, means, covariances].filter((v) => v !== undefined && v !== null).length
  if (given === 0) return null
  if (given !== 3) throw new InputError('INVALID_DATA', 'scatterMatrixSvg: give weights, means and covariances together (the ellipses need all three), or none of them.')
  const { K, d: dm } = checkMixture('scatterMatrixSvg', weights!, means!, covariances!)
  if (dm !== d) throw new InputError('SHAPE_MISMATCH', `scatterMatrixSvg: the means have ${dm} columns but the points have ${d}; give the mixture fitted to these columns.`)
  return { K, weights: weights!, means: means!, covariances: covariances! }
}

/** Render the scatter matrix as an SVG document (a string). */
export function scatterMatrixSvg(input: ScatterMatrixSvgInput): string {
  checkInputObject('scatterMatrixSvg', input, '{ points, ... }')
  const { rows: points, d } = sameWidthRows('scatterMatrixSvg', 'points', input.points, 'row')
  const n = points.length
  const names = input.columns ?? null
  if (names && names.length !== d) throw new InputError('SHAPE_MISMATCH', `scatterMatrixSvg: ${names.length} column names for ${d} columns; give one name per column.`)
  const cols = chooseColumns('scatterMatrixSvg', d, names, input.select)
  const labels = input.labels ?? null
  if (labels && labels.length !== n) throw new InputError('SHAPE_MISMATCH', `scatterMatrixSvg: ${labels.length} labels for ${n} points; give one label per point.`)
  const labelNames = input.labelNames ?? null
  if (labelNames && !Array.isArray(labelNames)) throw new OptionError('labelNames', `scatterMatrixSvg: give an array of names for the label values 0, 1, ..., got ${typeof labelNames}.`)
  const mix = mixtureOf(input, d)
  const colName = (j: number) => (names && names[j]) || `x${j + 1}`

  const m = cols.length
  const W = sizeOption('scatterMatrixSvg', 'width', input.width, Math.min(960, Math.max(480, 90 + 200 * m)), 240)
  const panels = Math.max(1, m * (m - 1))
  const maxPoints = sizeOption('scatterMatrixSvg', 'maxPoints', input.maxPoints, Math.min(3000, Math.max(200, Math.floor(20000 / panels))), 1)
  const shown = evenSubset(n, maxPoints)

  // Per-column ranges: every point (not only those drawn) and the means.
  const scales: [number, number][] = cols.map((j) => {
    const vals = points.map((row) => row[j]!)
    if (mix) for (let k = 0; k < mix.K; k++) vals.push(mix.means[k]![j]!)
    return padRange(finiteRange(vals), 0.06)
  })
  const fs = m > 5 ? 9 : 10
  const left = 18 + Math.max(...scales.map(([lo, hi]) => yLabelWidth(lo, hi, 3, fs)))
  const gap = m > 6 ? 3 : 6
  const cell = Math.max(30, (W - left - 14 - gap * (m - 1)) / m)
  const title = input.title ?? (mix ? `Scatter matrix, ${mix.K}-component mixture` : 'Scatter matrix')
  const what = labelNames ? `coloured by ${labelNames.length} classes` : labels ? 'coloured by component' : ''
  const subtitle = input.subtitle ?? [count(n, 'point'), m < d ? `${m} of ${count(d, 'column')}` : count(d, 'column'), what, shown.length < n ? `${shown.length.toLocaleString('en-US')} drawn per panel` : '']
    .filter(Boolean).join(' \u00b7 ')
  const head = header(W, title, subtitle)
  const top = 92 + head.extra
  const gridBottom = top + m * cell + gap * (m - 1)
  const legendRows = legendLayout(mix, labelNames, labels, W)
  const H = gridBottom + 34 + legendRows.height

  const out: string[] = []
  open(out, W, H, head)
  if (mix && m > 2) {
    const text = 'ellipses: 1σ and 2σ of each component\u2019s marginal covariance for the pair'
    const f = fitSize(text, W - 2 * PAD, 11, 9)
    out.push(`<text class="caption" x="${PAD}" y="${76 + head.extra}" font-size="${f}" fill="${MUTED}">${esc(clip(text, W - 2 * PAD, f))}</text>`)
  }

  const xsOf = (c: number, box: Box) => linear(scales[c]![0], scales[c]![1], box.left, box.right)
  const ysOf = (r: number, box: Box) => linear(scales[r]![0], scales[r]![1], box.bottom, box.top)
  const ink = labelNames !== null
  const radius = Math.max(1.2, Math.min(2.6, cell / 70)) * (shown.length > 1500 ? 0.8 : 1)
  for (let r = 0; r < m; r++) {
    for (let c = 0; c < m; c++) {
      const box: Box = { left: left + c * (cell + gap), top: top + r * (cell + gap), right: left + c * (cell + gap) + cell, bottom: top + r * (cell + gap) + cell }
      const xs = xsOf(c, box)
      const ys = ysOf(r, box)
      out.push(`<g class="cell${r === c ? ' diagonal' : ''}" data-row="${r}" data-col="${c}">`)
      if (r === c) {
        diagonal(out, points, cols[c]!, colName(cols[c]!), scales[c]!, box, xs, mix, fs, ink)
        // The row's y labels still belong to this column's values (read across the row).
        axes(out, box, xs, ys, { grid: false, xLabels: r === m - 1, yLabels: c === 0, xCount: 3, yCount: 3, fontSize: fs })
      } else {
        axes(out, box, xs, ys, { xLabels: r === m - 1, yLabels: c === 0, xCount: 3, yCount: 3, fontSize: fs })
        clipOpen(out, box)
        pointGroups(out, points, labels, shown, xs, ys, cols[c]!, cols[r]!, radius)
        if (mix) pairEllipses(out, mix, cols[c]!, cols[r]!, xs, ys, ink, cell)
        clipClose(out)
        if (mix) for (let k = 0; k < mix.K; k++) {
          const x = xs(mix.means[k]![cols[c]!]!)
          const y = ys(mix.means[k]![cols[r]!]!)
          if (x >= box.left && x <= box.right && y >= box.top && y <= box.bottom) meanMarker(out, k, x, y, Math.max(4, Math.min(7, cell / 28)), ink ? INK : componentColor(k))
        }
      }
      out.push('</g>')
    }
  }
  legend(out, legendRows, gridBottom + 30)
  return close(out)
}

function pairEllipses(out: string[], mix: Mixture, a: number, b: number, xs: Scale, ys: Scale, ink: boolean, cell: number): void {
  for (let k = 0; k < mix.K; k++) {
    const S = mix.covariances[k]!
    ellipses(out, k, mix.means[k]![a]!, mix.means[k]![b]!, S[a]![a]!, S[a]![b]!, S[b]![b]!, xs, ys, ink ? INK : componentColor(k), Math.max(0.5, Math.min(1, cell / 200)))
  }
}

/** The diagonal: the column's histogram (of every point, not only those drawn), its weighted component densities, and its name. */
function diagonal(out: string[], points: readonly ArrayLike<number>[], j: number, name: string, [lo, hi]: [number, number], box: Box, xs: Scale, mix: Mixture | null, fs: number, ink: boolean): void {
  const vals = points.map((row) => row[j]!)
  const bins = Math.max(6, Math.min(30, Math.round(Math.sqrt(vals.length))))
  const counts = histogram(vals, lo, hi, bins)
  const bw = (hi - lo) / bins
  const n = vals.filter(Number.isFinite).length
  const grid = Array.from({ length: 81 }, (_, t) => lo + ((hi - lo) * t) / 80)
  const dens = mix
    ? Array.from({ length: mix.K }, (_, k) => grid.map((x) => n * bw * mix.weights[k]! * normalPdf(x, mix.means[k]![j]!, Math.max(1e-300, mix.covariances[k]![j]![j]!))))
    : []
  const top = Math.max(1, ...counts, ...dens.flat().filter(Number.isFinite)) * 1.25
  const ys = linear(0, top, box.bottom, box.top)
  bars(out, counts, lo, hi, xs, ys, 'fill="#d5dbe3" stroke="#ffffff" stroke-width="0.6"')
  clipOpen(out, box)
  dens.forEach((line, k) => {
    out.push(`<polyline class="component-density" data-component="${k}" points="${grid.map((x, t) => `${r2(xs(x))},${r2(ys(line[t]!))}`).join(' ')}" fill="none" stroke="${ink ? INK : componentColor(k)}" stroke-width="1.4"/>`)
  })
  clipClose(out)
  const size = fitSize(name, box.right - box.left - 10, fs + 2, 8, true)
  out.push(`<text class="column-name" x="${r2(box.left + 5)}" y="${r2(box.top + 5 + size)}" font-size="${size}" font-weight="600" fill="${INK}" stroke="#ffffff" stroke-width="3" stroke-linejoin="round" paint-order="stroke">${esc(clip(name, box.right - box.left - 10, size, true))}</text>`)
}

interface LegendItem { color: string; text: string; ring: boolean }
interface LegendLayout { items: LegendItem[]; perRow: number; itemW: number; height: number; left: number }

function legendLayout(mix: Mixture | null, labelNames: readonly string[] | null, labels: ArrayLike<number> | null, W: number): LegendLayout {
  const items: LegendItem[] = []
  if (labelNames) labelNames.forEach((name, c) => items.push({ color: componentColor(c), text: String(name), ring: false }))
  else if (labels && mix) for (let k = 0; k < mix.K; k++) items.push({ color: componentColor(k), text: `comp. ${k + 1} (${mix.weights[k]!.toFixed(2)})`, ring: false })
  else if (labels) {
    let K = 0
    for (let i = 0; i < labels.length; i++) if (Number.isInteger(labels[i]) && labels[i]! >= K) K = labels[i]! + 1
    for (let k = 0; k < Math.min(K, 20); k++) items.push({ color: componentColor(k), text: `label ${k}`, ring: false })
  }
  if (mix && labelNames) items.push({ color: INK, text: 'numbered: component means and ellipses', ring: true })
  const itemW = Math.min(W - 2 * PAD, 30 + Math.max(0, ...items.map((it) => textWidth(it.text, 12))))
  const perRow = Math.max(1, Math.floor((W - 2 * PAD + 14) / (itemW + 14)))
  const height = items.length === 0 ? 0 : 20 * Math.ceil(items.length / perRow)
  return { items, perRow, itemW, height, left: PAD }
}

function legend(out: string[], L: LegendLayout, top: number): void {
  if (L.items.length === 0) return
  out.push(`<g class="legend" font-size="12" fill="${INK}">`)
  L.items.forEach((it, i) => {
    const x = L.left + (i % L.perRow) * (L.itemW + 14)
    const y = top + Math.floor(i / L.perRow) * 20
    out.push('<g class="legend-item">')
    out.push(it.ring
      ? `<circle cx="${r2(x + 7)}" cy="${r2(y)}" r="6" fill="none" stroke="${AXIS}" stroke-width="1.5"/>`
      : `<circle cx="${r2(x + 7)}" cy="${r2(y)}" r="6" fill="${it.color}"/>`)
    out.push(`<text x="${r2(x + 19)}" y="${r2(y + 4)}">${esc(clip(it.text, L.itemW - 19, 12))}</text>`)
    out.push('</g>')
  })
  out.push('</g>')
}
