/** Scales from data to pixels, data ranges, and the axes of a panel (grid, frame, ticks, titles). */
import { AXIS, GRID, INK, MUTED } from './style.js'
import { clip, esc, r2, textWidth } from './text.js'
import { integerStep, niceTicks, tickTexts } from './ticks.js'

export interface Scale {
  (v: number): number
  lo: number
  hi: number
  /** Pixels per data unit (negative for a y axis pointing up). */
  k: number
}

export function linear(d0: number, d1: number, r0: number, r1: number): Scale {
  const k = d1 === d0 ? 0 : (r1 - r0) / (d1 - d0)
  const f = ((v: number) => r0 + (v - d0) * k) as Scale
  f.lo = d0
  f.hi = d1
  f.k = k
  return f
}

export interface Box { left: number; top: number; right: number; bottom: number }

export interface AxesOptions {
  xTitle?: string
  yTitle?: string
  xCount?: number
  yCount?: number
  /** Whole-number x ticks only (iterations, K). */
  integerX?: boolean
  /** These x ticks (with their step, for the labels) instead of computed ones. */
  xTicks?: { ticks: number[]; step: number }
  /** Where the centre of the y title goes (default: clear of the widest tick label). */
  yTitleX?: number
  /** Tick labels on the x / y axis (default true; inner panels of a matrix have none). */
  xLabels?: boolean
  yLabels?: boolean
  /** Tick label font size (default 11). */
  fontSize?: number
  /** Grid lines (default true). */
  grid?: boolean
}

/** X tick values (whole numbers only when asked) and their step. */
export function xTickValues(xs: Scale, count: number, integer: boolean): { ticks: number[]; step: number } {
  const xt = niceTicks(xs.lo, xs.hi, count)
  if (!integer) return xt
  const step = integerStep(xt.step)
  const ticks: number[] = []
  for (let t = Math.ceil(xs.lo / step) * step; t <= xs.hi + 1e-9 && ticks.length <= 100; t += step) ticks.push(t)
  return { ticks, step }
}

/** Grid lines, the frame, ticks, tick labels and axis titles for one panel. */
export function axes(out: string[], box: Box, xs: Scale, ys: Scale, opts: AxesOptions = {}): void {
  const fs = opts.fontSize ?? 11
  const xt = opts.xTicks ?? xTickValues(xs, opts.xCount ?? 6, opts.integerX ?? false)
  const yt = niceTicks(ys.lo, ys.hi, opts.yCount ?? 6)
  if (opts.grid !== false) {
    out.push(`<g class="grid" stroke="${GRID}" stroke-width="1">`)
    for (const t of xt.ticks) out.push(`<line x1="${r2(xs(t))}" y1="${box.top}" x2="${r2(xs(t))}" y2="${box.bottom}"/>`)
    for (const t of yt.ticks) out.push(`<line x1="${box.left}" y1="${r2(ys(t))}" x2="${box.right}" y2="${r2(ys(t))}"/>`)
    out.push('</g>')
  }
  out.push(`<rect class="frame" x="${r2(box.left)}" y="${r2(box.top)}" width="${r2(box.right - box.left)}" height="${r2(box.bottom - box.top)}" fill="none" stroke="${AXIS}" stroke-width="1"/>`)
  out.push(`<g class="ticks x-ticks" font-size="${fs}" fill="${MUTED}">`)
  let xLabelWidth = 0
  if (opts.xLabels !== false) {
    const xl = tickTexts(xt.ticks, xt.step)
    xt.ticks.forEach((t, i) => {
      const x = r2(xs(t))
      out.push(`<line x1="${x}" y1="${box.bottom}" x2="${x}" y2="${box.bottom + 5}" stroke="${AXIS}"/>`)
      out.push(`<text x="${x}" y="${r2(box.bottom + 7 + fs)}" text-anchor="middle">${esc(xl.labels[i]!)}</text>`)
    })
    if (xl.offsetText) out.push(`<text x="${r2(box.right)}" y="${r2(box.bottom + 9 + 2 * fs)}" text-anchor="end">${esc(xl.offsetText)}</text>`)
    xLabelWidth = 1
  }
  out.push('</g>')
  out.push(`<g class="ticks y-ticks" font-size="${fs}" fill="${MUTED}">`)
  let widest = 0
  if (opts.yLabels !== false) {
    const yl = tickTexts(yt.ticks, yt.step)
    yt.ticks.forEach((t, i) => {
      const y = ys(t)
      out.push(`<line x1="${box.left - 5}" y1="${r2(y)}" x2="${box.left}" y2="${r2(y)}" stroke="${AXIS}"/>`)
      out.push(`<text x="${box.left - 8}" y="${r2(y + fs * 0.36)}" text-anchor="end">${esc(yl.labels[i]!)}</text>`)
      widest = Math.max(widest, textWidth(yl.labels[i]!, fs))
    })
    if (yl.offsetText) out.push(`<text class="offset" x="${box.left}" y="${r2(box.top - 5)}" text-anchor="start">${esc(yl.offsetText)}</text>`)
  }
  out.push('</g>')
  const cx = (box.left + box.right) / 2
  const cy = (box.top + box.bottom) / 2
  if (opts.xTitle) {
    const y = box.bottom + (xLabelWidth ? 26 + fs : 18)
    out.push(`<text class="axis-title" x="${r2(cx)}" y="${r2(y)}" text-anchor="middle" font-size="13" fill="${INK}">${esc(clip(opts.xTitle, box.right - box.left, 13))}</text>`)
  }
  if (opts.yTitle) {
    const yx = Math.min(opts.yTitleX ?? box.left - 52, box.left - 20 - widest)
    out.push(`<text class="axis-title" x="${r2(yx)}" y="${r2(cy)}" text-anchor="middle" font-size="13" fill="${INK}" transform="rotate(-90 ${r2(yx)} ${r2(cy)})">${esc(clip(opts.yTitle, box.bottom - box.top, 13))}</text>`)
  }
}

/** Width a y axis's tick labels take (to place panels before drawing them). */
export function yLabelWidth(lo: number, hi: number, count: number, fontSize = 11): number {
  const yt = niceTicks(lo, hi, count)
  return Math.max(0, ...tickTexts(yt.ticks, yt.step).labels.map((l) => textWidth(l, fontSize)))
}

export function finiteRange(values: Iterable<number>): [number, number] {
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

export function padRange([lo, hi]: [number, number], frac = 0.04): [number, number] {
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
