/**
 * Model-selection curves, mclust-style: the BIC (and the ICL, in a second panel, when
 * given) against the number of components, one line and marker shape per model family
 * (covariance type), the chosen model ringed, and a legend. Takes plain rows (e.g. from
 * a loop over K and covariance types, or selectModel's table), not estimators.
 */
import { InputError, OptionError } from '../core/errors.js'
import {
  INK, MUTED, PAD, SHAPES, axes, clip, close, componentColor, esc, finiteRange, formatNumber, header, linear, marker, open, padRange, r2,
  sizeOption, textWidth, yLabelWidth, type Box, type Scale,
} from './kit.js'

export interface CriterionRow {
  /** Number of components (the x axis). */
  k: number
  /** The curve this row belongs to: a covariance type ('full', 'diag', ...) or any model name. */
  model: string
  /** The BIC of that fit; null (or NaN) where the fit failed or was skipped: the curve breaks there. */
  bic: number | null
  /** The ICL of that fit, when known: a second panel is drawn when any row has one. */
  icl?: number | null
}

export interface BicSvgInput {
  rows: readonly CriterionRow[]
  /** The chosen model, ringed in every panel; default: the best BIC. */
  chosen?: { k: number; model: string } | null
  /**
   * Which values are better: 'lower' (default: emkit's and scikit-learn's sign,
   * -2 logLik + p log n) or 'higher' (mclust's sign).
   */
  better?: 'lower' | 'higher'
  title?: string
  subtitle?: string
  /** The K axis's title (default 'number of components K'; an HMM's: 'number of states K'). */
  xTitle?: string
  /** Pixel size (default 780 x 480 with one panel, 1040 x 480 with two). */
  width?: number
  height?: number
}

type Criterion = 'bic' | 'icl'

interface Series { model: string; index: number; points: Map<number, { bic: number; icl: number }> }

function checkRows(rows: readonly CriterionRow[]): Series[] {
  if (!Array.isArray(rows) || rows.length === 0) {
    throw new InputError('EMPTY_DATA', `bicSvg: rows must be a non-empty array of { k, model, bic, icl? }, got ${Array.isArray(rows) ? 'an empty array' : rows === null ? 'null' : typeof rows}.`)
  }
  const series = new Map<string, Series>()
  rows.forEach((row, i) => {
    if (row === null || typeof row !== 'object') throw new InputError('INVALID_DATA', `bicSvg: row ${i} is ${row === null ? 'null' : typeof row}; give { k, model, bic, icl? }.`, { row: i })
    const { k, model } = row
    if (typeof k !== 'number' || !Number.isInteger(k) || k < 1) throw new InputError('INVALID_DATA', `bicSvg: row ${i} has k = ${typeof k === 'string' ? JSON.stringify(k) : String(k)}; k is the number of components, a whole number of at least 1.`, { row: i })
    if (typeof model !== 'string' || model === '') throw new InputError('INVALID_DATA', `bicSvg: row ${i} has model = ${JSON.stringify(model)}; give the curve's name, e.g. the covariance type 'full'.`, { row: i })
    const num = (v: unknown, name: string) => {
      if (v === null || v === undefined) return Number.NaN
      if (typeof v !== 'number') throw new InputError('INVALID_DATA', `bicSvg: row ${i} has ${name} = ${JSON.stringify(v)}; give a number, or null where the fit failed.`, { row: i })
      return v
    }
    let s = series.get(model)
    if (!s) series.set(model, (s = { model, index: series.size, points: new Map() }))
    if (s.points.has(k)) throw new InputError('INVALID_DATA', `bicSvg: two rows for model ${JSON.stringify(model)} at k = ${k}; give one row per (model, k).`, { row: i })
    s.points.set(k, { bic: num(row.bic, 'bic'), icl: num(row.icl, 'icl') })
  })
  return [...series.values()]
}

/** The best (model, k) by one criterion, or null when no value is finite. */
function best(series: readonly Series[], c: Criterion, sign: number): { model: string; k: number } | null {
  let out: { model: string; k: number; v: number } | null = null
  for (const s of series) {
    for (const [k, p] of s.points) {
      const v = p[c] * sign
      if (Number.isFinite(v) && (out === null || v < out.v)) out = { model: s.model, k, v }
    }
  }
  return out && { model: out.model, k: out.k }
}

/** Render the criterion curves as an SVG document (a string). */
export function bicSvg(input: BicSvgInput): string {
  const series = checkRows(input?.rows)
  const better = input.better ?? 'lower'
  if (better !== 'lower' && better !== 'higher') throw new OptionError('better', `bicSvg: must be 'lower' or 'higher', got ${JSON.stringify(better)}.`)
  const sign = better === 'lower' ? 1 : -1
  const hasIcl = series.some((s) => [...s.points.values()].some((p) => Number.isFinite(p.icl)))
  const criteria: Criterion[] = hasIcl ? ['bic', 'icl'] : ['bic']
  let chosen = input.chosen ?? best(series, 'bic', sign)
  if (chosen) {
    const s = series.find((x) => x.model === chosen!.model)
    if (!s || !s.points.has(chosen.k)) {
      throw new OptionError('chosen', `bicSvg: no row for model ${JSON.stringify(chosen.model)} at k = ${chosen.k}; the rows have models ${series.map((x) => JSON.stringify(x.model)).join(', ')}.`)
    }
    if (!Number.isFinite(s.points.get(chosen.k)!.bic)) chosen = null
  }

  const W = sizeOption('bicSvg', 'width', input.width, hasIcl ? 1040 : 780, 320)
  const H = sizeOption('bicSvg', 'height', input.height, 480, 300)
  const ks = [...new Set(series.flatMap((s) => [...s.points.keys()]))].sort((a, b) => a - b)
  const title = input.title ?? (hasIcl ? 'BIC and ICL by number of components' : 'BIC by number of components')
  const pick = chosen ? `chosen: ${chosen.model}, K = ${chosen.k}` : 'no model could be fitted'
  const subtitle = input.subtitle ?? `${series.length} model${series.length === 1 ? '' : 's'} \u00d7 ${ks.length} value${ks.length === 1 ? '' : 's'} of K \u00b7 ${pick} \u00b7 ${better} is better`
  const out: string[] = []
  const head = header(W, title, subtitle)
  open(out, W, H, head)

  // The legend goes right of the panels when there is room, else in rows beneath them.
  const names = series.map((s) => s.model)
  const legendW = 44 + Math.max(textWidth('chosen', 12), ...names.map((m) => textWidth(m, 12)))
  const side = W - legendW >= 300 * criteria.length
  const perRow = side ? 1 : Math.max(1, Math.floor((W - 2 * PAD) / (legendW + 12)))
  const legendH = side ? 0 : 22 * Math.ceil((names.length + 1) / perRow) + 8
  const area: Box = { left: PAD, top: 84 + head.extra, right: side ? W - legendW - 12 : W - PAD, bottom: H - 16 - legendH }
  const stacked = !side && criteria.length > 1 && W < 560
  const panels = panelBoxes(area, criteria.length, stacked)

  criteria.forEach((c, p) => {
    const values = series.flatMap((s) => [...s.points.values()].map((v) => v[c]))
    const [lo, hi] = padRange(finiteRange(values), 0.06)
    const labelW = yLabelWidth(lo, hi, 5)
    const box: Box = { left: panels[p]!.left + 30 + labelW, top: panels[p]!.top + 22, right: panels[p]!.right - 8, bottom: panels[p]!.bottom - 46 }
    const xs = linear(ks[0]! - 0.5, ks[ks.length - 1]! + 0.5, box.left, box.right)
    const ys = linear(lo, hi, box.bottom, box.top)
    const xTicks = ks.length <= Math.max(2, (box.right - box.left) / 28) ? { ticks: ks, step: 1 } : undefined
    const name = c.toUpperCase()
    out.push(`<g class="panel criterion-panel" data-criterion="${c}">`)
    const head = `${name} (${better} is better)`
    out.push(`<text x="${box.left}" y="${box.top - 8}" font-size="13" font-weight="600" fill="${INK}">${esc(clip(head, box.right - box.left, 13, true))}</text>`)
    axes(out, box, xs, ys, { xTitle: input.xTitle ?? 'number of components K', yTitle: name, yCount: 5, integerX: true, ...(xTicks ? { xTicks } : {}) })
    for (const s of series) curve(out, s, c, xs, ys)
    const ring = c === 'bic' ? chosen : chosen ?? best(series, c, sign)
    if (ring) {
      const v = series.find((s) => s.model === ring.model)!.points.get(ring.k)![c]
      if (Number.isFinite(v)) chosenMark(out, xs(ring.k), ys(v), `${ring.model}, K = ${ring.k}: ${formatNumber(v, 6)}`, box)
    }
    out.push('</g>')
  })

  legend(out, series, side ? { left: W - legendW - 4, top: area.top + 30, right: W - 8, bottom: area.bottom } : { left: PAD, top: H - legendH + 6, right: W - PAD, bottom: H - 4 }, perRow, legendW)
  return close(out)
}

function panelBoxes(area: Box, count: number, stacked: boolean): Box[] {
  if (count === 1) return [area]
  if (stacked) {
    const h = (area.bottom - area.top) / 2
    return [{ ...area, bottom: area.top + h }, { ...area, top: area.top + h }]
  }
  const w = (area.right - area.left) / 2
  return [{ ...area, right: area.left + w }, { ...area, left: area.left + w + 8 }]
}

function curve(out: string[], s: Series, c: Criterion, xs: Scale, ys: Scale): void {
  const color = componentColor(s.index)
  const shape = SHAPES[s.index % SHAPES.length]!
  const ks = [...s.points.keys()].sort((a, b) => a - b)
  // A missing value (failed or skipped fit) breaks the line rather than bridging it.
  const runs: string[][] = [[]]
  for (const k of ks) {
    const v = s.points.get(k)![c]
    if (Number.isFinite(v)) runs[runs.length - 1]!.push(`${r2(xs(k))},${r2(ys(v))}`)
    else if (runs[runs.length - 1]!.length > 0) runs.push([])
  }
  out.push(`<g class="series" data-model="${esc(s.model)}">`)
  for (const run of runs) if (run.length > 1) out.push(`<polyline points="${run.join(' ')}" fill="none" stroke="${color}" stroke-width="1.8" stroke-linejoin="round"/>`)
  for (const k of ks) {
    const v = s.points.get(k)![c]
    if (Number.isFinite(v)) out.push(marker(shape, xs(k), ys(v), 8, `class="marker" data-k="${k}" fill="${color}" stroke="#ffffff" stroke-width="1"`))
  }
  out.push('</g>')
}

/** A ring around the chosen point and its value, placed inside the panel. */
function chosenMark(out: string[], x: number, y: number, text: string, box: Box): void {
  out.push(`<g class="chosen">`)
  out.push(`<circle cx="${r2(x)}" cy="${r2(y)}" r="9" fill="none" stroke="${INK}" stroke-width="1.8"/>`)
  const w = textWidth(text, 11)
  const right = x + 14 + w <= box.right - 4
  const x0 = right ? x + 14 : Math.max(box.left + 4, x - 14 - w)
  const below = y + 22 < box.bottom
  const ty = below ? y + 20 : y - 14
  // On a light card: curves may pass right under the label.
  out.push(`<rect x="${r2(x0 - 3)}" y="${r2(ty - 11)}" width="${r2(w + 6)}" height="15" rx="3" fill="#ffffff" fill-opacity="0.9"/>`)
  out.push(`<text x="${r2(x0)}" y="${r2(ty)}" font-size="11" fill="${INK}">${esc(text)}</text>`)
  out.push('</g>')
}

function legend(out: string[], series: readonly Series[], box: Box, perRow: number, itemW: number): void {
  out.push(`<g class="legend" font-size="12" fill="${INK}">`)
  const items = series.length + 1
  for (let i = 0; i < items; i++) {
    const col = i % perRow
    const row = Math.floor(i / perRow)
    const x = box.left + col * (itemW + 12)
    const y = box.top + row * 22
    if (i < series.length) {
      const s = series[i]!
      const color = componentColor(s.index)
      out.push(`<g class="legend-item" data-model="${esc(s.model)}">`)
      out.push(`<line x1="${r2(x)}" y1="${r2(y)}" x2="${r2(x + 28)}" y2="${r2(y)}" stroke="${color}" stroke-width="1.8"/>`)
      out.push(marker(SHAPES[s.index % SHAPES.length]!, x + 14, y, 8, `fill="${color}" stroke="#ffffff" stroke-width="1"`))
      out.push(`<text x="${r2(x + 36)}" y="${r2(y + 4)}">${esc(clip(s.model, itemW - 36, 12))}</text>`)
      out.push('</g>')
    } else {
      out.push(`<circle cx="${r2(x + 14)}" cy="${r2(y)}" r="7" fill="none" stroke="${INK}" stroke-width="1.8"/>`)
      out.push(`<text x="${r2(x + 36)}" y="${r2(y + 4)}" fill="${MUTED}">chosen</text>`)
    }
  }
  out.push('</g>')
}
